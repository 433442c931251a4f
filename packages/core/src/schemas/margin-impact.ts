import { z } from 'zod';

/** Margin figures of the account at one moment (before or after the order). */
export const marginSnapshotSchema = z.object({
  initialMargin: z.number(),
  maintenanceMargin: z.number(),
  equityWithLoan: z.number().optional(),
});
export type MarginSnapshot = z.output<typeof marginSnapshotSchema>;

/**
 * What an order would do to the account's margin, computed without placing it (IB whatIf, Kite
 * order margins). `initialMargin` / `maintenanceMargin` are the order's own requirement.
 */
export const marginImpactSchema = z.object({
  currency: z.string().min(1),
  initialMargin: z.number(),
  maintenanceMargin: z.number(),
  before: marginSnapshotSchema.optional(),
  change: marginSnapshotSchema.optional(),
  after: marginSnapshotSchema.optional(),
  commission: z.number().optional(),
  commissionCurrency: z.string().optional(),
  /** Broker-specific parts of the requirement (Kite: span, exposure, optionPremium, charges). */
  breakdown: z.record(z.string(), z.number()).optional(),
  /** Warnings the broker attached (IB's warning text); empty when none. */
  warnings: z.array(z.string()),
  raw: z.unknown().optional(),
});
export type MarginImpact = z.output<typeof marginImpactSchema>;
