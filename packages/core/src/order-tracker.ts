import { canTransition, isFinalStatus } from './order-status-transitions.js';
import type { OrderStatus } from './schemas/enums.js';
import type { OrderRecord, PlaceOrderResult } from './schemas/order-record.js';
import type { NormalizedOrderRequest } from './schemas/order-request.js';

/** What the layer remembers of one order. */
export interface TrackedOrder {
  clientOrderId: string;
  orderId: string | undefined;
  status: OrderStatus;
  filledQuantity: number;
  quantity: number | undefined;
  limitPrice: number | undefined;
  stopPrice: number | undefined;
  /** The broker's last status text (reject reason, warning). */
  statusMessage: string | undefined;
  /** The validated request, for idempotency checks; absent for orders learned from the broker. */
  request: NormalizedOrderRequest | undefined;
  /** The placement still under way, so a duplicate call can wait for it instead of re-sending. */
  inFlight: Promise<PlaceOrderResult> | undefined;
  createdAt: number;
}

/** The outcome of applying a broker's record to what the layer knew. */
export type ApplyResult =
  | { kind: 'unchanged'; tracked: TrackedOrder }
  | { kind: 'changed'; tracked: TrackedOrder; previousStatus: OrderStatus | undefined }
  | { kind: 'illegal'; tracked: TrackedOrder; from: OrderStatus; to: OrderStatus };

/**
 * Orders by client order id and by broker order id, with the status table enforced. Working orders
 * are always kept; final ones are kept up to `retainClosedOrders` (oldest forgotten first) so that
 * memory stays bounded however many orders a process places.
 */
export class OrderTracker {
  readonly #byClientOrderId = new Map<string, TrackedOrder>();
  readonly #byOrderId = new Map<string, TrackedOrder>();
  readonly #closedQueue: TrackedOrder[] = [];
  #closedHead = 0;
  #openCount = 0;

  constructor(private readonly retainClosedOrders: number) {}

  get size(): number {
    return this.#byClientOrderId.size;
  }

  get openCount(): number {
    return this.#openCount;
  }

  byClientOrderId(clientOrderId: string): TrackedOrder | undefined {
    return this.#byClientOrderId.get(clientOrderId);
  }

  byOrderId(orderId: string): TrackedOrder | undefined {
    return this.#byOrderId.get(orderId);
  }

  /**
   * Starts tracking an order this layer is sending (status PENDING), with the broker's id when
   * the plugin already knows it. Its `createdAt` is set at the acknowledgement.
   */
  begin(request: NormalizedOrderRequest, orderId?: string): TrackedOrder {
    const tracked: TrackedOrder = {
      clientOrderId: request.clientOrderId,
      orderId,
      status: 'PENDING',
      filledQuantity: 0,
      quantity: request.quantity,
      limitPrice: request.limitPrice,
      stopPrice: request.stopPrice,
      statusMessage: undefined,
      request,
      inFlight: undefined,
      createdAt: 0,
    };
    this.#byClientOrderId.set(tracked.clientOrderId, tracked);
    if (orderId !== undefined) this.#byOrderId.set(orderId, tracked);
    this.#openCount++;
    return tracked;
  }

  /** Forgets an order that was never accepted (validation failed, definitive rejection before an id). */
  abandon(tracked: TrackedOrder): void {
    if (this.#byClientOrderId.get(tracked.clientOrderId) !== tracked) return;
    this.#byClientOrderId.delete(tracked.clientOrderId);
    if (tracked.orderId !== undefined) this.#byOrderId.delete(tracked.orderId);
    if (!isFinalStatus(tracked.status)) this.#openCount--;
  }

  /** Records the broker's id for an order. */
  acknowledge(tracked: TrackedOrder, orderId: string): void {
    tracked.orderId = orderId;
    this.#byOrderId.set(orderId, tracked);
  }

  /** Moves an order to a status reported without a full record (the acknowledgement). */
  setStatus(tracked: TrackedOrder, status: OrderStatus): boolean {
    const from = tracked.status;
    if (!canTransition(from, status)) return false;
    tracked.status = status;
    if (isFinalStatus(status) && !isFinalStatus(from)) {
      this.#openCount--;
      this.#retire(tracked);
    }
    return true;
  }

  /** Applies a record from the broker: new status, fills, modified prices. */
  apply(record: OrderRecord): ApplyResult {
    let tracked = this.#byOrderId.get(record.orderId) ?? this.#byClientOrderId.get(record.clientOrderId);
    if (tracked === undefined) {
      tracked = {
        clientOrderId: record.clientOrderId,
        orderId: record.orderId,
        status: record.status,
        filledQuantity: record.filledQuantity,
        quantity: record.quantity,
        limitPrice: record.limitPrice,
        stopPrice: record.stopPrice,
        statusMessage: record.statusMessage,
        request: undefined,
        inFlight: undefined,
        createdAt: record.createdAt,
      };
      this.#byClientOrderId.set(tracked.clientOrderId, tracked);
      this.#byOrderId.set(record.orderId, tracked);
      if (isFinalStatus(tracked.status)) this.#retire(tracked);
      else this.#openCount++;
      return { kind: 'changed', tracked, previousStatus: undefined };
    }
    if (tracked.orderId === undefined) this.acknowledge(tracked, record.orderId);
    const from = tracked.status;
    if (!canTransition(from, record.status)) return { kind: 'illegal', tracked, from, to: record.status };
    const changed =
      from !== record.status ||
      tracked.filledQuantity !== record.filledQuantity ||
      tracked.quantity !== record.quantity ||
      tracked.limitPrice !== record.limitPrice ||
      tracked.stopPrice !== record.stopPrice ||
      tracked.statusMessage !== record.statusMessage;
    if (!changed) return { kind: 'unchanged', tracked };
    tracked.status = record.status;
    tracked.filledQuantity = Math.max(tracked.filledQuantity, record.filledQuantity);
    tracked.quantity = record.quantity;
    tracked.limitPrice = record.limitPrice;
    tracked.stopPrice = record.stopPrice;
    tracked.statusMessage = record.statusMessage;
    if (!isFinalStatus(from) && isFinalStatus(record.status)) {
      this.#openCount--;
      this.#retire(tracked);
    }
    return { kind: 'changed', tracked, previousStatus: from };
  }

  #retire(tracked: TrackedOrder): void {
    this.#closedQueue.push(tracked);
    while (this.#closedQueue.length - this.#closedHead > this.retainClosedOrders) {
      const oldest = this.#closedQueue[this.#closedHead]!;
      this.#closedHead++;
      if (this.#byClientOrderId.get(oldest.clientOrderId) === oldest)
        this.#byClientOrderId.delete(oldest.clientOrderId);
      if (oldest.orderId !== undefined && this.#byOrderId.get(oldest.orderId) === oldest) {
        this.#byOrderId.delete(oldest.orderId);
      }
    }
    if (this.#closedHead > 4096 && this.#closedHead * 2 > this.#closedQueue.length) {
      this.#closedQueue.splice(0, this.#closedHead);
      this.#closedHead = 0;
    }
  }
}
