import { z } from 'zod';
import {
  optionRightSchema,
  orderSideSchema,
  orderStatusSchema,
  orderTypeSchema,
  productSchema,
  secTypeSchema,
  timeInForceSchema,
} from './enums.js';

const nonNegative = z.number().nonnegative();

/** What `placeOrder` returns: the broker's id for the order and its status at acknowledgement. */
export const placeOrderResultSchema = z.object({
  orderId: z.string().min(1),
  clientOrderId: z.string().min(1),
  status: orderStatusSchema,
  /** Epoch milliseconds when the broker acknowledged the order. */
  createdAt: z.number(),
  raw: z.unknown().optional(),
});
export type PlaceOrderResult = z.output<typeof placeOrderResultSchema>;

/** The full record of an order as the broker knows it now. */
export const orderRecordSchema = z.object({
  orderId: z.string().min(1),
  clientOrderId: z.string().min(1),
  symbol: z.string().min(1),
  side: orderSideSchema,
  orderType: orderTypeSchema,
  tif: timeInForceSchema,
  status: orderStatusSchema,
  /** Ordered quantity; absent for cash-quantity orders until filled. */
  quantity: nonNegative.optional(),
  cashQty: nonNegative.optional(),
  filledQuantity: nonNegative,
  remainingQuantity: nonNegative.optional(),
  /** Volume-weighted average fill price; absent until the first fill. */
  averageFillPrice: z.number().positive().optional(),
  limitPrice: z.number().positive().optional(),
  stopPrice: z.number().positive().optional(),
  secType: secTypeSchema.optional(),
  exchange: z.string().optional(),
  currency: z.string().optional(),
  lastTradeDateOrContractMonth: z.string().optional(),
  strike: z.number().optional(),
  right: optionRightSchema.optional(),
  product: productSchema.optional(),
  /** The broker's text for the last status (reject reason, cancel reason). */
  statusMessage: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  raw: z.unknown().optional(),
});
export type OrderRecord = z.output<typeof orderRecordSchema>;

/** One execution (a fill or a part of one). */
export const fillSchema = z.object({
  orderId: z.string().min(1),
  clientOrderId: z.string().min(1),
  executionId: z.string().min(1),
  symbol: z.string().min(1),
  side: orderSideSchema,
  quantity: z.number().positive(),
  price: z.number().positive(),
  commission: z.number().optional(),
  commissionCurrency: z.string().optional(),
  /** Epoch milliseconds of the execution. */
  time: z.number(),
  raw: z.unknown().optional(),
});
export type Fill = z.output<typeof fillSchema>;
