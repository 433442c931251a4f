import { z } from 'zod';

const positiveMs = (what: string) =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int()
    .positive();

/** How the plugin comes back after TWS / IB Gateway drops the socket. */
export const ibkrReconnectSchema = z.strictObject({
  /** Reconnect by itself after a drop (exponential backoff with jitter). Default true. */
  enabled: z.boolean().default(true),
  /** Delay before the second attempt; the first one is immediate. Default 250 ms. */
  initialDelayMs: positiveMs('reconnect.initialDelayMs').default(250),
  /** Longest delay between two attempts. Default 10,000 ms. */
  maxDelayMs: positiveMs('reconnect.maxDelayMs').default(10_000),
  /** Attempts before giving up and going `disconnected`; 0 means never give up. Default 0. */
  maxAttempts: z.number().int().nonnegative().default(0),
});

/**
 * The IBKR broker's config: the spec's keys (`host`, `port`, `clientId`, `accountId`, `readonly`)
 * in camelCase, plus connection tuning. Unknown keys are refused.
 *
 * @example
 * { broker: 'IBKR', host: '127.0.0.1', port: 4002, clientId: 1, accountId: 'DU123456' }
 */
export const ibkrConfigSchema = z.strictObject({
  /** Host of TWS or IB Gateway. Default 127.0.0.1. */
  host: z.string().trim().min(1, 'host must not be empty').default('127.0.0.1'),
  /** API port: IB Gateway 4002 paper / 4001 live; TWS 7497 paper / 7496 live. Default 4002. */
  port: z.number({ error: 'port must be a number such as 4002' }).int().min(1).max(65_535).default(4002),
  /** API client id; unique among the programs connected to the same TWS. Default 1. */
  clientId: z.number({ error: 'clientId must be an integer' }).int().min(0).max(2_147_483_647).default(1),
  /**
   * The account to trade (`DU123456` paper, `U1234567` live). Required when the login manages
   * several accounts; otherwise the only managed account is used.
   */
  accountId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]+$/, 'accountId is an IB account number such as DU123456')
    .optional(),
  /** Refuse every order-changing call (and what-if previews) before anything is sent. Default false. */
  readonly: z.boolean().default(false),
  /** When the client id is in use (IB error 326), try client ids 1-10 in turn. Default true. */
  clientIdRetry: z.boolean().default(true),
  /** How long one connection attempt may take to reach NEXT_VALID_ID. Default 10,000 ms. */
  connectTimeoutMs: positiveMs('connectTimeoutMs').default(10_000),
  /** Upper bound for one request to TWS (contract details, positions, ...). Default 10,000 ms. */
  requestTimeoutMs: positiveMs('requestTimeoutMs').default(10_000),
  /**
   * Messages per second sent to TWS, all kinds together. IB allows 50; the default keeps a margin
   * for clock skew between this process and TWS. Default 45.
   */
  maxMessagesPerSecond: z.number().int().min(2).max(50).default(45),
  reconnect: ibkrReconnectSchema.prefault({}),
});

/** What you pass in (`createBroker({ broker: 'ibkr', ...config })`). */
export type IbkrConfigInput = z.input<typeof ibkrConfigSchema>;
/** The validated config with defaults filled in. */
export type IbkrConfig = z.output<typeof ibkrConfigSchema>;

const TRUE_VALUES = new Set(['1', 'true', 'yes', 'on']);
const FALSE_VALUES = new Set(['0', 'false', 'no', 'off']);

function asNumber(value: string): number | string {
  const trimmed = value.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function asBoolean(value: string): boolean | string {
  const lowered = value.trim().toLowerCase();
  if (TRUE_VALUES.has(lowered)) return true;
  if (FALSE_VALUES.has(lowered)) return false;
  return value;
}

/**
 * Reads the IBKR config from `IBKR_HOST`, `IBKR_PORT`, `IBKR_CLIENT_ID`, `IBKR_ACCOUNT_ID` and
 * `IBKR_READONLY`. Unset or empty variables are left out so the schema's defaults apply; values
 * that do not parse are passed through for the schema to report.
 *
 * `IBKR_PAPER_USERNAME`, `IBKR_LIVE_PASSWORD`, `IBKR_TOTP_SECRET` and the like are for the tooling
 * that logs IB Gateway in; this plugin never reads them (TWS holds the session, not the API client).
 */
export function ibkrConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const read = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const host = read('IBKR_HOST');
  if (host !== undefined) config.host = host.trim();
  const port = read('IBKR_PORT');
  if (port !== undefined) config.port = asNumber(port);
  const clientId = read('IBKR_CLIENT_ID');
  if (clientId !== undefined) config.clientId = asNumber(clientId);
  const accountId = read('IBKR_ACCOUNT_ID');
  if (accountId !== undefined) config.accountId = accountId.trim();
  const readonly = read('IBKR_READONLY');
  if (readonly !== undefined) config.readonly = asBoolean(readonly);
  return config;
}
