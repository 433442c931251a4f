/**
 * Test support: the unmodified `@stoqey/ib` IBApi connected to a simulator, with every decoded
 * event recorded in arrival order. Not part of the published API.
 */
import { EventName, IBApi } from '@stoqey/ib';
import type { TwsSim } from '../start-tws-sim.js';

/** One decoded event (`openOrder`, `orderStatus`, `error`, `info`, ...) with its arguments. */
export interface RecordedEvent {
  name: string;
  args: unknown[];
}

/** An `error` event of the client: a TWS error with an id, or a client-side problem (505 decode errors). */
export interface RecordedError {
  message: string;
  code: number;
  reqId: number;
}

/** Client-side codes that mean the simulator sent something the real decoder could not read. */
export const DECODE_ERROR_CODES: ReadonlySet<number> = new Set([505, 506, 507, 508]);

const IGNORED = new Set<string>([EventName.received, EventName.sent, EventName.result, EventName.all]);

interface Waiter {
  predicate: (event: RecordedEvent) => boolean;
  resolve: (event: RecordedEvent) => void;
  from: number;
}

/** An IBApi client whose events a test can wait for and inspect. */
export class IbHarness {
  readonly ib: IBApi;
  readonly events: RecordedEvent[] = [];
  /** Raw message ids as received, in order (the wire sequence). */
  readonly receivedIds: number[] = [];
  readonly #waiters: Waiter[] = [];

  constructor(sim: Pick<TwsSim, 'host' | 'port'>, options: { maxReqPerSec?: number } = {}) {
    this.ib = new IBApi({ host: sim.host, port: sim.port, maxReqPerSec: options.maxReqPerSec ?? 1000 });
    this.ib.on(EventName.all, (name: string, args: unknown[]) => {
      if (name === EventName.received) {
        const tokens = args[0] as string[];
        this.receivedIds.push(Number(tokens[0]));
        return;
      }
      if (IGNORED.has(name)) return;
      const event = { name, args };
      this.events.push(event);
      for (const waiter of [...this.#waiters]) {
        if (this.events.length - 1 >= waiter.from && waiter.predicate(event)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    });
  }

  /** Connects with `clientId` and resolves once NEXT_VALID_ID arrived (the client is ready). */
  static async connect(
    sim: Pick<TwsSim, 'host' | 'port'>,
    clientId: number,
    options?: { maxReqPerSec?: number },
  ): Promise<IbHarness> {
    const harness = new IbHarness(sim, options);
    const ready = harness.waitFor((event) => event.name === EventName.nextValidId);
    harness.ib.connect(clientId);
    await ready;
    return harness;
  }

  /** Index of the next event, to look at what happens from now on with {@link since}. */
  mark(): number {
    return this.events.length;
  }

  /** Events recorded from `mark` on. */
  since(mark: number): RecordedEvent[] {
    return this.events.slice(mark);
  }

  /** Names of the events from `mark` on, without `info` notices unless asked. */
  namesSince(mark: number, options: { infos?: boolean } = {}): string[] {
    return this.since(mark)
      .filter((event) => options.infos === true || event.name !== EventName.info)
      .map((event) => event.name);
  }

  /** Resolves with the first event (from `from`, default now) matching `predicate`; rejects after `timeoutMs`. */
  waitFor(
    predicate: (event: RecordedEvent) => boolean,
    options: { timeoutMs?: number; from?: number } = {},
  ): Promise<RecordedEvent> {
    const from = options.from ?? this.events.length;
    for (let index = from; index < this.events.length; index++) {
      const event = this.events[index]!;
      if (predicate(event)) return Promise.resolve(event);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
        from,
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `timed out waiting for an event; got: ${this.since(from)
              .map((event) => event.name)
              .join(', ')}`,
          ),
        );
      }, options.timeoutMs ?? 3_000);
      this.#waiters.push(waiter);
    });
  }

  /** Resolves with the first event named `name` (from `from`, default now). */
  waitForEvent(name: string, options: { timeoutMs?: number; from?: number } = {}): Promise<RecordedEvent> {
    return this.waitFor((event) => event.name === name, options);
  }

  /** `error` events (TWS errors with ids, and client-side problems). */
  errors(from = 0): RecordedError[] {
    return this.since(from)
      .filter((event) => event.name === EventName.error)
      .map((event) => ({
        message: (event.args[0] as Error).message,
        code: event.args[1] as number,
        reqId: event.args[2] as number,
      }));
  }

  /** `info` events (ERR_MSG with id -1: farm notices, 1100, 326, ...). */
  infos(from = 0): Array<{ message: string; code: number }> {
    return this.since(from)
      .filter((event) => event.name === EventName.info)
      .map((event) => ({ message: event.args[0] as string, code: event.args[1] as number }));
  }

  /** Errors the real decoder raised (505 and friends): must always be empty. */
  decodeErrors(): RecordedError[] {
    return this.errors().filter((error) => DECODE_ERROR_CODES.has(error.code));
  }

  /** Disconnects (safe to call twice). */
  disconnect(): void {
    if (this.ib.isConnected) this.ib.disconnect();
  }
}
