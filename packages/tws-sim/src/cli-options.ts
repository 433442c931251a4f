import { parseArgs } from 'node:util';
import { type StartTwsSimOptions, startTwsSim, type TwsSim } from './start-tws-sim.js';

/** The bin's usage text. */
export const HELP = `tws-sim: a TWS / IB Gateway simulator (TWS socket API, server version 193)

Usage: tws-sim [options]

  --port <n>                    TCP port (default 4002, IB Gateway paper; 0 = any free port)
  --host <address>              loopback address (default 127.0.0.1)
  --account <id>                managed account, repeatable or comma-separated (default DU123456)
  --cash <amount>               starting cash of each account in USD (default 1000000)
  --seed <n>                    seed of the price paths (default 1)
  --price <SYMBOL=PRICE>        starting price, repeatable (e.g. --price AAPL=190.25)
  --fill-delay-ms <ms>          time from acceptance to the matching engine (default 0)
  --price-step-ms <ms>          price path step, 0 freezes prices (default 1000)
  --first-order-id <n>          NEXT_VALID_ID of a new client id (default 1000)
  --max-messages-per-second <n> pacing limit, 0 turns pacing off (default 50)
  --pacing-disconnect           close the connection after a pacing violation (code 100)
  --replay-open-orders          send a client's open orders right after it connects
  --client-id-hold-ms <ms>      keep a client id taken after a disconnect (default 0)
  --admin-port <n>              start the loopback HTTP admin endpoint on this port (0 = any)
  --help                        show this help

Admin endpoint (with --admin-port): POST JSON to /notice {"code":1100}, /drop-connections,
/price {"symbol":"AAPL","price":190}, /reject-next-order {"reason":"..."}, /warn-next-order,
/delay-end-marker, /withhold-end-marker, /restore-end-marker, /duplicate-order-messages,
/two-stage-what-if, /hold-client-ids, /reset; GET /status, /sessions, /orders.
`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a whole number >= 0, got ${value}`);
  return parsed;
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`--${name} must be a number >= 0, got ${value}`);
  return parsed;
}

/** Turns the command line into options for `startTwsSim`; throws with a message naming the bad flag. */
export function optionsFromArgs(args: string[]): StartTwsSimOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      account: { type: 'string', multiple: true },
      cash: { type: 'string' },
      seed: { type: 'string' },
      price: { type: 'string', multiple: true },
      'fill-delay-ms': { type: 'string' },
      'price-step-ms': { type: 'string' },
      'first-order-id': { type: 'string' },
      'max-messages-per-second': { type: 'string' },
      'pacing-disconnect': { type: 'boolean' },
      'replay-open-orders': { type: 'boolean' },
      'client-id-hold-ms': { type: 'string' },
      'admin-port': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const prices: Record<string, number> = {};
  for (const entry of values.price ?? []) {
    const [symbol, price] = entry.split('=');
    const parsed = Number(price);
    if (!symbol || !Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`--price takes SYMBOL=PRICE, got ${entry}`);
    prices[symbol] = parsed;
  }
  const accounts = (values.account ?? ['DU123456'])
    .flatMap((entry) => entry.split(','))
    .map((id) => id.trim())
    .filter(Boolean);
  const maxMessages = integer('max-messages-per-second', values['max-messages-per-second'], 50);
  return {
    port: integer('port', values.port, 4002),
    host: values.host,
    accounts,
    cash: positiveNumber('cash', values.cash),
    clock: 'real',
    simulatorOptions: {
      seed: integer('seed', values.seed, 1),
      prices,
      fillDelayMs: positiveNumber('fill-delay-ms', values['fill-delay-ms']),
      priceStepMs: positiveNumber('price-step-ms', values['price-step-ms']),
    },
    firstOrderId:
      values['first-order-id'] === undefined
        ? undefined
        : integer('first-order-id', values['first-order-id'], 1000),
    pacing: {
      maxMessagesPerSecond: maxMessages === 0 ? false : maxMessages,
      disconnectOnViolation: values['pacing-disconnect'] ?? false,
    },
    replayOpenOrdersOnConnect: values['replay-open-orders'] ?? false,
    clientIdHoldMs: positiveNumber('client-id-hold-ms', values['client-id-hold-ms']),
    adminPort:
      values['admin-port'] === undefined ? undefined : integer('admin-port', values['admin-port'], 0),
  };
}

/** Where the CLI writes. */
export interface CliOutput {
  write(text: string): unknown;
}

/**
 * Runs the `tws-sim` command line: starts the simulator and reports where it listens. Resolves
 * with the running simulator, or with an exit code when it did not start (0 after `--help`,
 * 2 for bad flags). The bin wires SIGINT/SIGTERM to `close()`.
 */
export async function runCli(args: string[], stdout: CliOutput, stderr: CliOutput): Promise<TwsSim | number> {
  let options: StartTwsSimOptions | 'help';
  try {
    options = optionsFromArgs(args);
  } catch (error) {
    stderr.write(`tws-sim: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  if (options === 'help') {
    stdout.write(HELP);
    return 0;
  }
  const sim = await startTwsSim(options);
  const accounts = [options.accounts ?? []].flat().join(',');
  stdout.write(`tws-sim listening on ${sim.host}:${sim.port} (server version 193, accounts ${accounts})\n`);
  if (sim.adminPort !== undefined)
    stdout.write(`tws-sim admin endpoint on http://${sim.host}:${sim.adminPort}/\n`);
  return sim;
}
