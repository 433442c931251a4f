import {
  type Broker,
  type Fill,
  isFinalStatus,
  type OrderRecord,
  type OrderUpdateEvent,
} from '@brokerkit/core';

/** How often to ask for the order when the broker does not stream updates. */
const POLL_INTERVAL_MS = 500;

/** What watching an order to the end found. */
export interface WatchResult {
  /** The order as last seen. */
  order: OrderRecord;
  /** Executions seen while watching, in arrival order. */
  fills: Fill[];
  /** True when the wait ended before the order reached a final status. */
  timedOut: boolean;
}

/**
 * Follows one order by its client order id through the broker's `orderUpdate` and `fill` events.
 * Start it before placing the order, so an early fill is not missed; when the broker does not
 * stream updates (`capabilities.streamingOrderUpdates` false) it polls `getOrder` instead.
 */
export class OrderWatcher {
  readonly fills: Fill[] = [];
  readonly #broker: Broker;
  readonly #clientOrderId: string;
  readonly #onFill: ((fill: Fill) => void) | undefined;
  #latest: OrderRecord | undefined;
  #wake: (() => void) | undefined;

  readonly #handleUpdate = (event: OrderUpdateEvent) => {
    if (event.order.clientOrderId !== this.#clientOrderId) return;
    this.#latest = event.order;
    this.#wake?.();
  };

  readonly #handleFill = (fill: Fill) => {
    if (fill.clientOrderId !== this.#clientOrderId) return;
    this.fills.push(fill);
    this.#onFill?.(fill);
    this.#wake?.();
  };

  constructor(broker: Broker, clientOrderId: string, onFill?: (fill: Fill) => void) {
    this.#broker = broker;
    this.#clientOrderId = clientOrderId;
    this.#onFill = onFill;
    broker.on('orderUpdate', this.#handleUpdate);
    broker.on('fill', this.#handleFill);
  }

  /** Waits until the order is FILLED, CANCELLED or REJECTED, or `timeoutMs` passes. */
  async waitForFinal(orderId: string, timeoutMs: number): Promise<WatchResult> {
    const deadline = Date.now() + timeoutMs;
    const streaming = this.#broker.capabilities.streamingOrderUpdates;
    let order = this.#latest ?? (await this.#broker.getOrder(orderId));
    while (!isFinalStatus(order.status) && Date.now() < deadline) {
      await this.#sleep(
        Math.min(streaming ? deadline - Date.now() : POLL_INTERVAL_MS, deadline - Date.now()),
      );
      order = streaming && this.#latest !== undefined ? this.#latest : await this.#broker.getOrder(orderId);
    }
    // Events carry the record as pushed; one last read returns the broker's settled view.
    if (isFinalStatus(order.status) || Date.now() >= deadline) order = await this.#broker.getOrder(orderId);
    return { order, fills: [...this.fills], timedOut: !isFinalStatus(order.status) };
  }

  /** Stops listening. */
  stop(): void {
    this.#broker.off('orderUpdate', this.#handleUpdate);
    this.#broker.off('fill', this.#handleFill);
    this.#wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#wake = done;
    });
  }
}
