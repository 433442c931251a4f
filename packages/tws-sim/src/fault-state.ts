/** The END markers whose delivery can be delayed or withheld. */
export const END_MARKERS = [
  'OPEN_ORDER_END',
  'EXECUTION_DATA_END',
  'POSITION_END',
  'ACCOUNT_SUMMARY_END',
  'CONTRACT_DATA_END',
  'ACCT_DOWNLOAD_END',
  'TICK_SNAPSHOT_END',
] as const;
export type EndMarker = (typeof END_MARKERS)[number];

/** What happens to an END marker: sent at once, sent after `delayMs`, or never sent. */
export type EndMarkerPolicy = { mode: 'normal' } | { mode: 'delay'; delayMs: number } | { mode: 'withhold' };

/**
 * The TWS-level faults armed by the control API and read by the order life cycle and the
 * sessions. Engine-level faults (scripted 201 rejects, fill and cancel delays, stalls, dropped
 * connections) live in exchange-sim's `FaultInjector`, shared with the other transports.
 */
export class FaultState {
  /** Extra copies of every OPEN_ORDER/ORDER_STATUS pair (stoqey issue #239 saw each pair 3 times). */
  duplicatePairs = 0;
  /** Answer whatIf orders twice: a preliminary OPEN_ORDER with unset margins and a warning, then the real one. */
  twoStageWhatIf = false;
  readonly #warnings: string[] = [];
  readonly #endMarkers = new Map<EndMarker, EndMarkerPolicy>();

  /** Queues a 399 warning (multi-line "Order Message") for the next order placed. */
  warnNextOrder(text: string): void {
    this.#warnings.push(text);
  }

  /** For the order life cycle: the scripted warning for the order being placed, if any. */
  takeWarning(): string | undefined {
    return this.#warnings.shift();
  }

  /** Sets how an END marker is delivered. */
  setEndMarker(marker: EndMarker, policy: EndMarkerPolicy): void {
    if (policy.mode === 'normal') this.#endMarkers.delete(marker);
    else {
      if (policy.mode === 'delay' && !(policy.delayMs >= 0 && Number.isFinite(policy.delayMs))) {
        throw new RangeError(`delayMs must be a finite number >= 0, got ${policy.delayMs}`);
      }
      this.#endMarkers.set(marker, policy);
    }
  }

  /** How an END marker is delivered now. */
  endMarkerPolicy(marker: EndMarker): EndMarkerPolicy {
    return this.#endMarkers.get(marker) ?? NORMAL;
  }

  /** Disarms every fault. */
  reset(): void {
    this.duplicatePairs = 0;
    this.twoStageWhatIf = false;
    this.#warnings.length = 0;
    this.#endMarkers.clear();
  }
}

const NORMAL: EndMarkerPolicy = Object.freeze({ mode: 'normal' });
