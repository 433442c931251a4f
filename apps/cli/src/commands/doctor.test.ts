import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  closedPort,
  installFixture,
  json,
  makeTempDir,
  removeTempDirs,
  runCli,
  writeFiles,
} from '../test-support/run-cli.js';

afterAll(removeTempDirs);

interface DoctorJson {
  broker: string | null;
  ok: boolean;
  checks: { name: string; status: 'ok' | 'warn' | 'fail' | 'skip'; message: string; fix?: string }[];
}

const statusOf = (body: DoctorJson) =>
  Object.fromEntries(body.checks.map((check) => [check.name, check.status]));

describe('doctor', () => {
  test('on the mock every check passes: one line per check, exit 0', async () => {
    const result = await runCli(['doctor']);
    expect(result.code).toBe(0);
    for (const name of [
      'node',
      'config file',
      '.env',
      'broker',
      'plugin',
      'config',
      'connection',
      'session',
      'latency',
      'clock',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^ok\\s+${name.replace('.', '\\.')}\\s+\\S`, 'm'));
    }
    expect(result.stdout).toContain('ready: 10 ok');
  });

  test('--json: one object per check', async () => {
    const result = await runCli(['doctor', '--json']);
    expect(result.code).toBe(0);
    const body = json<DoctorJson>(result);
    expect(body).toMatchObject({ broker: 'mock', ok: true });
    expect(body.checks).toHaveLength(10);
    for (const check of body.checks)
      expect(check).toMatchObject({ status: 'ok', message: expect.any(String) });
  });

  test('a broker whose plugin is not installed: the plugin check fails with the install command, exit 8', async () => {
    const result = await runCli(['doctor', '--broker', 'nosuch', '--json']);
    expect(result.code).toBe(8);
    const body = json<DoctorJson>(result);
    expect(body.ok).toBe(false);
    expect(body.broker).toBe('nosuch');
    const plugin = body.checks.find((check) => check.name === 'plugin')!;
    expect(plugin).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('install @brokerkit/broker-nosuch'),
    });
    expect(statusOf(body)).toMatchObject({ config: 'skip', connection: 'skip', session: 'skip' });
  });

  test('an unreachable broker: the connection check fails and says what to check, exit 3', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-unreachable', 'brokerkit-broker-unreachable');
    const port = await closedPort();
    const result = await runCli(['doctor', '--broker', 'unreachable', '--set', `port=${port}`], {
      cwd: project,
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^fail\s+connection\s+.*ECONNREFUSED/m);
    expect(result.stdout).toMatch(new RegExp(`fix: is anything listening on 127\\.0\\.0\\.1:${port}\\?`));
    expect(result.stdout).toMatch(/^skip\s+session/m);
    expect(result.stdout).toContain('not ready');
  });

  test('an expired session: the session check fails with exit 5', async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-expired', 'brokerkit-broker-expired');
    const result = await runCli(['doctor', '--broker', 'expired', '--json'], {
      cwd: project,
      env: { EXPIRED_ACCESS_TOKEN: 'expired-token-value' },
    });
    expect(result.code).toBe(5);
    const body = json<DoctorJson>(result);
    expect(statusOf(body)).toMatchObject({ connection: 'ok', session: 'fail', latency: 'skip' });
    expect(result.stdout).not.toContain('expired-token-value');
  });

  test('an invalid config is reported by key, exit 2', async () => {
    const result = await runCli(['doctor', '--set', 'fillDelay=2', '--json']);
    expect(result.code).toBe(2);
    const config = json<DoctorJson>(result).checks.find((check) => check.name === 'config')!;
    expect(config.status).toBe('fail');
    expect(config.message).toContain('fillDelay');
  });

  test('secrets in a config file other users can read: a warning with the chmod fix, still ready', async () => {
    const project = await makeTempDir();
    await writeFiles(project, {
      'brokerkit.config.json': JSON.stringify({
        broker: 'mock',
        zerodha: { apiSecret: 'file-secret-value' },
      }),
    });
    await chmod(join(project, 'brokerkit.config.json'), 0o644);
    const result = await runCli(['doctor'], { cwd: project });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^warn\s+config file\s+.*zerodha\.apiSecret.*other users can read it/m);
    expect(result.stdout).toContain('fix: chmod 600');
    expect(result.stdout).not.toContain('file-secret-value');
  });
});
