import type { ConformanceFault, MarketController } from '../harness.js';

/** One instrument of the in-memory market. */
export interface InMemoryInstrument {
  symbol: string;
  price: number;
  tickSize: number;
}

/**
 * The smallest market a broker can run against: prices per symbol, a virtual clock, one-shot
 * faults and a connection that can be dropped. The in-memory reference broker trades on it, and
 * it is the `MarketController` of its conformance harness.
 */
export class InMemoryMarket implements MarketController {
  readonly instruments = new Map<string, InMemoryInstrument>();
  #now = 0;
  #timers: Array<{ at: number; run: () => void }> = [];
  #faults: ConformanceFault[] = [];
  #dropListeners = new Set<() => void>();
  #priceListeners = new Set<() => void>();

  constructor(instruments: InMemoryInstrument[]) {
    for (const instrument of instruments) this.instruments.set(instrument.symbol, { ...instrument });
  }

  now(): number {
    return this.#now;
  }

  setPrice(symbol: string, price: number): void {
    const instrument = this.instruments.get(symbol);
    if (instrument === undefined) throw new Error(`unknown symbol ${symbol}`);
    instrument.price = price;
    for (const listener of this.#priceListeners) listener();
  }

  /** Runs `run` after `delayMs` of market time. */
  schedule(delayMs: number, run: () => void): void {
    this.#timers.push({ at: this.#now + delayMs, run });
    this.#timers.sort((a, b) => a.at - b.at);
  }

  async advanceTime(ms: number): Promise<void> {
    const until = this.#now + ms;
    while (this.#timers.length > 0 && this.#timers[0]!.at <= until) {
      const timer = this.#timers.shift()!;
      this.#now = timer.at;
      timer.run();
    }
    this.#now = until;
  }

  injectFault(fault: ConformanceFault): void {
    this.#faults.push(fault);
  }

  /** Takes the next pending fault of a kind, if any. */
  takeFault(fault: ConformanceFault): boolean {
    const index = this.#faults.indexOf(fault);
    if (index === -1) return false;
    this.#faults.splice(index, 1);
    return true;
  }

  async dropConnection(): Promise<void> {
    for (const listener of this.#dropListeners) listener();
  }

  onDrop(listener: () => void): () => void {
    this.#dropListeners.add(listener);
    return () => this.#dropListeners.delete(listener);
  }

  onPriceChange(listener: () => void): () => void {
    this.#priceListeners.add(listener);
    return () => this.#priceListeners.delete(listener);
  }
}
