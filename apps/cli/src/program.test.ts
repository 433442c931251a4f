import { afterAll, describe, expect, test } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { json, removeTempDirs, runCli } from './test-support/run-cli.js';

afterAll(removeTempDirs);

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for colour escape codes.
const ANSI = /\u001b\[/;

describe('the command line itself', () => {
  test('--help lists the commands, configuration precedence and exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of [
      'balance',
      'positions',
      'orders',
      'order',
      'margin',
      'doctor',
      'demo',
      'sim',
      'zerodha',
      'completion',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('Exit codes: 0 ok');
    expect(result.stdout).toContain('Configuration, highest precedence first');
  });

  test('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(packageJson.version);
  });

  test('an unknown command or option is one error line with a hint, exit 2', async () => {
    const unknownCommand = await runCli(['balanse']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr.trim()).toMatch(
      /^error: unknown command 'balanse'.*\(Did you mean balance\?\).*\(hint: run "brokerkit --help"/,
    );

    const unknownOption = await runCli(['balance', '--frobnicate']);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknownOption.stderr).toContain("error: unknown option '--frobnicate'");
  });

  test('a usage error under --json is a JSON error object on stdout', async () => {
    const result = await runCli(['order', 'place', 'AAPL', '--json']);
    expect(result.code).toBe(2);
    expect(json(result)).toMatchObject({
      error: { code: 'USAGE', exitCode: 2, message: expect.stringContaining('side') },
    });
  });

  test('a command group without a subcommand shows its help, exit 2', async () => {
    const result = await runCli(['order']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('place [options] <symbol> <side> [quantity]');
  });

  test('--verbose adds the stack trace to an error', async () => {
    const plain = await runCli(['order', 'place', 'INVALID', 'buy', '1']);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runCli(['order', 'place', 'INVALID', 'buy', '1', '--verbose']);
    expect(verbose.code).toBe(4);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  test('no colour into a pipe; FORCE_COLOR turns it on; NO_COLOR and --no-color win', async () => {
    expect((await runCli(['order', 'place', 'INVALID', 'buy', '1'])).stderr).not.toMatch(ANSI);
    expect((await runCli(['balance'], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
    expect(
      (await runCli(['order', 'place', 'INVALID', 'buy', '1'], { env: { FORCE_COLOR: '1' } })).stderr,
    ).toMatch(ANSI);
    expect((await runCli(['balance'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toMatch(
      ANSI,
    );
    expect((await runCli(['balance', '--no-color'], { env: { FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI);
  });

  test('no spinner and no terminal codes when stderr is not a terminal', async () => {
    const result = await runCli(['balance']);
    expect(result.stderr).toBe('');
  });

  test('completion prints a bash script covering commands and flags', async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('complete -F _brokerkit_complete brokerkit');
    expect(result.stdout).toMatch(/"order place"\) echo ".*--limit.*"/);
    const zsh = await runCli(['completion', 'zsh']);
    expect(zsh.stdout).toContain('bashcompinit');
    expect((await runCli(['completion', 'fish'])).code).toBe(2);
  });
});

describe('interrupting', () => {
  test('Ctrl+C while waiting for a fill disconnects and exits 130', async () => {
    const { makeTempDir, spawnCli, collect } = await import('./test-support/run-cli.js');
    const cwd = await makeTempDir();
    const child = spawnCli(
      ['order', 'place', 'AAPL', 'buy', '1', '--wait', '60', '--set', 'fillDelaySeconds=120'],
      { cwd },
    );
    child.stdin?.end();
    const done = collect(child, 30_000);
    // The fill never comes (120 s delay): interrupt once the order is placed and being watched.
    await new Promise<void>((resolve) => {
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer | string) => {
        stderr += String(chunk);
        if (stderr.includes('waiting up to 60 s')) resolve();
      });
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('interrupted');
  });

  test('--timeout must be a positive number of seconds', async () => {
    const result = await runCli(['balance', '--timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--timeout must be a positive number of seconds');
  });
});
