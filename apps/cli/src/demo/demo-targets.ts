import { randomBytes } from 'node:crypto';
import type { BrokerConfig, BrokerPlugin, OrderRequest } from '@brokerkit/core';
import { usageError } from '../cli-error.js';
import { type RunningSimulator, SIMULATORS, startSimulator } from '../simulators.js';

/** What the demo trades: one instrument the target's market knows, in a small size. */
export interface DemoInstrument {
  /** Contract fields of the order (`symbol`, and `exchange`, `product`, ... where the broker needs them). */
  contract: Pick<OrderRequest, 'symbol' | 'secType' | 'exchange' | 'currency' | 'product'>;
  quantity: number;
  /** Limit prices are rounded to this. */
  tickSize: number;
}

/** A market the demo can run against, ready to connect to. */
export interface DemoEnvironment {
  /** The config `createBroker` gets; never the user's own config or credentials. */
  config: BrokerConfig;
  instrument: DemoInstrument;
  /** One line for the header: where this runs. */
  description: string;
  /** Stops whatever `start` started (a simulator). */
  stop(): Promise<void>;
}

/** What a target may use to start. */
export interface DemoTargetContext {
  /** Resolves a broker plugin (throws core's PluginNotInstalledError with the package to install). */
  resolvePlugin(name: string): Promise<BrokerPlugin>;
  /** Where optional packages (simulators) are looked up. */
  searchDirs: readonly string[];
}

/**
 * One broker the demo can run on. THE HOOK for new brokers: a target starts an in-process or
 * loopback market (never a real account) and returns the broker config that reaches it. The demo
 * script itself is broker-agnostic and only uses the Broker contract.
 */
export interface DemoTarget {
  brokerId: string;
  start(context: DemoTargetContext): Promise<DemoEnvironment>;
}

const nothingToStop = async () => {};

/** The mock: in-process, fills after half a second, never rejects at random, same prices every run. */
const mockTarget: DemoTarget = {
  brokerId: 'mock',
  async start(context) {
    await context.resolvePlugin('mock');
    return {
      config: { broker: 'mock', fillDelaySeconds: 0.5, rejectionRate: 0, seed: 42 },
      instrument: { contract: { symbol: 'AAPL' }, quantity: 10, tickSize: 0.01 },
      description: 'the in-process mock broker (no account, no real money)',
      stop: nothingToStop,
    };
  },
};

/**
 * Interactive Brokers against `@brokerkit/tws-sim` on a free loopback port. Needs
 * `@brokerkit/broker-ibkr` and `@brokerkit/tws-sim`. The config keys (`host`, `port`, `clientId`)
 * are the spec's IBKR config.
 */
const ibkrTarget: DemoTarget = {
  brokerId: 'ibkr',
  async start(context) {
    await context.resolvePlugin('ibkr');
    const server = await startSimulator(SIMULATORS.tws, { host: '127.0.0.1', port: 0 }, context.searchDirs);
    return {
      config: { broker: 'ibkr', host: server.host, port: server.port, clientId: 1 },
      instrument: {
        contract: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' },
        quantity: 10,
        tickSize: 0.01,
      },
      description: `@brokerkit/tws-sim on ${server.host}:${server.port} (a simulated TWS, no account)`,
      stop: () => server.close(),
    };
  },
};

/**
 * Zerodha against `@brokerkit/kite-sim` on a free loopback port. Needs `@brokerkit/broker-zerodha`
 * and `@brokerkit/kite-sim`. Expects the simulator to report the credentials it accepts
 * (`apiKey`, `accessToken`) and its base `url`; `zerodhaConfigFor` maps them to the plugin's config
 * (`apiKey`, `accessToken`, `root`).
 */
const zerodhaTarget: DemoTarget = {
  brokerId: 'zerodha',
  async start(context) {
    await context.resolvePlugin('zerodha');
    // The simulator accepts this throwaway pair at once, as `npx @brokerkit/kite-sim --api-key --access-token` does.
    const credentials = { apiKey: 'brokerkit_demo', accessToken: randomBytes(16).toString('hex') };
    const server = await startSimulator(
      SIMULATORS.kite,
      { host: '127.0.0.1', port: 0, ...credentials },
      context.searchDirs,
    );
    return {
      config: zerodhaConfigFor(server),
      instrument: {
        contract: { symbol: 'RELIANCE', exchange: 'NSE', product: 'CNC' },
        quantity: 1,
        tickSize: 0.05,
      },
      description: `@brokerkit/kite-sim on ${server.host}:${server.port} (a simulated Kite, no account)`,
      stop: () => server.close(),
    };
  },
};

/** The zerodha plugin's config for a running kite-sim: the credentials it accepts and its base URL. */
function zerodhaConfigFor(server: RunningSimulator): BrokerConfig {
  const root =
    typeof server.root === 'string' ? server.root : (server.url ?? `http://${server.host}:${server.port}`);
  if (typeof server.apiKey !== 'string' || typeof server.accessToken !== 'string') {
    throw usageError('@brokerkit/kite-sim did not report the API key and access token it accepts');
  }
  return { broker: 'zerodha', apiKey: server.apiKey, accessToken: server.accessToken, root };
}

/** The brokers `brokerkit demo` can run on, by plugin id. */
export const DEMO_TARGETS: Readonly<Record<string, DemoTarget>> = {
  mock: mockTarget,
  ibkr: ibkrTarget,
  zerodha: zerodhaTarget,
};

/** The target for a broker name (id or common alias, any case). */
export function demoTargetFor(name: string): DemoTarget {
  const key = name.trim().toLowerCase();
  const target = DEMO_TARGETS[key === 'interactive-brokers' ? 'ibkr' : key];
  if (target === undefined) {
    throw usageError(
      `there is no demo for broker "${name}"`,
      `the demo runs on ${Object.keys(DEMO_TARGETS).join(', ')}; it never uses a real account`,
    );
  }
  return target;
}
