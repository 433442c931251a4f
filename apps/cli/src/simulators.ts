import { CliError } from './cli-error.js';
import { importOptionalPackage } from './plugins/installed-package.js';

/** The simulators `brokerkit sim` can start. */
export type SimulatorName = 'tws' | 'kite';

/** What the CLI needs to know about each simulator. */
export interface SimulatorInfo {
  name: SimulatorName;
  packageName: string;
  /** The broker plugin that talks to it. */
  brokerId: string;
  description: string;
  /** Names of the start function the package may export, in the order they are tried. */
  startExports: readonly string[];
  /** Port used when `--port` is not given; absent: the simulator's own default. */
  defaultPort?: number;
  /** How to point brokerkit at the running simulator. */
  connectHint(server: RunningSimulator): string;
}

/** The simulators, by name. */
export const SIMULATORS: Readonly<Record<SimulatorName, SimulatorInfo>> = {
  tws: {
    name: 'tws',
    packageName: '@brokerkit/tws-sim',
    brokerId: 'ibkr',
    description: 'TWS / IB Gateway socket-protocol simulator (for the ibkr broker)',
    startExports: ['startServer', 'startTwsSim'],
    // IB Gateway's paper port, which the ibkr plugin connects to by default.
    defaultPort: 4002,
    connectHint: (server) =>
      `brokerkit --broker ibkr --set host=${server.host} --set port=${server.port} balance`,
  },
  kite: {
    name: 'kite',
    packageName: '@brokerkit/kite-sim',
    brokerId: 'zerodha',
    description: 'Kite Connect v3 HTTP + WebSocket simulator (for the zerodha broker)',
    startExports: ['startServer', 'startKiteSim'],
    connectHint: (server) =>
      `brokerkit --broker zerodha --set root=${typeof server.root === 'string' ? server.root : `http://${server.host}:${server.port}`} balance (with the API key and access token given by -o apiKey=... -o accessToken=...)`,
  },
};

/**
 * What the CLI passes to a simulator's `startServer`. `host` and `port` are always understood;
 * anything else (`seed`, fault injection, ...) is passed through from `--option key=value`.
 */
export interface SimulatorStartOptions {
  /** Interface to bind; the CLI defaults it to 127.0.0.1 (loopback only). */
  host: string;
  /** Port to listen on; `0` picks a free one. Absent: the simulator's default. */
  port?: number;
  [option: string]: unknown;
}

/**
 * What `startServer` must resolve with: where it listens and how to stop it. `url` is the base URL
 * of HTTP simulators (kite). Extra fields (credentials the simulator accepts, such as
 * `apiKey` / `accessToken` for kite) are passed on to the demo's broker config hook.
 */
export interface RunningSimulator {
  host: string;
  port: number;
  url?: string;
  close(): Promise<void>;
  [field: string]: unknown;
}

/**
 * Loads a simulator package lazily (it is not a dependency of the CLI) and starts it.
 *
 * The contract the CLI expects from `@brokerkit/tws-sim` and `@brokerkit/kite-sim`: a named export
 * `startServer(options: SimulatorStartOptions): Promise<RunningSimulator>`; the packages' own names
 * `startTwsSim` / `startKiteSim` with the same signature are accepted too (as is a default export
 * that is the function, or an object carrying `startServer`).
 */
export async function startSimulator(
  info: SimulatorInfo,
  options: SimulatorStartOptions,
  searchFrom: readonly string[],
): Promise<RunningSimulator> {
  const module = await importOptionalPackage(info.packageName, {
    searchFrom,
    neededBy: `the ${info.name} simulator`,
  });
  const startServer = findStartServer(module, info.startExports);
  if (startServer === undefined) {
    throw new CliError('PACKAGE_INCOMPATIBLE', {
      message: `${info.packageName} does not export ${info.startExports.join(' or ')}(options)`,
      hint: `install a version of ${info.packageName} that matches this brokerkit`,
    });
  }
  let server: unknown;
  try {
    server = await startServer(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError('UNEXPECTED', {
      message: `${info.packageName} could not start: ${error instanceof Error ? error.message : String(error)}`,
      hint:
        code === 'EADDRINUSE' ? 'the port is in use; pick another with --port' : 'run again with --verbose',
      cause: error,
    });
  }
  if (!isRunningSimulator(server)) {
    throw new CliError('PACKAGE_INCOMPATIBLE', {
      message: `${info.packageName}'s startServer() did not return { host, port, close() }`,
      hint: `install a version of ${info.packageName} that matches this brokerkit`,
    });
  }
  // Own fields (credentials, url) are kept; close stays bound in case it is a class method.
  const running = server;
  return {
    ...running,
    host: typeof running.host === 'string' ? running.host : options.host,
    port: running.port,
    close: () => running.close(),
  };
}

type StartServer = (options: SimulatorStartOptions) => Promise<unknown>;

function findStartServer(module: Record<string, unknown>, names: readonly string[]): StartServer | undefined {
  const fallback = module.default as Record<string, unknown> | ((...args: unknown[]) => unknown) | undefined;
  const candidates = [
    ...names.map((name) => module[name]),
    typeof fallback === 'object' && fallback !== null ? fallback.startServer : undefined,
    fallback,
  ];
  return candidates.find((candidate): candidate is StartServer => typeof candidate === 'function');
}

function isRunningSimulator(value: unknown): value is RunningSimulator {
  if (value === null || typeof value !== 'object') return false;
  const server = value as Record<string, unknown>;
  return typeof server.port === 'number' && typeof server.close === 'function';
}
