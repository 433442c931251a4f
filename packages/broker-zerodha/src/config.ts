import { type Secret, secretSchema } from '@brokerkit/core';
import { z } from 'zod';
import { parseIstTimeOfDay } from './time/ist-clock.js';

/** Kite's production API. */
export const DEFAULT_KITE_ROOT = 'https://api.kite.trade';
/** Kite's production ticker WebSocket. */
export const DEFAULT_KITE_TICKER_ROOT = 'wss://ws.kite.trade/';

const istTime = (what: string) =>
  z.string().refine(
    (value) => {
      try {
        parseIstTimeOfDay(value);
        return true;
      } catch {
        return false;
      }
    },
    { message: `${what} must be an IST time "HH:MM", e.g. "06:00"` },
  );

const perWindow = (what: string) =>
  z.number().int(`${what} must be a whole number`).positive(`${what} must be > 0`);

/** Overrides of Kite's published limits (they changed several times: 5/s -> 10/s, 200/min -> 400/min). */
export const rateLimitOverridesSchema = z.strictObject({
  ordersPerSecond: perWindow('ordersPerSecond').optional(),
  ordersPerMinute: perWindow('ordersPerMinute').optional(),
  ordersPerDay: perWindow('ordersPerDay').optional(),
  quotesPerSecond: perWindow('quotesPerSecond').optional(),
  othersPerSecond: perWindow('othersPerSecond').optional(),
});

const httpUrl = (what: string, protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `${what} must be a ${protocols.join(' or ')} URL` },
  );

/**
 * The Zerodha plugin's config: the spec's `apiKey`, `apiSecret`, `accessToken`, `userId`, plus where
 * the API is and tuning. Unknown keys are refused.
 */
export const zerodhaConfigSchema = z.strictObject({
  /** Your Kite Connect app's API key. */
  apiKey: z.string().trim().min(1, 'apiKey must not be empty'),
  /**
   * Your app's API secret. Needed to log in (exchange a request token) and to verify the checksum of
   * order updates; trading with an existing access token works without it.
   */
  apiSecret: secretSchema.optional(),
  /**
   * Today's access token. When absent, the token saved by the login helper (`TokenStore`, the
   * `tokenFile`) is used.
   */
  accessToken: secretSchema.optional(),
  /** Your Kite user id (`AB1234`); when given, connect checks that the token belongs to it. */
  userId: z.string().trim().min(1).optional(),
  /** API base URL (kiteconnect's `root`). Default `https://api.kite.trade`; kite-sim's address in tests. */
  root: httpUrl('root', ['http:', 'https:']).optional(),
  /** Ticker WebSocket URL. Default `wss://ws.kite.trade/` for the real API, else the `root` host. */
  tickerRoot: httpUrl('tickerRoot', ['ws:', 'wss:']).optional(),
  /** HTTP timeout per request in ms (kiteconnect's `timeout`). Default 7000. */
  requestTimeoutMs: z.number().int().positive().optional(),
  /**
   * Market protection for MARKET and STOP (SL-M) orders: a percentage in (0, 100], or -1 to let
   * Kite choose. Default -1. Kite refuses API market orders without protection.
   */
  marketProtection: z
    .number()
    .refine((value) => value === -1 || (value > 0 && value <= 100), {
      message: 'marketProtection must be -1 (automatic) or a percentage in (0, 100]',
    })
    .optional(),
  /** `stream` (ticker WebSocket, polling while it is down) or `poll` only. Default `stream`. */
  orderUpdates: z.enum(['stream', 'poll']).optional(),
  /** How often to poll open orders while the stream is down, in ms. Default 1000. */
  pollIntervalMs: z.number().int().min(200, 'pollIntervalMs must be at least 200').optional(),
  /** Where the login helper stored today's token (used when `accessToken` is absent). */
  tokenFile: z.string().min(1).optional(),
  /** IST time at which the instrument dump is refreshed each day. Default `08:30`. */
  instrumentsRefreshTime: istTime('instrumentsRefreshTime').optional(),
  /** Directory to keep the day's instrument dumps in, so short-lived processes download them once a day. */
  instrumentCacheDir: z.string().min(1).optional(),
  /** Overrides of Kite's published rate limits. */
  rateLimits: rateLimitOverridesSchema.optional(),
  /** Add holdings (settled delivery shares) to `getOpenPositions`. Default false: net positions only. */
  includeHoldings: z.boolean().optional(),
});

/** The config as given (strings for secrets are accepted). */
export type ZerodhaConfigInput = z.input<typeof zerodhaConfigSchema>;
/** The config after validation: secrets are `Secret`s. */
export type ZerodhaConfig = z.output<typeof zerodhaConfigSchema> & {
  apiSecret?: Secret;
  accessToken?: Secret;
};

/** Environment variable -> config key. */
export const ZERODHA_ENV_VARIABLES: Readonly<Record<string, keyof ZerodhaConfigInput>> = Object.freeze({
  ZERODHA_API_KEY: 'apiKey',
  ZERODHA_API_SECRET: 'apiSecret',
  ZERODHA_ACCESS_TOKEN: 'accessToken',
  ZERODHA_USER_ID: 'userId',
  ZERODHA_ROOT: 'root',
  ZERODHA_TICKER_ROOT: 'tickerRoot',
  ZERODHA_TOKEN_FILE: 'tokenFile',
});

/** Reads the config from `ZERODHA_*` variables; unset or empty variables are left out. */
export function zerodhaConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(ZERODHA_ENV_VARIABLES)) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '') config[key] = value.trim();
  }
  return config;
}
