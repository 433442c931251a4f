/** Options of an `OrderPoller`. */
export interface OrderPollerOptions {
  intervalMs: number;
  /** One poll: read the order book and report changes. Errors are the caller's to log. */
  poll: () => Promise<void>;
  /** Whether a poll is worth a request now (there are working orders). */
  wanted: () => boolean;
}

/**
 * The fallback while the order-update stream is down (or when streaming is off): reads the order
 * book every `intervalMs` while there are working orders, one poll at a time.
 */
export class OrderPoller {
  readonly #options: OrderPollerOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #polling: Promise<void> | undefined;

  constructor(options: OrderPollerOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Polls now (once any poll under way has finished). */
  async pollNow(): Promise<void> {
    while (this.#polling !== undefined) await this.#polling;
    this.#polling = this.#options.poll().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = setTimeout(async () => {
      this.#timer = undefined;
      if (!this.#running) return;
      if (this.#options.wanted()) await this.pollNow().catch(() => {});
      this.#schedule();
    }, this.#options.intervalMs);
  }
}
