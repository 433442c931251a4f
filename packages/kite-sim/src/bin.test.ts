import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KiteConnect } from 'kiteconnect';
import { describe, expect, it } from 'vitest';
import { rejectionOf } from './test-support/start-test-sim.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

describe('kite-sim bin (built dist/bin.js)', () => {
  it('is built (run the package build first)', () => {
    expect(existsSync(BIN)).toBe(true);
  });

  it('accepts the --api-key / --access-token pair at once, supports the login flow, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--port', '0', '--api-key', 'KEY', '--access-token', 'TOKEN', '--api-secret', 'SECRET'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const root = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /root (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match !== null) resolve(match[1]!);
      });
      child.once('exit', (code) => reject(new Error(`bin exited with ${code}: ${output}`)));
    });
    try {
      expect(output).not.toContain('TOKEN ');
      expect(output).not.toContain('SECRET');
      const kite = new KiteConnect({ api_key: 'KEY', access_token: 'TOKEN', root });
      await expect(kite.getProfile()).resolves.toMatchObject({ user_id: 'AB1234' });

      const login = (await (await fetch(`${root}/connect/login?api_key=KEY&v=3`)).json()) as {
        data: { request_token: string };
      };
      const fresh = new KiteConnect({ api_key: 'KEY', root });
      const session = await fresh.generateSession(login.data.request_token, 'SECRET');
      expect(session.access_token).not.toBe('TOKEN');
      await expect(fresh.getMargins()).resolves.toHaveProperty('equity');

      await fetch(`${root}/__kite-sim/tokens/expire`, { method: 'POST' });
      expect((await rejectionOf(kite.getProfile())).error_type).toBe('TokenException');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('exits with status 2 and the usage on a bad flag', async () => {
    const child = spawn(process.execPath, [BIN, '--clock', 'sideways'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--clock must be real or virtual');
    expect(stderr).toContain('Usage: kite-sim');
  });
});
