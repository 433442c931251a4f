import { TokenBucket } from 'limiter';

/**
 * Paces every message this plugin sends to TWS so that no window of one second ever holds more
 * than `maxPerSecond` of them, bursts from batch placement included (IB's rule: 50 messages per
 * second per client, all kinds together; ibkr-tws-protocol.md section 5).
 *
 * Why a token bucket from `limiter` (maintained, CommonJS and ESM, no dependencies, FIFO waiting
 * with one timer): a bucket of size `b` refilled at `r` tokens/s lets through at most `b + r`
 * messages in any one-second window, wherever the window starts. Fixed-window limiters
 * (p-queue's interval, limiter's RateLimiter, @stoqey/ib's own 40/s limiter in 100 ms slices)
 * can let up to twice their limit through across a window boundary. @stoqey/ib's limiter is kept
 * but set far above this one, so it never queues: a message is either written to the socket at
 * once or, if the connection went away while it waited here, not at all (its queue would replay
 * stale requests after a reconnect).
 */
export class MessagePacer {
  readonly #bucket: TokenBucket;
  readonly maxPerSecond: number;
  readonly burst: number;
  #waiting = 0;
  /** Tokens taken by `tryTake` and not yet charged to the bucket (charged by `settle`). */
  #owed = 0;
  /** How many owed tokens `written` lets build up before it charges them (half a bucket). */
  readonly #chargeEvery: number;

  constructor(maxPerSecond: number) {
    if (!Number.isInteger(maxPerSecond) || maxPerSecond < 2) {
      throw new RangeError('maxPerSecond must be an integer of at least 2');
    }
    this.maxPerSecond = maxPerSecond;
    // A small burst keeps single requests instant; the rest of the budget is steady refill. The
    // bucket holds twice what `written` lets build up uncharged, so steady traffic below the refill
    // rate never runs it short (see `written`).
    this.burst = Math.max(1, Math.min(8, Math.floor(maxPerSecond / 5)));
    this.#chargeEvery = Math.max(1, Math.floor(this.burst / 2));
    this.#bucket = new TokenBucket({
      bucketSize: this.burst,
      tokensPerInterval: maxPerSecond - this.burst,
      interval: 1000,
    });
    // A standalone bucket starts empty; start it full so the first messages go out at once.
    this.#bucket.content = this.burst;
  }

  /**
   * Waits for a slot, then runs `send` unless `stillValid()` says the connection it was meant for
   * is gone; returns whether it ran. `send` must write exactly one message synchronously.
   *
   * With a token free and nobody waiting, `send` runs at once, synchronously: no timer, no
   * promise hop on the path of an order. Otherwise the message waits its turn (FIFO).
   */
  send(send: () => void, stillValid: () => boolean): boolean | Promise<boolean> {
    this.settle();
    if (this.#waiting === 0 && this.#bucket.tryRemoveTokens(1)) {
      if (!stillValid()) return false;
      send();
      return true;
    }
    return this.#sendInTurn(send, stillValid);
  }

  /**
   * Takes a token when one is free and nobody waits; the caller then sends its message at once
   * (synchronously, before anything else can be sent). False means: use `send`.
   *
   * The fast path of an order, so it reads no clock (a clock read costs microseconds when the CPU
   * is cold): it takes a token if the bucket held one more than those already taken since its last
   * refill. Those tokens are charged by `written` once enough are owed, here when they run short,
   * and before any other send. Charging late is never generous: refilling before the charge can
   * only lose tokens to the bucket's cap, so the bucket never holds more than it would have, and at
   * most a bucketful is ever taken uncharged.
   */
  tryTake(): boolean {
    if (this.#waiting !== 0) return false;
    if (this.#bucket.content - this.#owed >= 1) {
      this.#owed++;
      return true;
    }
    // Refilled and charged by one drip (tryRemoveTokens would drip a second time).
    this.#bucket.drip();
    this.#charge();
    if (this.#bucket.content < 1) return false;
    this.#bucket.content -= 1;
    return true;
  }

  /**
   * Tells the pacer that a message sent after `tryTake` is written. Once half a bucket of tokens is
   * owed it charges them (one clock read for several messages). The loss to the cap is then at
   * most half a bucket, so a bucket refilled to full still holds the other half: messages below
   * the refill rate always find a token on the fast path.
   */
  written(): void {
    if (this.#owed >= this.#chargeEvery) this.settle();
  }

  /** Charges the tokens `tryTake` handed out, refilling the bucket first. */
  settle(): void {
    if (this.#owed === 0) return;
    this.#bucket.drip();
    this.#charge();
  }

  #charge(): void {
    this.#bucket.content -= this.#owed;
    this.#owed = 0;
  }

  async #sendInTurn(send: () => void, stillValid: () => boolean): Promise<boolean> {
    this.#waiting++;
    try {
      this.settle();
      await this.#bucket.removeTokens(1);
    } finally {
      this.#waiting--;
    }
    if (!stillValid()) return false;
    send();
    return true;
  }
}
