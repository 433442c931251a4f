/**
 * A commission schedule, in the instrument's currency, charged per order on what has filled so far:
 *
 * `max(minimum, perUnit x quantity + rate x value + flat)`, then capped by `maximum` and
 * `maximumRate x value`, rounded to 2 decimals.
 *
 * `quantity` is in the instrument's units (shares, contracts, coins) and `value` is
 * `quantity x price x multiplier`. Because the schedule applies to the order's cumulative fills, a
 * minimum or a flat fee is charged once per order however many partial fills it has (IBKR's
 * per-order minimum, Zerodha's flat fee per executed order).
 */
export interface CommissionSchedule {
  perUnit?: number;
  /** Fraction of traded value (0.0003 = 0.03%). */
  rate?: number;
  /** Fixed amount per order. */
  flat?: number;
  minimum?: number;
  maximum?: number;
  /** Cap as a fraction of traded value. */
  maximumRate?: number;
}

/** No commission. */
export const FREE: CommissionSchedule = Object.freeze({});

/** The commission due for an order with `quantity` filled for `value` so far. */
export function commissionFor(schedule: CommissionSchedule, quantity: number, value: number): number {
  if (quantity <= 0) return 0;
  let amount = (schedule.perUnit ?? 0) * quantity + (schedule.rate ?? 0) * value + (schedule.flat ?? 0);
  if (schedule.minimum !== undefined && amount < schedule.minimum) amount = schedule.minimum;
  if (schedule.maximum !== undefined && amount > schedule.maximum) amount = schedule.maximum;
  if (schedule.maximumRate !== undefined && amount > schedule.maximumRate * value)
    amount = schedule.maximumRate * value;
  return Math.round(amount * 100) / 100;
}

/** Checks a schedule; throws RangeError naming the bad field. */
export function assertValidCommission(schedule: CommissionSchedule, where: string): void {
  for (const [field, value] of Object.entries(schedule)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `${where}: commission.${field} must be a finite number >= 0, got ${String(value)}`,
      );
    }
  }
}
