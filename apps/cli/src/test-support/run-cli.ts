import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI; tests exercise it exactly as users run it. */
export const CLI_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const FIXTURES_DIR = fileURLToPath(new URL('../../test-fixtures/', import.meta.url));
const CORE_DIR = realpathSync(fileURLToPath(new URL('../../node_modules/@brokerkit/core', import.meta.url)));

if (!existsSync(CLI_BIN)) {
  throw new Error(`${CLI_BIN} is missing: build first (pnpm --filter @brokerkit/cli... build)`);
}

/** What a finished `brokerkit` process left behind. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of `runCli`. */
export interface RunCliOptions {
  /** Working directory; default: a fresh empty temp dir (no config, no .env). */
  cwd?: string;
  /** Extra environment variables; the rest of the parent's environment is NOT passed on. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
}

/**
 * Runs `node dist/bin.js ...args` with a minimal environment (PATH and HOME only, plus `env`), so
 * a developer's own IBKR_* / ZERODHA_* variables never leak into a test.
 */
export async function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const cwd = options.cwd ?? (await makeTempDir());
  const child = spawnCli(args, { ...options, cwd });
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  return collect(child, options.timeoutMs ?? 30_000);
}

/** Starts the CLI without waiting for it (long-running commands such as `sim`). */
export function spawnCli(args: readonly string[], options: RunCliOptions & { cwd: string }): ChildProcess {
  return spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Waits for a child to exit and returns its output. */
export function collect(child: ChildProcess, timeoutMs: number): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`brokerkit did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Parses stdout as the one JSON document `--json` promises. */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

const tempDirs: string[] = [];

/** A fresh empty directory under the OS temp dir; removed by `removeTempDirs`. */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'brokerkit-cli-test-'));
  tempDirs.push(dir);
  return dir;
}

/** Removes every directory `makeTempDir` made. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes files into a directory: `{ '.env': 'A=1', 'brokerkit.config.json': '{...}' }`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
}

/**
 * Installs a fixture package from `test-fixtures/<fixture>` as `node_modules/<packageName>` in a
 * project directory, with `@brokerkit/core` linked next to it: what a user's project looks like
 * after `npm install <plugin>`.
 */
export async function installFixture(
  projectDir: string,
  fixture: string,
  packageName: string,
): Promise<void> {
  const target = join(projectDir, 'node_modules', ...packageName.split('/'));
  await mkdir(dirname(target), { recursive: true });
  await cp(join(FIXTURES_DIR, fixture), target, { recursive: true });
  const core = join(projectDir, 'node_modules', '@brokerkit', 'core');
  if (!existsSync(core)) {
    await mkdir(dirname(core), { recursive: true });
    await symlink(CORE_DIR, core, 'dir');
  }
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A long-running `brokerkit sim ... --json` process, once it has printed where it listens. */
export interface RunningSimCli {
  listening: { host: string; port: number; [field: string]: unknown };
  /** Stops it as Ctrl+C would and returns what it left behind. */
  stop(): Promise<CliResult>;
}

/** Starts `brokerkit sim <args> --json` and waits for the JSON document that says where it listens. */
export async function startSimCli(
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<RunningSimCli> {
  const child = spawnCli([...args, '--json'], { ...options, cwd: options.cwd ?? (await makeTempDir()) });
  child.stdin?.end();
  const done = collect(child, 60_000);
  let stdout = '';
  const listening = await new Promise<RunningSimCli['listening']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('simulator did not report its address')), 20_000);
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      try {
        resolve(JSON.parse(stdout));
        clearTimeout(timer);
      } catch {
        // not a whole document yet
      }
    });
  });
  return {
    listening,
    stop: () => {
      child.kill('SIGINT');
      return done;
    },
  };
}
