import { createServer } from 'node:net';
import type { BrokerOptions } from '@brokerkit/core';
import type { ConformanceHarness, HarnessOptions } from '@brokerkit/core/conformance';
import { type StartTwsSimOptions, startTwsSim, type TwsSim } from '@brokerkit/tws-sim';
import { type IbkrConfigInput, ibkrConfigSchema } from '../config.js';
import { IbkrBroker } from '../ibkr-broker.js';

export const SIM_ACCOUNT = 'DU123456';

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts tws-sim on a free loopback port with a virtual clock and fixed prices. */
export function startSim(options: StartTwsSimOptions = {}): Promise<TwsSim> {
  return startTwsSim({
    clock: 'virtual',
    accounts: SIM_ACCOUNT,
    cash: 1_000_000,
    onInternalError: (error) => {
      throw error;
    },
    ...options,
    simulatorOptions: { randomWalk: false, ...options.simulatorOptions },
  });
}

/** An IBKR broker pointed at a simulator, with short connection settings for tests. */
export function brokerFor(
  sim: Pick<TwsSim, 'host' | 'port'> & { simulator?: TwsSim['simulator'] },
  config: IbkrConfigInput = {},
  options: BrokerOptions = {},
): IbkrBroker {
  return new IbkrBroker(
    ibkrConfigSchema.parse({
      host: sim.host,
      port: sim.port,
      accountId: SIM_ACCOUNT,
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 3_000,
      ...config,
      reconnect: { initialDelayMs: 20, maxDelayMs: 200, ...config.reconnect },
    }),
    options,
  );
}

/** Lets the event loop run (socket reads and writes) for a moment. */
export const settle = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The conformance harness: a fresh tws-sim per test (virtual clock, fixed prices, fills 50 ms of
 * market time after acceptance), an IBKR broker on it, and a market controller mapped to the
 * simulator's control API.
 */
export async function createTwsSimHarness(options: HarnessOptions = {}): Promise<ConformanceHarness> {
  const sim = await startSim({ simulatorOptions: { fillDelayMs: 50 } });
  const port = options.unreachable === true ? await unusedPort() : sim.port;
  const broker = brokerFor(
    { host: sim.host, port },
    {},
    { now: () => sim.simulator.clock.now(), ...options.brokerOptions },
  );
  return {
    broker,
    market: {
      setPrice: (symbol, price) => sim.control.setPrice(symbol, price),
      advanceTime: async (ms) => {
        sim.control.advanceClock(ms);
        await settle(1);
      },
      injectFault: (fault) => {
        if (fault === 'reject') sim.control.rejectNextOrder('rejected by fault injection');
        else sim.simulator.faults.stallNextRequest();
      },
      dropConnection: async () => {
        sim.control.dropConnections();
        await settle(1);
      },
    },
    fixtures: {
      instrument: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' },
      price: sim.control.price('AAPL'),
      tickSize: 0.01,
      quantity: 10,
      invalidSymbol: 'NOSUCHSYMBOL',
      unaffordableQuantity: 1_000_000,
      fillTimeMs: 50,
    },
    cleanup: async () => {
      await broker.disconnect().catch(() => {});
      await sim.close();
    },
  };
}
