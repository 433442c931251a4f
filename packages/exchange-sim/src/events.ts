import type { OrderStatus } from '@brokerkit/core';
import type { Instrument } from './instrument.js';
import type { Execution, SimOrder } from './order.js';

/**
 * The simulator's events and their listener signatures. Arguments are positional (no event
 * object is allocated), and `SimOrder` arguments are live objects: copy what you keep.
 */
export interface SimulatorEvents {
  /**
   * An order was accepted, rejected, filled (partly), modified, cancelled or expired. For a
   * modification the status is unchanged and `previousStatus` equals it.
   */
  order: (order: SimOrder, previousStatus: OrderStatus | undefined) => void;
  /** An execution. Emitted before the `order` event of the same fill. */
  execution: (execution: Execution, order: SimOrder) => void;
  /** A cancel arrived after the order had become final (a fill won the race). */
  cancelRejected: (order: SimOrder, reason: string) => void;
  /** The last price of an instrument changed (set, scripted, or a step of a watched or active instrument). */
  price: (instrument: Instrument, price: number) => void;
}

/** `order`, `execution`, `cancelRejected` or `price`. */
export type SimulatorEventName = keyof SimulatorEvents;

/**
 * A list of listeners with two-argument dispatch and no allocation per emit. Listeners added or
 * removed during an emit take effect from the next one. A listener that throws does not stop the
 * others or the simulator: its error goes to `onError`.
 */
export class ListenerSet<A, B> {
  #listeners: ReadonlyArray<(a: A, b: B) => void> = [];

  constructor(private readonly onError: (error: unknown) => void) {}

  get size(): number {
    return this.#listeners.length;
  }

  add(listener: (a: A, b: B) => void): void {
    this.#listeners = [...this.#listeners, listener];
  }

  remove(listener: (a: A, b: B) => void): void {
    const index = this.#listeners.indexOf(listener);
    if (index >= 0) this.#listeners = this.#listeners.filter((_, position) => position !== index);
  }

  emit(a: A, b: B): void {
    const listeners = this.#listeners;
    for (let index = 0; index < listeners.length; index++) {
      try {
        listeners[index]!(a, b);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

/** The default for listener errors: rethrow outside the simulator's call stack, like an unhandled event error. */
export function rethrowAsync(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
