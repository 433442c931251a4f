import type { SeededRandom } from './random.js';

/** What a delay fault slows down. */
export type DelayKind =
  /** The reply to each request (transports: the mock, the wire simulators). */
  | 'ack'
  /** Time from acceptance to the matching engine, added to the simulator's fill delay. */
  | 'fill'
  /** Time for a cancel to take effect, added to the simulator's cancel delay (a fill can win). */
  | 'cancel';

const DEFAULT_REJECT_REASON = 'Order rejected by the venue (injected fault)';
const RANDOM_REJECT_REASON = 'Order rejected by the venue (random rejection)';

/**
 * Misbehaviour on demand, shared by the engine and the transports in front of it (the mock broker,
 * the TWS and Kite wire simulators), so one control drives all of them.
 *
 * The engine consumes the order faults (`rejectNextOrder`, the random rejection rate, `fill` and
 * `cancel` delays). Transports consume the request faults: `takeStall()` before answering a
 * request, `delayOf('ack')` before replying, `takeConnectFailure()` when a client connects, and
 * they subscribe to `onDrop` to cut their connections when `dropConnections()` is called.
 *
 * Random rejections draw from their own seeded stream, so they are reproducible and do not
 * disturb price paths.
 *
 * @example
 * simulator.faults.rejectNextOrder('Price outside the daily range');
 * simulator.faults.setRejectionRate(0.05);
 * simulator.faults.setDelay('cancel', 500); // fills during the next 500 ms beat a cancel
 * simulator.faults.stallNextRequest();      // the transport swallows its next request
 */
export class FaultInjector {
  readonly #random: SeededRandom;
  readonly #forcedRejections: string[] = [];
  #rejectionRate = 0;
  #stalls = 0;
  readonly #delays: Record<DelayKind, number> = { ack: 0, fill: 0, cancel: 0 };
  readonly #connectFailures: string[] = [];
  #refuseConnections: string | undefined;
  readonly #dropListeners = new Set<(reason: string) => void>();

  constructor(random: SeededRandom) {
    this.#random = random;
  }

  /** Rejects the next `count` orders with `reason`. */
  rejectNextOrder(reason: string = DEFAULT_REJECT_REASON, count = 1): void {
    for (let index = 0; index < count; index++) this.#forcedRejections.push(reason);
  }

  /** Rejects each order with probability `rate` (0..1), drawn from the seeded stream. */
  setRejectionRate(rate: number): void {
    if (!(rate >= 0 && rate <= 1))
      throw new RangeError(`rejection rate must be between 0 and 1, got ${rate}`);
    this.#rejectionRate = rate;
  }

  get rejectionRate(): number {
    return this.#rejectionRate;
  }

  /** Makes the transport swallow its next `count` requests (no processing, no reply). */
  stallNextRequest(count = 1): void {
    this.#stalls += count;
  }

  /** Sets a delay in milliseconds (0 removes it). */
  setDelay(kind: DelayKind, ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms))
      throw new RangeError(`delay must be a finite number of ms >= 0, got ${ms}`);
    this.#delays[kind] = ms;
  }

  delayOf(kind: DelayKind): number {
    return this.#delays[kind];
  }

  /** Refuses the next connection attempt with `reason`. */
  failNextConnect(reason = 'connection refused (injected fault)'): void {
    this.#connectFailures.push(reason);
  }

  /** Refuses every connection attempt (an address where nothing listens) until `allowConnections()`. */
  refuseConnections(reason = 'connection refused: nothing is listening'): void {
    this.#refuseConnections = reason;
  }

  /** Lets connection attempts through again after `refuseConnections()`. */
  allowConnections(): void {
    this.#refuseConnections = undefined;
  }

  /** Asks every subscribed transport to drop its connections now, as a network failure would. */
  dropConnections(reason = 'connection dropped (injected fault)'): void {
    for (const listener of [...this.#dropListeners]) listener(reason);
  }

  /** Subscribes a transport to `dropConnections()`; returns the unsubscribe function. */
  onDrop(listener: (reason: string) => void): () => void {
    this.#dropListeners.add(listener);
    return () => this.#dropListeners.delete(listener);
  }

  /** True when a request fault is armed (lets transports skip the checks on the fast path). */
  get requestFaultsArmed(): boolean {
    return this.#stalls > 0 || this.#delays.ack > 0;
  }

  /** For transports: true (and consumed) when the current request must be swallowed. */
  takeStall(): boolean {
    if (this.#stalls === 0) return false;
    this.#stalls--;
    return true;
  }

  /** For transports: the reason to refuse the current connection attempt, if any. */
  takeConnectFailure(): string | undefined {
    return this.#connectFailures.shift() ?? this.#refuseConnections;
  }

  /** For the engine: the reason to reject the order being placed, if any. */
  takeOrderRejection(): string | undefined {
    const forced = this.#forcedRejections.shift();
    if (forced !== undefined) return forced;
    if (this.#rejectionRate > 0 && this.#random.chance(this.#rejectionRate)) return RANDOM_REJECT_REASON;
    return undefined;
  }

  /** Clears every fault (not the subscriptions). */
  reset(): void {
    this.#forcedRejections.length = 0;
    this.#rejectionRate = 0;
    this.#stalls = 0;
    this.#delays.ack = 0;
    this.#delays.fill = 0;
    this.#delays.cancel = 0;
    this.#connectFailures.length = 0;
    this.#refuseConnections = undefined;
  }
}
