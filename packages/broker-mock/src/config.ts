import { optionRightSchema, productSchema, secTypeSchema } from '@brokerkit/core';
import { z } from 'zod';

const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a 3-letter upper-case currency code such as USD');
const sessionTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a UTC time of day "HH:MM"');
const rate = z.number().min(0).max(10);
const money = z.number().nonnegative();

const marginSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('percent'),
    initial: rate,
    maintenance: rate,
    short: z.strictObject({ initial: rate, maintenance: rate }).optional(),
    byProduct: z
      .partialRecord(productSchema, z.strictObject({ initial: rate, maintenance: rate }))
      .optional(),
  }),
  z.strictObject({ kind: z.literal('per-contract'), initial: money, maintenance: money }),
  z.strictObject({ kind: z.literal('span'), spanPercent: rate, exposurePercent: rate }),
  z.strictObject({
    kind: z.literal('option'),
    shortInitialPercentOfStrike: rate,
    shortMaintenancePercentOfStrike: rate,
  }),
]);

const commissionSchema = z.strictObject({
  perUnit: money.optional(),
  rate: rate.optional(),
  flat: money.optional(),
  minimum: money.optional(),
  maximum: money.optional(),
  maximumRate: rate.optional(),
});

/** An extra instrument for the mock's market (the fields of exchange-sim's `InstrumentDefinition`). */
export const mockInstrumentSchema = z.strictObject({
  symbol: z.string().trim().min(1),
  secType: secTypeSchema,
  exchange: z.string().trim().min(1),
  currency: currencySchema,
  tickSize: z.number().positive(),
  price: z.number().positive(),
  exchanges: z.array(z.string().trim().min(1)).optional(),
  lotSize: z.number().positive().optional(),
  multiplier: z.number().positive().optional(),
  localSymbol: z.string().trim().min(1).optional(),
  underlying: z.string().trim().min(1).optional(),
  contractMonth: z
    .string()
    .regex(/^\d{6}$/, 'must be YYYYMM')
    .optional(),
  expiry: z
    .string()
    .regex(/^\d{8}$/, 'must be YYYYMMDD')
    .optional(),
  strike: z.number().positive().optional(),
  right: optionRightSchema.optional(),
  margin: marginSchema.optional(),
  commission: commissionSchema.optional(),
  commissionByProduct: z.partialRecord(productSchema, commissionSchema).optional(),
  products: z.array(productSchema).optional(),
  shortable: z.boolean().optional(),
  cashQuantity: z.boolean().optional(),
  volatilityBps: z.number().nonnegative().optional(),
  sessionCloseUtc: sessionTimeSchema.optional(),
  maxFillQuantity: z.number().positive().optional(),
});

/**
 * The mock broker's config (camelCase; unknown keys are refused). Everything has a default, so
 * `{ broker: 'mock' }` is a complete config.
 */
