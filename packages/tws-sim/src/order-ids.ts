/**
 * TWS's order-id bookkeeping per client id, kept across connections like TWS keeps it
 * (protocol doc 5): a new order must use an id above every id that client id used before, and
 * NEXT_VALID_ID (at connect and in reply to REQ_IDS) is never below that.
 */
export class OrderIdRegistry {
  readonly #highestUsed = new Map<number, number>();
  readonly #lastAnnounced = new Map<number, number>();

  /** @param firstOrderId the id announced to a client id that has never placed an order. */
  constructor(readonly firstOrderId: number) {
    if (!Number.isSafeInteger(firstOrderId) || firstOrderId < 1) {
      throw new RangeError(`firstOrderId must be a whole number >= 1, got ${firstOrderId}`);
    }
  }

  /** Highest id this client id has used, or `firstOrderId - 1`. */
  highestUsed(clientId: number): number {
    return this.#highestUsed.get(clientId) ?? this.firstOrderId - 1;
  }

  /** True when `orderId` is free for a new order of `clientId` (above every id it used). */
  isFresh(clientId: number, orderId: number): boolean {
    return orderId > this.highestUsed(clientId);
  }

  /** Records that `clientId` used `orderId`. */
  markUsed(clientId: number, orderId: number): void {
    if (orderId > this.highestUsed(clientId)) this.#highestUsed.set(clientId, orderId);
  }

  /** The id sent in NEXT_VALID_ID when `clientId` connects: above every used id, not below the last one announced. */
  idAtConnect(clientId: number): number {
    const id = Math.max(
      this.highestUsed(clientId) + 1,
      this.#lastAnnounced.get(clientId) ?? this.firstOrderId,
    );
    this.#lastAnnounced.set(clientId, id);
    return id;
  }

  /** The id sent in reply to REQ_IDS: each request advances it by one, even with no order in between. */
  idOnRequest(clientId: number): number {
    const last = this.#lastAnnounced.get(clientId);
    const id = Math.max(this.highestUsed(clientId) + 1, last === undefined ? this.firstOrderId : last + 1);
    this.#lastAnnounced.set(clientId, id);
    return id;
  }
}
