import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { commandAction, type ProgramState } from '../command-action.js';
import { parseSetOptions } from '../config/set-options.js';
import { renderDetails } from '../output/table.js';
import { addCleanup, waitForStopSignal } from '../shutdown.js';
import { SIMULATORS, type SimulatorName, type SimulatorStartOptions, startSimulator } from '../simulators.js';

interface SimFlags {
  host: string;
  port?: string;
  option?: string[];
}

/**
 * `brokerkit sim tws|kite`: runs a broker simulator in the foreground until Ctrl+C. The simulator
 * packages are optional; without them the command says which one to install (exit code 8).
 *
 * JSON (one document, printed once listening): `{ "simulator": "tws", "package": "@brokerkit/tws-sim",
 * "host": "127.0.0.1", "port": 4002, "url"?: "...", "broker": "ibkr" }`.
 */
export function registerSimCommand(program: Command, state: ProgramState): void {
  const sim = program
    .command('sim')
    .description('run a broker simulator in the foreground (Ctrl+C stops it)');
  for (const info of Object.values(SIMULATORS)) {
    sim
      .command(info.name)
      .description(`${info.description}; needs ${info.packageName}`)
      .option('--host <host>', 'interface to listen on (loopback by default)', '127.0.0.1')
      .option(
        '-p, --port <port>',
        `port to listen on, 0 picks a free one (default: ${info.defaultPort ?? "the simulator's"})`,
      )
      .option(
        '-o, --option <key=value>',
        'pass an option to the simulator (repeatable), e.g. -o seed=42',
        collect,
      )
      .action(
        commandAction<SimFlags>(state, async (context, _args, flags) => {
          const options: SimulatorStartOptions = { ...parseSetOptions(flags.option ?? []), host: flags.host };
          const port = flags.port === undefined ? info.defaultPort : parsePort(flags.port);
          if (port !== undefined) options.port = port;
          const server = await context.waitFor(`starting ${info.packageName}`, () =>
            startSimulator(SIMULATORS[info.name as SimulatorName], options, context.resolver.searchDirs),
          );
          const removeCleanup = addCleanup(() => server.close());
          const { output } = context;
          output.printJson({
            simulator: info.name,
            package: info.packageName,
            host: server.host,
            port: server.port,
            ...(typeof server.url === 'string' ? { url: server.url } : {}),
            broker: info.brokerId,
          });
          output.print(
            `${output.colors.bold(`${info.packageName} listening`)} on ${server.host}:${server.port}`,
          );
          output.print(
            renderDetails(
              [
                ...(typeof server.url === 'string' ? [['url', server.url] as [string, string]] : []),
                ['try', info.connectHint(server)],
                ['stop', 'Ctrl+C'],
              ],
              output.colors,
            ),
          );
          await waitForStopSignal();
          removeCleanup();
          await server.close();
          output.note(`${info.packageName} stopped`);
        }),
      );
  }
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65_535) throw usageError(`--port must be 0-65535, got "${text}"`);
  return port;
}