export const mockConfigSchema = z.strictObject({
  /** Starting cash in `currency`. Default 1,000,000. */
  initialBalance: z.number().positive().max(1e15).default(1_000_000),
  /** The account's base currency. Default USD. */
  currency: currencySchema.default('USD'),
  /** Market time from acceptance to the first chance to fill, in seconds. Default 1. */
  fillDelaySeconds: z.number().min(0).max(86_400).default(1),
  /** Share of orders the venue rejects at random (seeded), 0..1. Default 0. */
  rejectionRate: z.number().min(0).max(1).default(0),
  /** Seed of prices and random rejections: the same seed and calls give the same fills. Default 1. */
  seed: z.union([z.number().int(), z.string().min(1)]).default(1),
  /** Starting prices by symbol, e.g. `{ AAPL: 190 }`. */
  prices: z.record(z.string().min(1), z.number().positive()).default({}),
  /** Instruments to add to the built-in universe. */
  instruments: z.array(mockInstrumentSchema).default([]),
  /** `real`: wall-clock time. `virtual`: time moves only with `broker.advanceTime(ms)`. Default real. */
  clock: z.enum(['real', 'virtual']).default('real'),
  /** Move prices by a seeded random walk. Default true. */
  randomWalk: z.boolean().default(true),
  /** Length of one price step in ms (0: prices change only when set). Default 1,000. */
  priceStepMs: z.number().int().min(0).default(1_000),
  /** Time for a cancel to take effect, in seconds; fills during it win. Default 0. */
  cancelDelaySeconds: z.number().min(0).max(86_400).default(0),
  /** Most quantity one fill may take; larger orders fill in parts. Default unlimited. */
  maxFillQuantity: z.number().positive().optional(),
  /** Ticks market orders pay beyond the price. Default 0. */
  slippageTicks: z.number().int().min(0).default(0),
  /** Session close (UTC `HH:MM`) at which DAY orders expire. Default 21:00. */
  sessionCloseUtc: sessionTimeSchema.default('21:00'),
  /** The account id reported by the mock. Default `MOCK-1`. */
  accountId: z.string().trim().min(1).default('MOCK-1'),
  /** Delay before the mock reconnects after a dropped connection, in seconds (market time). Default 1. */
  reconnectDelaySeconds: z.number().min(0).max(3_600).default(1),
  /**
   * Simulate a broker that cannot be reached: every `connect()` fails with BrokerConnectionError,
   * as an address where nothing listens would. For testing connection-error handling. Default false.
   */
  unreachable: z.boolean().default(false),
  /** Final orders the mock remembers (oldest forgotten first). Default 10,000. */
  retainClosedOrders: z.number().int().min(0).default(10_000),
});

/** The validated config, with every default filled in. */
export type MockBrokerConfig = z.output<typeof mockConfigSchema>;
/** What a user passes (every field optional). */
export type MockBrokerConfigInput = z.input<typeof mockConfigSchema>;
/** An extra instrument. */
export type MockInstrument = z.output<typeof mockInstrumentSchema>;

const ENV_KEYS: ReadonlyArray<[string, keyof MockBrokerConfig, 'number' | 'string' | 'boolean']> = [
  ['MOCK_INITIAL_BALANCE', 'initialBalance', 'number'],
  ['MOCK_CURRENCY', 'currency', 'string'],
  ['MOCK_FILL_DELAY_SECONDS', 'fillDelaySeconds', 'number'],
  ['MOCK_REJECTION_RATE', 'rejectionRate', 'number'],
  ['MOCK_SEED', 'seed', 'number'],
  ['MOCK_CLOCK', 'clock', 'string'],
  ['MOCK_RANDOM_WALK', 'randomWalk', 'boolean'],
  ['MOCK_ACCOUNT_ID', 'accountId', 'string'],
];

/**
 * Reads `MOCK_*` variables (`MOCK_INITIAL_BALANCE`, `MOCK_FILL_DELAY_SECONDS`,
 * `MOCK_REJECTION_RATE`, `MOCK_SEED`, `MOCK_CURRENCY`, `MOCK_CLOCK`, `MOCK_RANDOM_WALK`,
 * `MOCK_ACCOUNT_ID`). Values that do not parse are passed through as text so that the config
 * schema reports them by name. `USE_MOCK_BROKER=true` (read by core) selects the mock.
 */
export function mockConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [variable, key, kind] of ENV_KEYS) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') continue;
    const text = raw.trim();
    if (kind === 'number') {
      const value = Number(text);
      // A seed may also be text.
      config[key] = Number.isFinite(value) ? value : text;
    } else if (kind === 'boolean') {
      const lower = text.toLowerCase();
      config[key] = ['1', 'true', 'yes', 'on'].includes(lower)
        ? true
        : ['0', 'false', 'no', 'off'].includes(lower)
          ? false
          : text;
    } else {
      config[key] = text;
    }
  }
  return config;
}
