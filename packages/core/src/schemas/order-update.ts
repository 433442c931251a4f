import { z } from 'zod';
import { orderTypeSchema, timeInForceSchema } from './enums.js';

const positive = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .refine(Number.isFinite, { message: `${what} must be a finite number` })
    .refine((value) => value > 0, { message: `${what} must be greater than 0` });

/** What `modifyOrder` may change. Give at least one field; the order keeps its id. */
export const orderUpdateSchema = z
  .strictObject({
    quantity: positive('quantity').optional(),
    limitPrice: positive('limitPrice').optional(),
    stopPrice: positive('stopPrice').optional(),
    orderType: orderTypeSchema.optional(),
    tif: timeInForceSchema.optional(),
  })
  .refine((update) => Object.values(update).some((value) => value !== undefined), {
    message: 'give at least one of quantity, limitPrice, stopPrice, orderType, tif',
  });

export type OrderUpdate = z.input<typeof orderUpdateSchema>;
