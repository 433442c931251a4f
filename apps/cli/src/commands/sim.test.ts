import { connect } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { installFixture, makeTempDir, removeTempDirs, runCli, startSimCli } from '../test-support/run-cli.js';

afterAll(removeTempDirs);

describe('sim', () => {
  // @brokerkit/tws-sim and @brokerkit/broker-ibkr sit next to the CLI here (its devDependencies),
  // as they would next to a global install.
  test('sim tws serves a TWS the ibkr plugin trades with from another brokerkit process', async () => {
    const sim = await startSimCli(['sim', 'tws', '--port', '0']);
    const { listening } = sim;
    try {
      expect(listening.host).toBe('127.0.0.1');
      const balance = await runCli([
        'balance',
        '--broker',
        'ibkr',
        '--set',
        `port=${listening.port}`,
        '--json',
      ]);
      expect(balance.stderr).toBe('');
      expect(balance.code).toBe(0);
      const parsed = JSON.parse(balance.stdout);
      expect(parsed).toMatchObject({ broker: 'ibkr', balance: { currency: 'USD' } });
      expect(parsed.balance.equity).toBeGreaterThan(0);
    } finally {
      expect((await sim.stop()).code).toBe(0);
    }
  });

  test('sim kite serves a Kite API the zerodha plugin reads from another brokerkit process', async () => {
    const sim = await startSimCli([
      'sim',
      'kite',
      '--port',
      '0',
      '-o',
      'apiKey=simkey',
      '-o',
      'accessToken=simtoken',
    ]);
    const { listening } = sim;
    try {
      const root = `http://${listening.host}:${listening.port}`;
      const balance = await runCli(['balance', '--broker', 'zerodha', '--set', `root=${root}`, '--json'], {
        env: { ZERODHA_API_KEY: 'simkey', ZERODHA_ACCESS_TOKEN: 'simtoken' },
      });
      expect(balance.stderr).toBe('');
      expect(balance.code).toBe(0);
      expect(JSON.parse(balance.stdout)).toMatchObject({ broker: 'zerodha', balance: { currency: 'INR' } });
      expect(balance.stdout).not.toContain('simtoken');
    } finally {
      expect((await sim.stop()).code).toBe(0);
    }
  });

  test('with the simulator installed it listens on loopback until Ctrl+C, then exits 0', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'tws-sim', '@brokerkit/tws-sim');
    const sim = await startSimCli(['sim', 'tws', '--port', '0'], { cwd: project });
    const { listening } = sim;
    expect(listening).toMatchObject({ simulator: 'tws', host: '127.0.0.1', broker: 'ibkr' });
    expect(listening.port).toBeGreaterThan(0);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(listening.port, '127.0.0.1', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    expect((await sim.stop()).code).toBe(0);
  });

  test('an invalid port is a usage error', async () => {
    const result = await runCli(['sim', 'tws', '--port', 'http']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be 0-65535');
  });
});
