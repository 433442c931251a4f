import { connect } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import {
  collect,
  installFixture,
  makeTempDir,
  removeTempDirs,
  runCli,
  spawnCli,
} from '../test-support/run-cli.js';

afterAll(removeTempDirs);

describe('sim', () => {
  test('without @brokerkit/tws-sim: one line saying what to install, exit 8', async () => {
    const result = await runCli(['sim', 'tws']);
    expect(result.code).toBe(8);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*@brokerkit\/tws-sim.* \(hint: install @brokerkit\/tws-sim .*\)$/);
  });

  test('without @brokerkit/kite-sim: the same for kite', async () => {
    const result = await runCli(['sim', 'kite', '--json']);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('install @brokerkit/kite-sim');
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { code: 'PACKAGE_NOT_INSTALLED', exitCode: 8 },
    });
  });

  test('with the simulator installed it listens on loopback until Ctrl+C, then exits 0', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'tws-sim', '@brokerkit/tws-sim');
    const child = spawnCli(['sim', 'tws', '--port', '0', '--json'], { cwd: project });
    child.stdin?.end();
    const done = collect(child, 30_000);
    let stdout = '';
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
    });
    const listening = await new Promise<{ host: string; port: number; simulator: string; broker: string }>(
      (resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('simulator did not report its address')), 20_000);
        child.stdout?.on('data', () => {
          try {
            resolve(JSON.parse(stdout));
            clearTimeout(timer);
          } catch {
            // not a whole document yet
          }
        });
      },
    );
    expect(listening).toMatchObject({ simulator: 'tws', host: '127.0.0.1', broker: 'ibkr' });
    expect(listening.port).toBeGreaterThan(0);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(listening.port, '127.0.0.1', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', reject);
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
  });

  test('an invalid port is a usage error', async () => {
    const result = await runCli(['sim', 'tws', '--port', 'http']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be 0-65535');
  });
});
