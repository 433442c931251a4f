import { type AddressInfo, createServer } from 'node:net';
import { afterAll, describe, expect, test } from 'vitest';
import { json, makeTempDir, removeTempDirs, runCli, writeFiles } from '../test-support/run-cli.js';

afterAll(removeTempDirs);

const equity = (result: Awaited<ReturnType<typeof runCli>>) =>
  json<{ balance: { equity: number } }>(result).balance.equity;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await makeTempDir();
  await writeFiles(dir, files);
  return dir;
}

describe('configuration precedence: flags > config file > environment > .env', () => {
  test('the config file section for the broker is used', async () => {
    const cwd = await project({
      'brokerkit.config.json': JSON.stringify({ mock: { initialBalance: 5000 } }),
    });
    const result = await runCli(['balance', '--json'], { cwd });
    expect(result.code).toBe(0);
    expect(equity(result)).toBe(5000);
  });

  test('--set wins over the config file, which wins over the environment and .env', async () => {
    const cwd = await project({
      'brokerkit.config.json': JSON.stringify({ mock: { initialBalance: 5000 } }),
      '.env': 'MOCK_INITIAL_BALANCE=3000\n',
    });
    const env = { MOCK_INITIAL_BALANCE: '4000' };
    expect(equity(await runCli(['balance', '--json', '--set', 'initialBalance=7000'], { cwd, env }))).toBe(
      7000,
    );
    expect(equity(await runCli(['balance', '--json'], { cwd, env }))).toBe(5000);
  });

  test('the environment wins over .env, and .env is read when the environment is silent', async () => {
    const cwd = await project({ '.env': 'MOCK_INITIAL_BALANCE=3000\n' });
    expect(equity(await runCli(['balance', '--json'], { cwd, env: { MOCK_INITIAL_BALANCE: '4000' } }))).toBe(
      4000,
    );
    expect(equity(await runCli(['balance', '--json'], { cwd }))).toBe(3000);
  });

  test('--config points at another file; a missing one is a usage error', async () => {
    const cwd = await project({
      'accounts/small.json': JSON.stringify({ broker: 'mock', mock: { initialBalance: 1234 } }),
    });
    expect(equity(await runCli(['balance', '--json', '--config', 'accounts/small.json'], { cwd }))).toBe(
      1234,
    );
    const missing = await runCli(['balance', '--config', 'nope.json'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: config file not found: .*nope\.json/);
  });

  test('a config file that is not valid JSON is a usage error that does not quote the file', async () => {
    const cwd = await project({
      'brokerkit.config.json': '{ "mock": { "initialBalance": 1 }, "zerodha": { "apiSecret": "leaky-secret" ',
    });
    const result = await runCli(['balance'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*brokerkit\.config\.json is not valid JSON/);
    expect(result.stderr).not.toContain('leaky-secret');
  });
});

describe('choosing the broker', () => {
  test('the mock is the default', async () => {
    expect(json(await runCli(['balance', '--json']))).toMatchObject({ broker: 'mock' });
  });

  test('--broker beats the config file, which beats BROKERKIT_BROKER', async () => {
    const cwd = await project({ 'brokerkit.config.json': JSON.stringify({ broker: 'nosuch' }) });
    const fromFlag = await runCli(['balance', '--json', '--broker', 'Mock'], {
      cwd,
      env: { BROKERKIT_BROKER: 'other' },
    });
    expect(fromFlag.code).toBe(0);
    const fromFile = await runCli(['balance'], { cwd, env: { BROKERKIT_BROKER: 'mock' } });
    expect(fromFile.code).toBe(8);
    expect(fromFile.stderr).toContain('install @brokerkit/broker-nosuch');
  });

  test('BROKERKIT_BROKER from .env, and USE_MOCK_BROKER=true over it', async () => {
    const cwd = await project({ '.env': 'BROKERKIT_BROKER=nosuch\n' });
    expect((await runCli(['balance'], { cwd })).code).toBe(8);
    expect((await runCli(['balance'], { cwd, env: { USE_MOCK_BROKER: 'true' } })).code).toBe(0);
  });

  test('IBKR_* variables alone select ibkr; nothing listening is exit 3 with what to check', async () => {
    const port = await closedPort();
    const result = await runCli(['balance'], { env: { IBKR_HOST: '127.0.0.1', IBKR_PORT: String(port) } });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`^error: .*127\\.0\\.0\\.1:${port}.*\\(hint: .*TWS`, 'm'));
  });

  test('variables of two brokers make the choice ambiguous: a usage error', async () => {
    const result = await runCli(['balance'], { env: { IBKR_PORT: '4002', ZERODHA_USER_ID: 'AB1234' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: variables for several brokers are set.*\(hint: choose one with --broker/,
    );
  });

  test("an unknown broker name: core's install message and exit 8", async () => {
    const result = await runCli(['balance', '--broker', 'nosuch']);
    expect(result.code).toBe(8);
    expect(result.stderr.trim()).toBe(
      'error: No broker plugin "nosuch" is installed (hint: install @brokerkit/broker-nosuch (npm install @brokerkit/broker-nosuch) or register the plugin yourself)',
    );
  });

  test('a plugin installed in the project is found by its id', async () => {
    const { installFixture, closedPort } = await import('../test-support/run-cli.js');
    const cwd = await makeTempDir();
    await installFixture(cwd, 'broker-unreachable', 'brokerkit-broker-unreachable');
    const port = await closedPort();
    const result = await runCli(['balance', '--broker', 'unreachable', '--set', `port=${port}`], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^error: unreachable: connect failed: .*ECONNREFUSED.*\(hint: is anything listening/,
    );
  });

  test('--broker ibkr with an unreachable host: exit 3 and one error line, under --json too', async () => {
    const port = await closedPort();
    const result = await runCli(['positions', '--broker', 'ibkr', '--set', `port=${port}`, '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'BROKER_CONNECTION', exitCode: 3 } });
  });
});

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
