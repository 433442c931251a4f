import { afterAll, describe, expect, test } from 'vitest';
import {
  closedPort,
  installFixture,
  makeTempDir,
  removeTempDirs,
  runCli,
  writeFiles,
} from '../test-support/run-cli.js';

afterAll(removeTempDirs);

const SECRET = 'supersecret';

function expectAbsent(result: { stdout: string; stderr: string }, secret = SECRET): void {
  expect(result.stdout).not.toContain(secret);
  expect(result.stderr).not.toContain(secret);
}

describe('secrets are never printed', () => {
  test('ZERODHA_ACCESS_TOKEN in the environment and a failing command, also with --verbose and --json', async () => {
    // The real zerodha plugin, pointed at a loopback port where nothing listens.
    const root = `http://127.0.0.1:${await closedPort()}`;
    for (const extra of [[], ['--verbose'], ['--json'], ['--verbose', '--json']]) {
      const result = await runCli(['balance', ...extra], {
        env: {
          ZERODHA_API_KEY: 'apikey',
          ZERODHA_ROOT: root,
          ZERODHA_ACCESS_TOKEN: SECRET,
          ZERODHA_API_SECRET: `${SECRET}2`,
        },
      });
      expect(result.code).toBe(3);
      expectAbsent(result);
    }
  });

  test('a plugin that puts the token in its error message is redacted: exit 5, "[redacted]" instead', async () => {
    const cwd = await makeTempDir();
    await installFixture(cwd, 'broker-expired', 'brokerkit-broker-expired');
    for (const extra of [[], ['--verbose'], ['--json']]) {
      const result = await runCli(['balance', '--broker', 'expired', ...extra], {
        cwd,
        env: { EXPIRED_ACCESS_TOKEN: SECRET },
      });
      expect(result.code).toBe(5);
      expectAbsent(result);
      expect(result.stderr).toContain('access token [redacted] has expired');
    }
  });

  test('secrets from .env, the config file and --set are redacted too', async () => {
    const cwd = await makeTempDir();
    await installFixture(cwd, 'broker-expired', 'brokerkit-broker-expired');
    await writeFiles(cwd, { '.env': `EXPIRED_ACCESS_TOKEN=${SECRET}-from-dotenv\n` });
    const fromDotenv = await runCli(['balance', '--broker', 'expired'], { cwd });
    expect(fromDotenv.code).toBe(5);
    expectAbsent(fromDotenv);

    await writeFiles(cwd, {
      'brokerkit.config.json': JSON.stringify({ expired: { accessToken: `${SECRET}-from-file` } }),
    });
    const fromFile = await runCli(['balance', '--broker', 'expired'], { cwd });
    expectAbsent(fromFile);

    const fromFlag = await runCli(
      ['doctor', '--broker', 'expired', '--set', `accessToken=${SECRET}-from-flag`, '--verbose'],
      {
        cwd,
      },
    );
    expect(fromFlag.code).toBe(5);
    expectAbsent(fromFlag);
  });

  test('a config error about a secret key names the key, not the value', async () => {
    const result = await runCli(['balance', '--set', `apiSecret=${SECRET}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('apiSecret');
    expectAbsent(result);
  });
});
