import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { compileFunction } from 'node:vm';

/** The KiteTicker methods this plugin uses. */
export interface KiteTickerInstance {
  connect(): void;
  disconnect(): void;
  connected(): boolean;
  on(
    event: 'connect' | 'disconnect' | 'close' | 'error' | 'order_update' | 'message',
    listener: (...args: unknown[]) => void,
  ): void;
}

/** What a ticker is created with (kiteconnect's params; `root` is missing from its published types). */
export interface KiteTickerParams {
  api_key: string;
  access_token: string;
  root: string;
  reconnect: false;
}

/** A ticker with its own module state, and a way to stop its timers. */
export interface IsolatedKiteTicker {
  ticker: KiteTickerInstance;
  /** Closes the socket and clears every timer the ticker started. */
  dispose(): void;
}

type ModuleFactory = (
  exports: Record<string, unknown>,
  require: NodeJS.Require,
  module: { exports: Record<string, unknown> },
  filename: string,
  dirname: string,
  setTimeout: typeof globalThis.setTimeout,
  setInterval: typeof globalThis.setInterval,
) => void;

let factory: { run: ModuleFactory; require: NodeJS.Require; filename: string } | undefined;

/**
 * Loads kiteconnect's unmodified `dist/lib/ticker.js` as a fresh module instance.
 *
 * Why: KiteTicker keeps its socket, handlers and flags in *module-level* variables
 * (kite-connect-api.md section 8, gotcha 3), so every KiteTicker in a process shares them: handlers
 * accumulate, a second broker's `connect()` is ignored, and after one reconnection a later drop is
 * treated as a "ghost" close and not reported until the 5-10 s read timer notices. One module
 * instance per connection removes all of that. The module is compiled once with `vm.compileFunction`
 * (what Node's CommonJS loader does) and run with its own `exports`; the only difference from a
 * normal `require` is that its timers are unref'd and tracked, so that its read timer never keeps
 * the process alive after a disconnect and can be cleared.
 */
export function createIsolatedKiteTicker(params: KiteTickerParams): IsolatedKiteTicker {
  if (factory === undefined) {
    const localRequire = createRequire(import.meta.url);
    const filename = localRequire.resolve('kiteconnect/dist/lib/ticker.js');
    const run = compileFunction(
      readFileSync(filename, 'utf8'),
      ['exports', 'require', 'module', '__filename', '__dirname', 'setTimeout', 'setInterval'],
      { filename },
    ) as unknown as ModuleFactory;
    factory = { run, require: createRequire(filename), filename };
  }
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const trackedTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = setTimeout(
      (...callbackArgs: unknown[]) => {
        timers.delete(timer);
        callback(...callbackArgs);
      },
      ms,
      ...args,
    );
    timer.unref();
    timers.add(timer);
    return timer;
  }) as typeof setTimeout;
  const trackedInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = setInterval(callback, ms, ...args);
    timer.unref();
    timers.add(timer);
    return timer;
  }) as typeof setInterval;
  const module = { exports: {} as Record<string, unknown> };
  factory.run.call(
    module.exports,
    module.exports,
    factory.require,
    module,
    factory.filename,
    dirname(factory.filename),
    trackedTimeout,
    trackedInterval,
  );
  const KiteTicker = module.exports.KiteTicker as new (params: KiteTickerParams) => KiteTickerInstance;
  const ticker = new KiteTicker(params);
  let disposed = false;
  return {
    ticker,
    dispose() {
      if (disposed) return;
      disposed = true;
      try {
        ticker.disconnect();
      } finally {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
      }
    },
  };
}
