/** How long clean-up (disconnecting, closing a simulator) may take after Ctrl+C before we exit anyway. */
const CLEANUP_GRACE_MS = 3_000;

type Cleanup = () => Promise<void> | void;

const cleanups = new Set<Cleanup>();
const stopWaiters = new Set<(signal: NodeJS.Signals) => void>();
let interrupted = false;

/** Registers clean-up to run if the user interrupts the command; returns a function that removes it. */
export function addCleanup(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Resolves on the next SIGINT or SIGTERM, which then counts as the normal way to stop (a simulator
 * in the foreground) rather than an interruption.
 */
export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const waiter = (signal: NodeJS.Signals) => {
      stopWaiters.delete(waiter);
      resolve(signal);
    };
    stopWaiters.add(waiter);
  });
}

/**
 * Handles Ctrl+C and SIGTERM: a command waiting for them (`sim`) gets them; otherwise clean-up
 * runs (disconnect the broker) for at most a few seconds and the process exits 130 (SIGINT) or
 * 143 (SIGTERM). A second Ctrl+C exits at once.
 */
export function installSignalHandlers(onInterrupt: (signal: NodeJS.Signals) => void): void {
  const handle = (signal: NodeJS.Signals) => {
    if (stopWaiters.size > 0 && !interrupted) {
      for (const waiter of [...stopWaiters]) waiter(signal);
      return;
    }
    const exitCode = signal === 'SIGINT' ? 130 : 143;
    if (interrupted) process.exit(exitCode);
    interrupted = true;
    onInterrupt(signal);
    const force = setTimeout(() => process.exit(exitCode), CLEANUP_GRACE_MS);
    force.unref();
    void Promise.allSettled([...cleanups].map(async (cleanup) => cleanup())).then(() =>
      process.exit(exitCode),
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
