import { cp, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import {
  closedPort,
  collect,
  installFixture,
  makeTempDir,
  removeTempDirs,
  runCli,
} from '../test-support/run-cli.js';

afterAll(removeTempDirs);

const CLI_DIR = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Lays out a global install: <prefix>/lib/node_modules/@brokerkit/cli (the built CLI, its own
 * dependencies next to it) and a plugin installed globally beside it.
 */
async function globalInstall(): Promise<{ bin: string; globalModules: string }> {
  const prefix = await makeTempDir();
  const globalModules = join(prefix, 'lib', 'node_modules');
  const cli = join(globalModules, '@brokerkit', 'cli');
  await mkdir(cli, { recursive: true });
  await cp(join(CLI_DIR, 'dist'), join(cli, 'dist'), { recursive: true });
  await cp(join(CLI_DIR, 'package.json'), join(cli, 'package.json'));
  await symlink(join(CLI_DIR, 'node_modules'), join(cli, 'node_modules'), 'dir');
  return { bin: join(cli, 'dist', 'bin.js'), globalModules };
}

describe('finding broker plugins', () => {
  test('a plugin installed globally next to a global brokerkit is found from any directory', async () => {
    const { bin, globalModules } = await globalInstall();
    // installFixture lays out <dir>/node_modules/<name>; the global prefix's lib dir plays <dir>.
    await installFixture(dirname(globalModules), 'broker-unreachable', 'brokerkit-broker-unreachable');
    const elsewhere = await makeTempDir();
    const port = await closedPort();
    const { spawn } = await import('node:child_process');
    const child = spawn(
      process.execPath,
      [bin, 'balance', '--broker', 'unreachable', '--set', `port=${port}`],
      {
        cwd: elsewhere,
        env: { PATH: process.env.PATH ?? '', HOME: elsewhere },
      },
    );
    child.stdin.end();
    const result = await collect(child, 30_000);
    // Found (a connection error), not "No broker plugin ... is installed".
    expect(result.stderr).toContain('unreachable: connect failed');
    expect(result.code).toBe(3);
  });

  test("the project's own installation is used from its directory", async () => {
    const project = await makeTempDir();
    await installFixture(project, 'broker-unreachable', 'brokerkit-broker-unreachable');
    const port = await closedPort();
    const inProject = await runCli(['balance', '--broker', 'unreachable', '--set', `port=${port}`], {
      cwd: project,
    });
    expect(inProject.code).toBe(3);
    const outside = await runCli(['balance', '--broker', 'unreachable']);
    expect(outside.code).toBe(8);
    expect(outside.stderr).toContain('install @brokerkit/broker-unreachable');
  });
});
