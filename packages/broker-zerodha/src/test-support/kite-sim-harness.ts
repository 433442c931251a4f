import { createServer } from 'node:net';
import type { BrokerOptions } from '@brokerkit/core';
import type { ConformanceHarness, HarnessOptions } from '@brokerkit/core/conformance';
import { type KiteSim, type KiteSimOptions, startKiteSim } from '@brokerkit/kite-sim';
import type { ZerodhaConfigInput } from '../config.js';
import { plugin } from '../plugin.js';
import type { ZerodhaBroker } from '../zerodha-broker.js';

export const API_KEY = 'kite_sim_api_key';
export const API_SECRET = 'kite_sim_api_secret';
export const ACCESS_TOKEN = 'brokerkit-test-access-token';

/** A root where nothing listens: a port that was free a moment ago. */
export async function unreachableRoot(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Starts kite-sim on a free loopback port with a fixed access token, frozen prices and no daily expiry. */
export function startTestSim(options: KiteSimOptions = {}): Promise<KiteSim> {
  return startKiteSim({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    accessToken: ACCESS_TOKEN,
    tokenExpiryTime: false,
    heartbeatMs: 500,
    ...options,
    simulatorOptions: { priceStepMs: 0, randomWalk: false, ...options.simulatorOptions },
  });
}

/** A Zerodha broker (through the plugin's config schema, as createBroker would) pointed at a sim. */
export function brokerFor(
  sim: KiteSim,
  config: Partial<ZerodhaConfigInput> = {},
  options: BrokerOptions = {},
): ZerodhaBroker {
  const parsed = plugin.configSchema.parse({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    accessToken: ACCESS_TOKEN,
    root: sim.root,
    tickerRoot: sim.tickerRoot,
    ...config,
  });
  return plugin.create(parsed, options) as ZerodhaBroker;
}

/** The conformance harness: a fresh kite-sim per test, INFY on NSE (CNC), real time. */
export async function createKiteSimHarness(options: HarnessOptions): Promise<ConformanceHarness> {
  const sim = await startTestSim();
  const root = options.unreachable === true ? await unreachableRoot() : sim.root;
  const broker = brokerFor(sim, { root, tickerRoot: sim.tickerRoot }, options.brokerOptions ?? {});
  const instrument = sim.control.instrument('NSE:INFY');
  const price = sim.control.price('NSE:INFY');
  return {
    broker,
    fixtures: {
      instrument: { symbol: 'INFY', exchange: 'NSE', product: 'CNC' },
      price,
      tickSize: instrument.tickSize,
      quantity: 1,
      invalidSymbol: 'NOSUCHSYMBOL',
      unaffordableQuantity: 1_000_000,
      fillTimeMs: 100,
    },
    market: {
      setPrice: (symbol, value) => sim.control.setPrice(`NSE:${symbol}`, value),
      advanceTime: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      injectFault: (fault) => {
        if (fault === 'reject') sim.control.rejectNextOrder('Order rejected by the exchange (conformance)');
        else sim.control.timeoutNextRequest();
      },
      dropConnection: async () => sim.control.dropConnections(),
    },
    cleanup: () => sim.close(),
  };
}
