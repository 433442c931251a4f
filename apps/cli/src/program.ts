import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import type { ProgramState } from './command-action.js';
import type { CliEnvironment } from './command-context.js';
import { registerBalanceCommand } from './commands/balance.js';
import { registerCompletionCommand } from './commands/completion.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerMarginCommand } from './commands/margin.js';
import { registerOrderCommands } from './commands/order.js';
import { registerOrdersCommand } from './commands/orders.js';
import { registerPositionsCommand } from './commands/positions.js';
import { registerSimCommand } from './commands/sim.js';
import { registerZerodhaCommands } from './commands/zerodha-login.js';
import { ExitCode } from './exit-codes.js';
import { reportError } from './output/error-report.js';
import { Output } from './output/output.js';
import { installSignalHandlers } from './shutdown.js';

const HELP_FOOTER = `
Configuration, highest precedence first:
  1. flags: --broker, --set key=value
  2. the config file: --config <path>, or ./brokerkit.config.json if present
  3. environment variables: BROKERKIT_BROKER, USE_MOCK_BROKER, IBKR_*, ZERODHA_*
  4. ./.env (a variable already set in the environment wins over .env)
The broker defaults to the in-process mock: no account, no real money, and no state between
commands (run "brokerkit demo" for a whole session).

Exit codes: 0 ok, 1 unexpected, 2 usage/invalid input, 3 connection/timeout, 4 order rejected /
insufficient funds / invalid symbol, 5 authentication/session, 6 not supported, 7 order not found,
8 package not installed, 9 rate limited, 10 order outcome unknown (do not re-send),
11 broker API error, 12 aborted at a prompt, 130 interrupted.`;

/** Builds the `brokerkit` command tree. */
export function createProgram(state: ProgramState): Command {
  const program = new Command('brokerkit')
    .description(
      'One command line for every brokerkit broker: mock (default), Interactive Brokers, Zerodha, plugins.',
    )
    .version(packageJson.version, '-V, --version', 'print the version')
    .option('-b, --broker <name>', 'broker: mock (default), ibkr, zerodha, or an installed plugin id')
    .option('-c, --config <path>', 'config file (default: ./brokerkit.config.json when present)')
    .option(
      '--set <key=value>',
      'broker config value, repeatable: --set host=127.0.0.1 --set port=4002',
      collect,
    )
    .option('--timeout <seconds>', 'time limit for each broker call')
    .option('--json', 'print results as JSON on stdout (shapes documented in the README)')
    .option('--verbose', 'print stack traces with errors')
    .option('--no-color', 'never colour the output (NO_COLOR=1 works too)')
    .addHelpText('after', HELP_FOOTER)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => state.io.stdout.write(text),
      writeErr: (text) => state.io.stderr.write(text),
      // Usage errors are printed once, in the CLI's own format, by `run`.
      outputError: () => {},
    });

  registerBalanceCommand(program, state);
  registerPositionsCommand(program, state);
  registerOrdersCommand(program, state);
  registerOrderCommands(program, state);
  registerMarginCommand(program, state);
  registerDoctorCommand(program, state);
  registerDemoCommand(program, state);
  registerSimCommand(program, state);
  registerZerodhaCommands(program, state);
  registerCompletionCommand(program, state);

  // Subcommands inherit the error handling and output settings.
  const configure = (command: Command) => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({
        writeOut: (text) => state.io.stdout.write(text),
        writeErr: (text) => state.io.stderr.write(text),
        outputError: () => {},
      });
      sub.showSuggestionAfterError(true);
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/**
 * Runs the command line and resolves with the exit code; never throws and never calls
 * `process.exit` (the caller does).
 *
 * @example
 * const code = await run(process.argv, { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
 */
export async function run(argv: readonly string[], io: CliEnvironment): Promise<ExitCode> {
  const args = argv.slice(2);
  const output = new Output({
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    json: args.includes('--json'),
    noColor: args.includes('--no-color'),
  });
  const verbose = args.includes('--verbose');
  // Secrets in the environment are redacted from everything, even errors raised before config loads.
  output.redactor.addFromRecord(io.env);
  const state: ProgramState = { io, output };
  installSignalHandlers(() => output.error(output.errorColors.yellow('interrupted; disconnecting')));

  let code: ExitCode;
  try {
    await createProgram(state).parseAsync([...argv]);
    code = state.exitCode ?? ExitCode.OK;
  } catch (error) {
    code = handleFailure(error, state, verbose);
  }
  await output.flush();
  return code;
}

function handleFailure(error: unknown, state: ProgramState, verbose: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // --help and --version print and succeed; "brokerkit order" without a subcommand printed its help.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.OK;
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync')
      return ExitCode.USAGE;
  }
  return reportError(state.output, error, { verbose, context: state.context?.errorContext ?? {} });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
