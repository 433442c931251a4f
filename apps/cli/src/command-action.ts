import type { Command } from 'commander';
import { type CliEnvironment, CommandContext, type GlobalOptions } from './command-context.js';
import type { ExitCode } from './exit-codes.js';
import type { Output } from './output/output.js';

/** What every command's action shares: the process, the output, and where to put the result. */
export interface ProgramState {
  io: CliEnvironment;
  output: Output;
  /** The running command's context, once created (for error hints). */
  context?: CommandContext;
  /** What the command asked to exit with when it did not throw. */
  exitCode?: ExitCode;
}

/** A command's body: positional arguments and its own options; may return a non-zero exit code. */
export type CommandHandler<TOptions> = (
  context: CommandContext,
  args: string[],
  options: TOptions,
) => Promise<ExitCode | undefined> | Promise<void>;

/**
 * Wraps a command body as a commander action: builds the context from the global options and
 * records the exit code. Errors propagate to `run`, which prints them once.
 */
export function commandAction<TOptions>(state: ProgramState, handler: CommandHandler<TOptions>) {
  return async (...received: unknown[]): Promise<void> => {
    const command = received[received.length - 1] as Command;
    const options = command.opts() as TOptions;
    const globals = command.optsWithGlobals() as GlobalOptions;
    const args = command.processedArgs.map((value) =>
      value === undefined ? undefined : String(value),
    ) as string[];
    const context = new CommandContext(state.io, globals, state.output);
    state.context = context;
    const code = await handler(context, args, options);
    if (typeof code === 'number') state.exitCode = code;
  };
}
