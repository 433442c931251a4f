import type { Instrument } from './instrument.js';
import type { WorkingOrder } from './order.js';

/** The orders of one account: working ones, and the most recent final ones up to the retention limit. */
class AccountOrders {
  readonly byId = new Map<string, WorkingOrder>();
  readonly byClientOrderId = new Map<string, WorkingOrder>();
  readonly working = new Map<string, WorkingOrder>();
  readonly closed: WorkingOrder[] = [];
  closedHead = 0;
}

/**
 * Where orders live. Working orders are always kept. Final ones (filled, cancelled, rejected) are
 * kept up to `retainClosedOrders` per account, oldest forgotten first, so memory stays bounded
 * however many orders a long run places; a forgotten order is no longer found by id.
 *
 * Live working orders that wait for the price (resting limits, untriggered stops) are also indexed
 * by instrument, in time priority, so a price change only looks at that instrument's orders.
 */
export class OrderBook {
  readonly #accounts = new Map<string, AccountOrders>();
  readonly #waiting = new Map<Instrument, Set<WorkingOrder>>();
  readonly #retainClosedOrders: number;

  constructor(retainClosedOrders: number) {
    if (!Number.isInteger(retainClosedOrders) || retainClosedOrders < 0) {
      throw new RangeError(`retainClosedOrders must be an integer >= 0, got ${retainClosedOrders}`);
    }
    this.#retainClosedOrders = retainClosedOrders;
  }

  #orders(accountId: string): AccountOrders {
    let orders = this.#accounts.get(accountId);
    if (orders === undefined) {
      orders = new AccountOrders();
      this.#accounts.set(accountId, orders);
    }
    return orders;
  }

  /** An order of the account by id (working, or final and still retained). */
  get(accountId: string, orderId: string): WorkingOrder | undefined {
    return this.#accounts.get(accountId)?.byId.get(orderId);
  }

  /** The most recent order of the account with this client order id. */
  byClientOrderId(accountId: string, clientOrderId: string): WorkingOrder | undefined {
    return this.#accounts.get(accountId)?.byClientOrderId.get(clientOrderId);
  }

  /** True if any account holds an order with this id. */
  hasOrderId(orderId: string): boolean {
    for (const orders of this.#accounts.values()) if (orders.byId.has(orderId)) return true;
    return false;
  }

  /** The account's working orders, oldest first. */
  working(accountId: string): WorkingOrder[] {
    const orders = this.#accounts.get(accountId);
    return orders === undefined ? [] : [...orders.working.values()];
  }

  /** Number of working orders of the account. */
  workingCount(accountId: string): number {
    return this.#accounts.get(accountId)?.working.size ?? 0;
  }

  /** Every working order of every account, by account then age (a snapshot: the book may change meanwhile). */
  allWorking(): WorkingOrder[] {
    const all: WorkingOrder[] = [];
    for (const orders of this.#accounts.values())
      for (const order of orders.working.values()) all.push(order);
    return all;
  }

  /** Adds a new working order. */
  add(order: WorkingOrder): void {
    const orders = this.#orders(order.accountId);
    orders.byId.set(order.orderId, order);
    if (order.clientOrderId !== undefined) orders.byClientOrderId.set(order.clientOrderId, order);
    orders.working.set(order.orderId, order);
  }

  /** Records an order that was final from the start (rejected on arrival). */
  addClosed(order: WorkingOrder): void {
    const orders = this.#orders(order.accountId);
    orders.byId.set(order.orderId, order);
    if (order.clientOrderId !== undefined) orders.byClientOrderId.set(order.clientOrderId, order);
    this.#retire(orders, order);
  }

  /** Moves an order that just became final out of the working set. */
  close(order: WorkingOrder): void {
    this.unwait(order);
    const orders = this.#accounts.get(order.accountId);
    if (orders === undefined || !orders.working.delete(order.orderId)) return;
    this.#retire(orders, order);
  }

  /** Puts a live order in its instrument's queue of orders waiting for the price. */
  wait(order: WorkingOrder): void {
    let queue = this.#waiting.get(order.instrument);
    if (queue === undefined) {
      queue = new Set();
      this.#waiting.set(order.instrument, queue);
    }
    queue.add(order);
  }

  /** Takes an order out of its instrument's queue. */
  unwait(order: WorkingOrder): void {
    const queue = this.#waiting.get(order.instrument);
    if (queue === undefined || !queue.delete(order)) return;
    if (queue.size === 0) this.#waiting.delete(order.instrument);
  }

  /** Orders waiting on the instrument's price, in time priority (undefined when none). */
  waitingOn(instrument: Instrument): ReadonlySet<WorkingOrder> | undefined {
    return this.#waiting.get(instrument);
  }

  /** Instruments that have orders waiting for their price. */
  instrumentsWithWaitingOrders(): IterableIterator<Instrument> {
    return this.#waiting.keys();
  }

  #retire(orders: AccountOrders, order: WorkingOrder): void {
    orders.closed.push(order);
    while (orders.closed.length - orders.closedHead > this.#retainClosedOrders) {
      const oldest = orders.closed[orders.closedHead]!;
      orders.closed[orders.closedHead] = undefined as unknown as WorkingOrder;
      orders.closedHead++;
      if (orders.byId.get(oldest.orderId) === oldest) orders.byId.delete(oldest.orderId);
      if (oldest.clientOrderId !== undefined && orders.byClientOrderId.get(oldest.clientOrderId) === oldest) {
        orders.byClientOrderId.delete(oldest.clientOrderId);
      }
    }
    if (orders.closedHead > 4096 && orders.closedHead * 2 > orders.closed.length) {
      orders.closed.splice(0, orders.closedHead);
      orders.closedHead = 0;
    }
  }
}
