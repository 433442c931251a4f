import type { Fill, OrderRecord } from '@brokerkit/core';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import { clientOrderIdOf, type KiteOrderJson, toOrderRecord } from '../mapping/kite-order-record.js';
import { mapKiteStatus } from '../mapping/kite-status-map.js';
import { kiteTimestampToEpoch } from '../time/ist-clock.js';

/** What changed when an order was seen again. */
export interface Observation {
  record: OrderRecord;
  /** Status, quantities or prices differ from the last time this order was seen (or it is new). */
  changed: boolean;
  /** Executions since the last observation (derived from the cumulative filled quantity). */
  fills: Fill[];
}

interface Seen {
  key: string;
  filled: number;
  averagePrice: number;
  final: boolean;
  variety: string;
}

/** Orders remembered at most; the oldest are forgotten first. */
const CAPACITY = 50_000;

/**
 * What this plugin last saw of each Kite order, from any source (the order-update stream, the
 * polling fallback, queries), so that each change is reported once and fills can be derived.
 *
 * Fills: Kite reports an order's cumulative `filled_quantity` and `average_price`. Each increase
 * becomes one Fill of the difference, priced so that the fills' volume-weighted average equals
 * Kite's average, with execution id `<order_id>:<cumulative filled>`. The id is the same whichever
 * source saw the increase first, so brokerkit's duplicate check drops a fill seen twice.
 */
export class KiteOrderBook {
  readonly #seen = new Map<string, Seen>();
  readonly #byTag = new Map<string, string>();
  readonly #tagOf = new Map<string, string>();
  readonly #open = new Set<string>();

  /** Records orders that existed before this session without reporting them or their old fills. */
  seed(orders: readonly KiteOrderJson[]): void {
    for (const order of orders)
      this.#remember(order, Number(order.filled_quantity) || 0, Number(order.average_price) || 0);
  }

  /** Records the client order id of an order this plugin just placed (its fills start from zero). */
  expect(orderId: string, clientOrderId: string): void {
    this.#byTag.set(clientOrderId, orderId);
    this.#tagOf.set(orderId, clientOrderId);
    // Working until seen otherwise, so that the polling fallback watches it.
    if (!(this.#seen.get(orderId)?.final ?? false)) this.#open.add(orderId);
    this.#trim();
  }

  /** Takes a fresh view of an order; reports whether it changed and any new fills. */
  observe(order: KiteOrderJson, instrument: KiteInstrument | undefined, now: number): Observation {
    const record = toOrderRecord(order, instrument, now, this.#tagOf.get(String(order.order_id)));
    const orderId = record.orderId;
    const previous = this.#seen.get(orderId);
    const key = keyOf(order);
    const fills: Fill[] = [];
    const filled = record.filledQuantity;
    const average = Number(order.average_price) || 0;
    const before = previous?.filled ?? 0;
    if (filled > before) {
      const beforeAverage = previous?.averagePrice ?? 0;
      const quantity = filled - before;
      let price = (average * filled - beforeAverage * before) / quantity;
      price = Number.isFinite(price) && price > 0 ? Number(price.toFixed(4)) : average;
      if (price > 0) {
        fills.push({
          orderId,
          clientOrderId: record.clientOrderId,
          executionId: `${orderId}:${filled}`,
          symbol: record.symbol,
          side: record.side,
          quantity,
          price,
          time:
            kiteTimestampToEpoch(order.exchange_update_timestamp) ??
            kiteTimestampToEpoch(order.exchange_timestamp) ??
            now,
          raw: record.raw,
        });
      }
    }
    this.#remember(
      order,
      Math.max(filled, before),
      filled >= before ? average : (previous?.averagePrice ?? average),
    );
    return { record, changed: previous === undefined || previous.key !== key, fills };
  }

  /** The Kite order id of an order with this tag (client order id), if one was seen. */
  orderIdForTag(tag: string): string | undefined {
    return this.#byTag.get(tag);
  }

  /** The variety an order was placed with (`regular` unless seen otherwise). */
  variety(orderId: string): string {
    return this.#seen.get(orderId)?.variety ?? 'regular';
  }

  /** True when an order was seen final (COMPLETE, CANCELLED, REJECTED). */
  isFinal(orderId: string): boolean {
    return this.#seen.get(orderId)?.final ?? false;
  }

  /** How many orders were last seen working. */
  get openCount(): number {
    return this.#open.size;
  }

  #remember(order: KiteOrderJson, filled: number, averagePrice: number): void {
    const orderId = String(order.order_id);
    this.#seen.delete(orderId);
    const variety = typeof order.variety === 'string' && order.variety !== '' ? order.variety : 'regular';
    const status = mapKiteStatus({ status: order.status, filledQuantity: filled });
    const final = status === 'FILLED' || status === 'CANCELLED' || status === 'REJECTED';
    this.#seen.set(orderId, { key: keyOf(order), filled, averagePrice, final, variety });
    if (final) this.#open.delete(orderId);
    else this.#open.add(orderId);
    const tagged = typeof order.tag === 'string' && order.tag.trim() !== '';
    const tag = (tagged ? undefined : this.#tagOf.get(orderId)) ?? clientOrderIdOf(order);
    this.#byTag.set(tag, orderId);
    this.#tagOf.set(orderId, tag);
    this.#trim();
  }

  /** Forgets the oldest entries beyond the capacity. */
  #trim(): void {
    while (this.#seen.size > CAPACITY) {
      const oldest = this.#seen.keys().next().value!;
      this.#seen.delete(oldest);
      this.#open.delete(oldest);
    }
    while (this.#byTag.size > CAPACITY) this.#byTag.delete(this.#byTag.keys().next().value!);
    while (this.#tagOf.size > CAPACITY) this.#tagOf.delete(this.#tagOf.keys().next().value!);
  }
}

function keyOf(order: KiteOrderJson): string {
  return [
    order.status,
    order.filled_quantity ?? 0,
    order.average_price ?? 0,
    order.quantity,
    order.price ?? 0,
    order.trigger_price ?? 0,
    order.order_type,
    order.validity ?? '',
  ].join('|');
}
