import type { Instrument } from './instrument.js';
import type { SeededRandom } from './random.js';

/**
 * The last-trade price of one instrument over virtual time, in whole ticks.
 *
 * Time is cut into steps (the simulator's `priceStepMs`). Each step draws one normal deviate `z`
 * from the instrument's own random stream and, unless a scripted price is queued, moves the price
 * by `round(z x price x volatilityBps / 10,000 / tickSize)` ticks (never below one tick). Because
 * every step draws exactly once whatever happens, the path after step `n` depends only on the seed,
 * the instrument key and the prices set or scripted before it: not on when anyone looked.
 */
export class PricePath {
  readonly instrument: Instrument;
  /** The last step applied. */
  step: number;
  #ticks: number;
  #price: number;
  readonly #random: SeededRandom;
  #script: number[] = [];
  #scriptIndex = 0;

  constructor(
    instrument: Instrument,
    random: SeededRandom,
    startStep = 0,
    startPrice: number = instrument.initialPrice,
  ) {
    this.instrument = instrument;
    this.#random = random;
    this.step = startStep;
    this.#ticks = 0;
    this.#price = 0;
    this.set(startPrice);
  }

  /** The current price, a multiple of the tick size. */
  get price(): number {
    return this.#price;
  }

  /** The current price in ticks. */
  get ticks(): number {
    return this.#ticks;
  }

  /** Scripted prices still waiting for their step. */
  get scriptedRemaining(): number {
    return this.#script.length - this.#scriptIndex;
  }

  /** Applies the next step; `randomWalk` false keeps the price unless a scripted one is due. Returns true if it changed. */
  advance(randomWalk: boolean): boolean {
    this.step++;
    const deviate = this.#random.normal();
    if (this.#scriptIndex < this.#script.length) {
      const next = this.#script[this.#scriptIndex++]!;
      if (this.#scriptIndex === this.#script.length) {
        this.#script = [];
        this.#scriptIndex = 0;
      }
      return this.set(next);
    }
    if (!randomWalk) return false;
    const instrument = this.instrument;
    const sigmaTicks = (this.#price * instrument.volatilityBps) / 10_000 / instrument.tickSize;
    const move = Math.round(deviate * sigmaTicks);
    if (move === 0) return false;
    return this.#setTicks(Math.max(1, this.#ticks + move));
  }

  /** Sets the price now (rounded to the nearest tick, at least one tick). Returns true if it changed. */
  set(price: number): boolean {
    if (!(price > 0) || !Number.isFinite(price)) {
      throw new RangeError(`price of ${this.instrument.key} must be a finite number > 0, got ${price}`);
    }
    return this.#setTicks(Math.max(1, Math.round(price / this.instrument.tickSize)));
  }

  /** Queues prices for the next steps, one per step, replacing any queued before. */
  script(prices: readonly number[]): void {
    for (const price of prices) {
      if (!(price > 0) || !Number.isFinite(price)) {
        throw new RangeError(
          `scripted prices of ${this.instrument.key} must be finite numbers > 0, got ${price}`,
        );
      }
    }
    this.#script = [...prices];
    this.#scriptIndex = 0;
  }

  #setTicks(ticks: number): boolean {
    if (ticks === this.#ticks) return false;
    this.#ticks = ticks;
    this.#price = this.#fromTicks(ticks);
    return true;
  }

  #fromTicks(ticks: number): number {
    return Number((ticks * this.instrument.tickSize).toFixed(this.instrument.priceDecimals));
  }
}
