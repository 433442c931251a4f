import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  closedPort,
  collect,
  installFixture,
  json,
  makeTempDir,
  removeTempDirs,
  runCli,
  spawnCli,
  writeFiles,
} from '../test-support/run-cli.js';

afterAll(removeTempDirs);

const credentials = { ZERODHA_API_KEY: 'kiteapikey1', ZERODHA_API_SECRET: 'kite-secret-value' };

describe('zerodha login', () => {
  test('without @brokerkit/broker-zerodha: the install message, exit 8', async () => {
    const result = await runCli(['zerodha', 'login'], { env: credentials });
    expect(result.code).toBe(8);
    expect(result.stderr.trim()).toMatch(
      /^error: .*"zerodha".* \(hint: install @brokerkit\/broker-zerodha.*\)$/,
    );
    expect(result.stderr).not.toContain('kite-secret-value');
  });

  test('pasting the redirect URL saves the access token to .env, never printing it', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-zerodha', '@brokerkit/broker-zerodha');
    await writeFiles(project, { '.env': '# my settings\nZERODHA_ACCESS_TOKEN=yesterdays-token\nOTHER=1\n' });
    const result = await runCli(['zerodha', 'login'], {
      cwd: project,
      env: credentials,
      input: 'https://127.0.0.1/callback?action=login&type=login&status=success&request_token=goodtoken\n',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('https://kite.zerodha.com/connect/login?v=3&api_key=kiteapikey1');
    expect(result.stdout).toContain('Logged in to Zerodha as AB1234 (Test Trader)');
    const envFile = await readFile(join(project, '.env'), 'utf8');
    expect(envFile).toBe(
      '# my settings\nZERODHA_ACCESS_TOKEN=tok-supersecret-kiteapikey1\nOTHER=1\nZERODHA_USER_ID=AB1234\n',
    );
    expect((await stat(join(project, '.env'))).mode & 0o777).toBe(0o600);
    for (const secret of ['tok-supersecret', 'kite-secret-value', 'goodtoken']) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  });

  test('--listen catches the redirect from the browser on loopback', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-zerodha', '@brokerkit/broker-zerodha');
    const port = await closedPort();
    const child = spawnCli(['zerodha', 'login', '--listen', String(port)], {
      cwd: project,
      env: credentials,
    });
    child.stdin?.end();
    const done = collect(child, 30_000);
    await new Promise<void>((resolve) => {
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer | string) => {
        stderr += String(chunk);
        if (stderr.includes('is caught here')) resolve();
      });
    });
    const browser = await fetch(
      `http://127.0.0.1:${port}/?action=login&status=success&request_token=goodtoken`,
    );
    expect(browser.status).toBe(200);
    expect(await browser.text()).toContain('You can close this tab');
    const result = await done;
    expect(result.code).toBe(0);
    expect(await readFile(join(project, '.env'), 'utf8')).toContain(
      'ZERODHA_ACCESS_TOKEN=tok-supersecret-kiteapikey1',
    );
    expect(result.stdout + result.stderr).not.toContain('tok-supersecret');
  });

  test('--request-token and --json: the result without the token', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-zerodha', '@brokerkit/broker-zerodha');
    const result = await runCli(
      ['zerodha', 'login', '--request-token', 'goodtoken', '--json', '--save-to', 'kite.env'],
      {
        cwd: project,
        env: credentials,
      },
    );
    expect(result.code).toBe(0);
    expect(json(result)).toEqual({ broker: 'zerodha', userId: 'AB1234', savedTo: join(project, 'kite.env') });
    expect(await readFile(join(project, 'kite.env'), 'utf8')).toContain(
      'ZERODHA_ACCESS_TOKEN=tok-supersecret-kiteapikey1',
    );
  });

  test('a rejected request token is an authentication error (exit 5) and nothing is saved', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-zerodha', '@brokerkit/broker-zerodha');
    const result = await runCli(['zerodha', 'login', '--request-token', 'stale'], {
      cwd: project,
      env: credentials,
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error: Token is invalid or has expired\./);
    await expect(stat(join(project, '.env'))).rejects.toThrow();
  });

  test('missing API credentials are a usage error naming the variables', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-zerodha', '@brokerkit/broker-zerodha');
    const result = await runCli(['zerodha', 'login', '--request-token', 'goodtoken'], { cwd: project });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('ZERODHA_API_KEY and ZERODHA_API_SECRET are not set');
  });
});
