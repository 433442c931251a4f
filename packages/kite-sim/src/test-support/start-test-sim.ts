import { createRequire } from 'node:module';
import { type Connect, KiteConnect } from 'kiteconnect';
import { afterEach } from 'vitest';
import { type KiteSim, type KiteSimOptions, startKiteSim } from '../kite-sim.js';

export const TEST_API_KEY = 'test_api_key';
export const TEST_API_SECRET = 'test_api_secret';
export const TEST_ACCESS_TOKEN = 'test_access_token';

const running = new Set<KiteSim>();

afterEach(async () => {
  await Promise.all([...running].map((sim) => sim.close()));
  running.clear();
});

/** A simulator on a virtual clock, loopback port 0, with the test key pair; closed after each test. */
export async function startTestSim(options: KiteSimOptions = {}): Promise<KiteSim> {
  const sim = await startKiteSim({
    clock: 'virtual',
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    accessToken: TEST_ACCESS_TOKEN,
    rateLimits: false,
    simulatorOptions: { seed: 7, randomWalk: false },
    ...options,
  });
  running.add(sim);
  return sim;
}

/** The unmodified kiteconnect client pointed at a simulator. */
export function kiteFor(
  sim: KiteSim,
  options: { accessToken?: string | null; timeout?: number } = {},
): Connect {
  const accessToken = options.accessToken === undefined ? TEST_ACCESS_TOKEN : options.accessToken;
  return new KiteConnect({
    api_key: sim.apiKey,
    ...(accessToken === null ? {} : { access_token: accessToken }),
    root: sim.root,
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  });
}

/** A simulator plus a client. */
export async function startWithClient(
  options: KiteSimOptions = {},
): Promise<{ sim: KiteSim; kite: Connect }> {
  const sim = await startTestSim(options);
  return { sim, kite: kiteFor(sim) };
}

const require = createRequire(import.meta.url);

/** The KiteTicker class (no module state shared with other calls). */
export type KiteTickerClass = typeof import('kiteconnect').KiteTicker;

/**
 * KiteTicker from a fresh copy of kiteconnect's ticker module. The ticker keeps its socket,
 * handlers and reconnect flags in module globals (kite-connect-api.md section 8), so each test
 * loads its own copy; the code itself is the published one, unmodified.
 */
export function freshKiteTicker(): KiteTickerClass {
  const path = require.resolve('kiteconnect/dist/lib/ticker.js');
  delete require.cache[path];
  return (require(path) as { KiteTicker: KiteTickerClass }).KiteTicker;
}

/** Waits until `check` returns a value other than undefined (polling real time), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined,
  timeoutMs = 3_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Rejection of a promise (kiteconnect rejects with plain objects, not Errors). */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<{ status?: string; message: string; error_type: string; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { status?: string; message: string; error_type: string; data: unknown };
  }
  throw new Error('expected the call to be rejected');
}
