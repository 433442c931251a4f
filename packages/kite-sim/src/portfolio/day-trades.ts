import type { ExchangeSimulator, Execution, Instrument } from '@brokerkit/exchange-sim';
import { istDayNumber } from '../time/ist-time.js';

/** Buys and sells of one instrument and product during the current IST day. */
export interface DayTally {
  readonly instrument: Instrument;
  readonly product: string;
  day: number;
  buyQuantity: number;
  buyValue: number;
  sellQuantity: number;
  sellValue: number;
}

/**
 * Today's fills per instrument and product, for the `day` positions, the day fields of `net`
 * positions and the holdings' used quantity. Values are `quantity x price x multiplier`.
 */
export class DayTrades {
  readonly #simulator: ExchangeSimulator;
  readonly #accountId: string;
  readonly #tallies = new Map<string, DayTally>();
  readonly #unsubscribe: () => void;

  constructor(simulator: ExchangeSimulator, accountId: string) {
    this.#simulator = simulator;
    this.#accountId = accountId;
    this.#unsubscribe = simulator.on('execution', (execution) => this.#onExecution(execution));
  }

  dispose(): void {
    this.#unsubscribe();
  }

  /** Today's tallies (stale days dropped). */
  today(): DayTally[] {
    const day = istDayNumber(this.#simulator.clock.now());
    const result: DayTally[] = [];
    for (const [key, tally] of this.#tallies) {
      if (tally.day === day) result.push(tally);
      else this.#tallies.delete(key);
    }
    return result;
  }

  /** Today's tally of an instrument and product, if it traded today. */
  of(instrument: Instrument, product: string): DayTally | undefined {
    const tally = this.#tallies.get(`${instrument.key}|${product}`);
    if (tally === undefined || tally.day !== istDayNumber(this.#simulator.clock.now())) return undefined;
    return tally;
  }

  #onExecution(execution: Execution): void {
    if (execution.accountId !== this.#accountId) return;
    const product = execution.product ?? '';
    const key = `${execution.instrument.key}|${product}`;
    const day = istDayNumber(execution.time);
    let tally = this.#tallies.get(key);
    if (tally === undefined || tally.day !== day) {
      tally = {
        instrument: execution.instrument,
        product,
        day,
        buyQuantity: 0,
        buyValue: 0,
        sellQuantity: 0,
        sellValue: 0,
      };
      this.#tallies.set(key, tally);
    }
    const value = execution.quantity * execution.price * execution.instrument.multiplier;
    if (execution.side === 'BUY') {
      tally.buyQuantity += execution.quantity;
      tally.buyValue += value;
    } else {
      tally.sellQuantity += execution.quantity;
      tally.sellValue += value;
    }
  }
}
