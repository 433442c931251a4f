import { z } from 'zod';
import { productSchema, secTypeSchema } from './enums.js';

/** Account balance in the account's base currency. */
export const accountBalanceSchema = z.object({
  currency: z.string().min(1),
  /** Net liquidation value: cash plus the value of positions. */
  equity: z.number(),
  cash: z.number(),
  buyingPower: z.number(),
  /** Margin held by positions and open orders (initial). */
  marginUsed: z.number(),
  /** Margin still available for new orders. */
  marginAvailable: z.number(),
  initialMargin: z.number().optional(),
  maintenanceMargin: z.number().optional(),
  unrealizedPnl: z.number().optional(),
  realizedPnl: z.number().optional(),
  /** Cash per currency when the account holds several. */
  cashByCurrency: z.record(z.string(), z.number()).optional(),
  raw: z.unknown().optional(),
});
export type AccountBalance = z.output<typeof accountBalanceSchema>;

/** An open position. `quantity` is signed: negative is short. */
export const positionSchema = z.object({
  symbol: z.string().min(1),
  secType: secTypeSchema.optional(),
  exchange: z.string().optional(),
  currency: z.string().min(1),
  quantity: z.number(),
  averagePrice: z.number(),
  marketPrice: z.number().optional(),
  marketValue: z.number().optional(),
  unrealizedPnl: z.number().optional(),
  realizedPnl: z.number().optional(),
  product: productSchema.optional(),
  raw: z.unknown().optional(),
});
export type Position = z.output<typeof positionSchema>;
