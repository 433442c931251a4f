/**
 * Request ids start here so that an error's id can never be mistaken for an order id (TWS order
 * ids are small, per-client counters); rust-ibapi #789 shows errors misrouted when the two collide.
 */
export const REQUEST_ID_BASE = 1_000_000_000;

/**
 * One request to TWS that completes on an end marker (CONTRACT_DATA_END, POSITION_END, ...): rows
 * gathered so far, a promise for the result and a timeout. Settles once; later calls are ignored.
 */
export class PendingRequest<Row, Result = Row[]> {
  readonly promise: Promise<Result>;
  readonly rows: Row[] = [];
  /** The symbol a contract lookup is for, named in its InvalidSymbolError. */
  symbol: string | undefined;
  #resolve!: (value: Result) => void;
  #reject!: (error: Error) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #settled = false;

  constructor(
    readonly operation: string,
    timeoutMs: number,
    onTimeout: (request: PendingRequest<Row, Result>) => void,
    private readonly onSettled: () => void,
  ) {
    this.promise = new Promise<Result>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Callers may drop the promise (fire-and-forget reconciliation); never leave it unhandled.
    this.promise.catch(() => {});
    this.#timer = setTimeout(() => onTimeout(this), timeoutMs);
    this.#timer.unref?.();
  }

  get settled(): boolean {
    return this.#settled;
  }

  resolve(value: Result): void {
    if (this.#settle()) this.#resolve(value);
  }

  reject(error: Error): void {
    if (this.#settle()) this.#reject(error);
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#timer);
    this.onSettled();
    return true;
  }
}
