import type { Writable } from 'node:stream';
import yoctoSpinner from 'yocto-spinner';

/** Shown only when a wait lasts longer than this, so fast (in-process) calls do not flicker. */
const SHOW_AFTER_MS = 150;

/** A spinner that may or may not be drawn; `stop` is always safe to call. */
export interface Spinner {
  stop(): void;
}

/** Whether a spinner may be drawn on `stream`: a real terminal, not a dumb one, not CI logs. */
export function canSpin(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb' && env.CI === undefined;
}

/**
 * Starts a spinner on `stream` (stderr) after a short delay. It never handles signals itself, so
 * Ctrl+C still reaches the command's own clean-up (disconnecting the broker).
 */
export function startSpinner(stream: Writable, text: string, enabled: boolean): Spinner {
  if (!enabled) return { stop() {} };
  let spinner: ReturnType<typeof yoctoSpinner> | undefined;
  const timer = setTimeout(() => {
    spinner = yoctoSpinner({ text, stream, handleSignals: false }).start();
  }, SHOW_AFTER_MS);
  timer.unref();
  return {
    stop() {
      clearTimeout(timer);
      spinner?.stop();
      spinner = undefined;
    },
  };
}
