import {
  type Clock,
  ExchangeSimulator,
  type ExchangeSimulatorOptions,
  RealClock,
  VirtualClock,
} from '@brokerkit/exchange-sim';
import { type AdminEndpoint, startAdminEndpoint } from './admin-http.js';
import { TwsSimControl } from './control.js';
import { FaultState } from './fault-state.js';
import { TwsServer } from './server.js';
import type { PacingOptions } from './session.js';

/** Options of {@link startTwsSim}. Every field has a default. */
export interface StartTwsSimOptions {
  /** TCP port. 0 (the default) picks a free port: read it from the result. IB Gateway paper uses 4002. */
  port?: number;
  /** Loopback address. Default `127.0.0.1`. */
  host?: string;
  /** Managed account(s). Default `DU123456`. Several make a financial-advisor style login. */
  accounts?: string | readonly string[];
  /** Starting cash of each new account, in USD. Default 1,000,000. */
  cash?: number;
  /**
   * Time source: `real` (wall clock, the default for the standalone server), `virtual` (stands
   * still until `control.advanceClock(ms)`, the default for tests), or a `Clock`.
   */
  clock?: 'real' | 'virtual' | Clock;
  /** An existing engine to serve (e.g. shared with the in-process mock broker); its clock is used. */
  simulator?: ExchangeSimulator;
  /** Options of the engine created when `simulator` is not given (seed, prices, fill delay, ...). */
  simulatorOptions?: Omit<ExchangeSimulatorOptions, 'clock'>;
  /** Seed of the engine's price paths (shorthand for `simulatorOptions.seed`). */
  seed?: number;
  /** NEXT_VALID_ID of a client id that never placed an order. Default 1000. */
  firstOrderId?: number;
  /** Simultaneous API clients. Default 32. */
  maxClients?: number;
  /** Message-rate limit: `{ maxMessagesPerSecond: 50 | false, disconnectOnViolation: false }` by default. */
  pacing?: Partial<PacingOptions>;
  /** Send a client's open orders right after its start-up messages. Default false. */
  replayOpenOrdersOnConnect?: boolean;
  /** Keep a client id taken this long after a disconnect (326 on fast reconnects). Default 0. */
  clientIdHoldMs?: number;
  /** Port of a loopback HTTP admin endpoint for the control API; omitted = no endpoint; 0 = any free port. */
  adminPort?: number;
  /** Internal errors (bugs) go here; the server keeps running. Default `console.error`. */
  onInternalError?: (error: unknown) => void;
}

/** A running simulator. */
export interface TwsSim {
  /** The address clients connect to. */
  readonly host: string;
  readonly port: number;
  /** The admin endpoint's port, when one was asked for. */
  readonly adminPort: number | undefined;
  /** Fault injection, prices, virtual time, sessions and orders. */
  readonly control: TwsSimControl;
  /** The engine (instruments, prices, accounts, fills). */
  readonly simulator: ExchangeSimulator;
  /** Stops listening, drops every connection and stops the engine's timers (when it created the engine). */
  close(): Promise<void>;
}

function clockOf(option: StartTwsSimOptions['clock']): Clock {
  if (option === undefined || option === 'real') return new RealClock();
  if (option === 'virtual') return new VirtualClock();
  return option;
}

/**
 * Starts a TWS / IB Gateway simulator: a loopback TCP server speaking the TWS socket API at
 * server version 193 over an `@brokerkit/exchange-sim` engine.
 *
 * @example
 * import { startTwsSim } from '@brokerkit/tws-sim';
 * import { IBApi, EventName } from '@stoqey/ib';
 *
 * const sim = await startTwsSim({ clock: 'virtual', accounts: 'DU123456' });
 * const ib = new IBApi({ host: sim.host, port: sim.port });
 * ib.on(EventName.nextValidId, (orderId) => { ... });
 * ib.connect(1);
 * // ...
 * sim.control.advanceClock(1_000);
 * await sim.close();
 */
export async function startTwsSim(options: StartTwsSimOptions = {}): Promise<TwsSim> {
  const ownsSimulator = options.simulator === undefined;
  const simulator =
    options.simulator ??
    new ExchangeSimulator({
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      onListenerError:
        options.onInternalError ?? ((error) => console.error('tws-sim internal error:', error)),
      ...options.simulatorOptions,
      clock: clockOf(options.clock),
    });
  const accounts =
    typeof options.accounts === 'string' ? [options.accounts] : [...(options.accounts ?? ['DU123456'])];
  for (const account of accounts) {
    if (!simulator.hasAccount(account))
      simulator.createAccount({ id: account, cash: options.cash ?? 1_000_000 });
  }
  const server = new TwsServer({
    simulator,
    faults: new FaultState(),
    accounts,
    host: options.host,
    port: options.port,
    firstOrderId: options.firstOrderId,
    maxClients: options.maxClients,
    pacing: options.pacing,
    replayOpenOrdersOnConnect: options.replayOpenOrdersOnConnect,
    clientIdHoldMs: options.clientIdHoldMs,
    onInternalError: options.onInternalError,
  });
  const control = new TwsSimControl(server);
  let admin: AdminEndpoint | undefined;
  try {
    await server.listen();
    if (options.adminPort !== undefined)
      admin = await startAdminEndpoint(control, { host: server.host, port: options.adminPort });
  } catch (error) {
    await server.close();
    if (ownsSimulator) simulator.dispose();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    host: server.host,
    port: server.port,
    adminPort: admin?.port,
    control,
    simulator,
    close() {
      closing ??= (async () => {
        await admin?.close();
        await server.close();
        if (ownsSimulator) simulator.dispose();
      })();
      return closing;
    },
  };
}
