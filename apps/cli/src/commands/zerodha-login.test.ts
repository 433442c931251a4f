import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { TokenStore } from '@brokerkit/broker-zerodha';
import { type KiteSim, startKiteSim } from '@brokerkit/kite-sim';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  closedPort,
  collect,
  json,
  makeTempDir,
  removeTempDirs,
  runCli,
  spawnCli,
} from '../test-support/run-cli.js';

// The real plugin (@brokerkit/broker-zerodha, next to the CLI as its devDependency) logs in to a
// kite-sim on loopback through Kite's request-token flow.
const API_KEY = 'kiteapikey1';
const API_SECRET = 'kite-secret-value';
const TOKEN_KEY = randomBytes(32).toString('hex');
let sim: KiteSim;

beforeAll(async () => {
  sim = await startKiteSim({ apiKey: API_KEY, apiSecret: API_SECRET, rateLimits: false });
});
afterAll(async () => {
  await sim.close();
  await removeTempDirs();
});

const envFor = (extra: Record<string, string> = {}) => ({
  ZERODHA_API_KEY: API_KEY,
  ZERODHA_API_SECRET: API_SECRET,
  ZERODHA_ROOT: sim.root,
  BROKERKIT_TOKEN_KEY: TOKEN_KEY,
  ...extra,
});

async function storedToken(path: string): Promise<string> {
  const session = await new TokenStore({ path, key: TOKEN_KEY }).load({ apiKey: API_KEY });
  expect(session).toBeDefined();
  return session!.accessToken.reveal();
}

describe('zerodha login', () => {
  test('pasting the redirect URL stores the token encrypted; --broker zerodha then trades with it', async () => {
    const project = await makeTempDir();
    const tokenFile = join(project, 'session.json');
    const requestToken = sim.control.createRequestToken();
    const result = await runCli(['zerodha', 'login', '--token-file', tokenFile], {
      cwd: project,
      env: envFor(),
      input: `https://127.0.0.1/callback?action=login&type=login&status=success&request_token=${requestToken}\n`,
    });
    expect(result.stderr).toContain(`https://kite.zerodha.com/connect/login?v=3&api_key=${API_KEY}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Logged in to Zerodha as');
    expect(result.stdout).toContain(`stored encrypted in ${tokenFile}`);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    const accessToken = await storedToken(tokenFile);
    expect(await readFile(tokenFile, 'utf8')).not.toContain(accessToken);
    for (const secret of [accessToken, API_SECRET, requestToken, TOKEN_KEY]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }

    const balance = await runCli(['balance', '--broker', 'zerodha', '--json'], {
      cwd: project,
      env: envFor({ ZERODHA_TOKEN_FILE: tokenFile }),
    });
    expect(balance.stderr).toBe('');
    expect(balance.code).toBe(0);
    expect(json<{ broker: string; balance: { currency: string } }>(balance)).toMatchObject({
      broker: 'zerodha',
      balance: { currency: 'INR' },
    });
  });

  test('--request-token and --json: the result without the token', async () => {
    const project = await makeTempDir();
    const tokenFile = join(project, 'session.json');
    const result = await runCli(
      [
        'zerodha',
        'login',
        '--request-token',
        sim.control.createRequestToken(),
        '--token-file',
        tokenFile,
        '--json',
      ],
      { cwd: project, env: envFor() },
    );
    expect(result.code).toBe(0);
    const out = json<{ broker: string; userId: string; savedTo: string; expiresAt: number }>(result);
    expect(out).toMatchObject({ broker: 'zerodha', savedTo: tokenFile });
    expect(out.userId.length).toBeGreaterThan(0);
    expect(out.expiresAt).toBeGreaterThan(Date.now());
    expect(result.stdout).not.toContain(await storedToken(tokenFile));
  });

  test('--listen catches the redirect from the browser on loopback', async () => {
    const project = await makeTempDir();
    const tokenFile = join(project, 'session.json');
    const port = await closedPort();
    const child = spawnCli(['zerodha', 'login', '--listen', String(port), '--token-file', tokenFile], {
      cwd: project,
      env: envFor(),
    });
    child.stdin?.end();
    const done = collect(child, 30_000);
    await new Promise<void>((resolve) => {
      let stderr = '';
      child.stderr?.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes(`http://127.0.0.1:${port}/`)) resolve();
      });
    });
    const token = sim.control.createRequestToken();
    const status = await new Promise<number>((resolve, reject) => {
      request(`http://127.0.0.1:${port}/?status=success&request_token=${token}`, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    const result = await done;
    expect(result.code).toBe(0);
    expect(await storedToken(tokenFile)).toMatch(/\w+/);
  });

  test('a rejected request token is an authentication error (exit 5) and nothing is stored', async () => {
    const project = await makeTempDir();
    const tokenFile = join(project, 'session.json');
    const result = await runCli(
      ['zerodha', 'login', '--request-token', 'notarealtoken', '--token-file', tokenFile],
      {
        cwd: project,
        env: envFor(),
      },
    );
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error: /);
    await expect(stat(tokenFile)).rejects.toThrow();
    expect(result.stderr).not.toContain(API_SECRET);
  });

  test('without BROKERKIT_TOKEN_KEY nothing is exchanged: a usage error that says how to make one', async () => {
    const requestToken = sim.control.createRequestToken();
    const result = await runCli(['zerodha', 'login', '--request-token', requestToken], {
      env: { ZERODHA_API_KEY: API_KEY, ZERODHA_API_SECRET: API_SECRET, ZERODHA_ROOT: sim.root },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('BROKERKIT_TOKEN_KEY');
    // The one-time request token was not spent: it still buys a session.
    const project = await makeTempDir();
    const retry = await runCli(
      ['zerodha', 'login', '--request-token', requestToken, '--token-file', join(project, 's.json')],
      {
        cwd: project,
        env: envFor(),
      },
    );
    expect(retry.code).toBe(0);
  });

  test('missing API credentials are a usage error naming the variables', async () => {
    const result = await runCli(['zerodha', 'login'], { env: { BROKERKIT_TOKEN_KEY: TOKEN_KEY } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ZERODHA_API_KEY/);
  });
});
