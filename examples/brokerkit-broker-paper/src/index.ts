import { defineBrokerPlugin } from '@brokerkit/core';
import { InMemoryBroker, InMemoryMarket, inMemoryBrokerCapabilities } from '@brokerkit/core/conformance';
import { z } from 'zod';

/**
 * A third-party plugin as its author would publish it: one package named `brokerkit-broker-paper`
 * whose default export is the plugin object. `createBroker({ broker: 'paper' })` finds it by that
 * name. The broker itself is core's in-memory reference broker on a one-symbol market.
 */
const configSchema = z.strictObject({
  /** Starting cash in USD. */
  cash: z.number().positive().default(100_000),
  /** Price of the one symbol it trades, PAPER. */
  price: z.number().positive().default(100),
});

export const plugin = defineBrokerPlugin({
  id: 'paper',
  displayName: 'Paper (example third-party plugin)',
  aliases: ['PaperBroker'],
  configSchema,
  capabilities: inMemoryBrokerCapabilities,
  create(config, options) {
    const market = new InMemoryMarket([{ symbol: 'PAPER', price: config.price, tickSize: 0.01 }]);
    return new InMemoryBroker({ market, cash: config.cash, fillDelayMs: 0 }, options);
  },
});

export default plugin;
