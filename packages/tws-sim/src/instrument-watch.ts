import type { ExchangeSimulator, Instrument } from '@brokerkit/exchange-sim';

/**
 * Reference-counted `simulator.watch()`: the engine steps a watched instrument's price on time
 * and emits `price` events for it. Market-data streams and trailing stops both need that; the
 * engine's own watch set is not counted, so they share this.
 */
export class InstrumentWatch {
  readonly #counts = new Map<Instrument, number>();

  constructor(private readonly simulator: ExchangeSimulator) {}

  acquire(instrument: Instrument): void {
    const count = this.#counts.get(instrument) ?? 0;
    this.#counts.set(instrument, count + 1);
    if (count === 0) this.simulator.watch(instrument);
  }

  release(instrument: Instrument): void {
    const count = this.#counts.get(instrument) ?? 0;
    if (count <= 1) {
      this.#counts.delete(instrument);
      if (count === 1) this.simulator.unwatch(instrument);
    } else this.#counts.set(instrument, count - 1);
  }

  /** Releases everything (server shutdown). */
  releaseAll(): void {
    for (const instrument of this.#counts.keys()) this.simulator.unwatch(instrument);
    this.#counts.clear();
  }
}
