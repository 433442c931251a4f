import { z } from 'zod';
import { orderTypeSchema, productSchema, secTypeSchema, timeInForceSchema } from './schemas/enums.js';

/** One published rate limit of the broker, which the plugin schedules requests within. */
export const rateLimitSchema = z.strictObject({
  /** What the limit applies to: `orders`, `quotes`, `messages`, `other`. */
  scope: z.string().min(1),
  limit: z.number().int().positive(),
  intervalMs: z.number().int().positive(),
});
export type RateLimit = z.output<typeof rateLimitSchema>;

/**
 * What a plugin supports. The conformance suite runs (or skips) tests from it, AbstractBroker
 * refuses undeclared features with NotSupportedError before anything is sent, and users read it
 * to know what works.
 */
export const capabilitiesSchema = z.strictObject({
  /** Asset classes that can be traded. */
  assetClasses: z.array(secTypeSchema).min(1),
  /** Exchanges that can be named in `exchange`; empty means any the broker knows. */
  exchanges: z.array(z.string().min(1)),
  orderTypes: z.array(orderTypeSchema).min(1),
  /** Allowed time-in-force values per order type. */
  timeInForce: z.partialRecord(orderTypeSchema, z.array(timeInForceSchema).min(1)),
  /** Asset classes whose orders may give `cashQty` instead of `quantity`. */
  cashQuantity: z.array(secTypeSchema),
  /** Zerodha-style products the broker takes; empty if `product` means nothing to it. */
  products: z.array(productSchema),
  /** How `modifyOrder` works: natively (same id), by cancel-and-replace, or not at all. */
  modifyOrder: z.enum(['native', 'cancel-replace', 'none']),
  /** `getOrderMarginImpact` is available. */
  marginPreview: z.boolean(),
  /** Order updates and fills arrive as events without polling. */
  streamingOrderUpdates: z.boolean(),
  /** The plugin reconnects by itself after a drop and reconciles open orders. */
  reconnect: z.boolean(),
  bracketOrders: z.boolean(),
  trailingStop: z.boolean(),
  /** The broker's published limits. */
  rateLimits: z.array(rateLimitSchema),
});

export type BrokerCapabilities = z.output<typeof capabilitiesSchema>;

/**
 * Validates a capability declaration and deep-freezes it, so that what a plugin declares cannot
 * change after creation. Throws a TypeError listing each problem.
 */
export function defineCapabilities(capabilities: BrokerCapabilities): BrokerCapabilities {
  const parsed = capabilitiesSchema.safeParse(capabilities);
  if (!parsed.success) {
    throw new TypeError(
      `invalid broker capabilities: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return deepFreeze(parsed.data);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
