import type { MarginImpact, MarginSnapshot } from '@brokerkit/core';
import type { OrderState } from '@stoqey/ib';

/**
 * Java's Double.MAX_VALUE: TWS's marker for "not computed" in what-if answers
 * (ibkr-tws-protocol.md 1.6 and 2.4). @stoqey/ib turns it into `undefined`; values near it are
 * treated the same in case a decoder passes the number through.
 */
export const IB_UNSET_DOUBLE = 1.7976931348623157e308;

/** A what-if number, or `undefined` when TWS did not compute it (MAX, empty, NaN, Infinity). */
export function ibDouble(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
  if (Math.abs(number) >= IB_UNSET_DOUBLE / 2) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return number;
}

/**
 * True when a what-if answer carries the real margin figures. TWS may first send a preliminary
 * OPEN_ORDER with only a warning and MAX everywhere, then the real one (ib_insync #380); like
 * ib_insync, an answer counts once the initial-margin change is known.
 */
export function isFinalWhatIf(state: OrderState): boolean {
  return ibDouble(state.initMarginChange) !== undefined;
}

/** The warning text of an answer, split into lines, without blanks. */
export function warningsOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  const trimmed = text.trim();
  return trimmed === '' ? [] : [trimmed];
}

function snapshot(
  initial: unknown,
  maintenance: unknown,
  equityWithLoan: unknown,
): MarginSnapshot | undefined {
  const initialMargin = ibDouble(initial);
  const maintenanceMargin = ibDouble(maintenance);
  if (initialMargin === undefined || maintenanceMargin === undefined) return undefined;
  const equity = ibDouble(equityWithLoan);
  return equity === undefined
    ? { initialMargin, maintenanceMargin }
    : { initialMargin, maintenanceMargin, equityWithLoan: equity };
}

/**
 * Turns a final what-if OrderState into a MarginImpact: the order's own requirement is the
 * change in initial and maintenance margin; before, change and after are kept as snapshots;
 * commission (or, under tiered pricing, its min/max in `breakdown`) and every warning TWS sent
 * (preliminary answers and 399 order messages included) are reported.
 *
 * @param warnings warnings gathered from all answers and 399 messages for this preview.
 * @param currency the account's base currency (what-if figures are in it).
 */
export function toMarginImpact(
  state: OrderState,
  warnings: readonly string[],
  currency: string,
): MarginImpact {
  const initialChange = ibDouble(state.initMarginChange);
  if (initialChange === undefined) throw new RangeError('what-if answer has no initial margin change');
  const before = snapshot(state.initMarginBefore, state.maintMarginBefore, state.equityWithLoanBefore);
  const after = snapshot(state.initMarginAfter, state.maintMarginAfter, state.equityWithLoanAfter);
  let maintenanceChange = ibDouble(state.maintMarginChange);
  if (maintenanceChange === undefined && before !== undefined && after !== undefined) {
    maintenanceChange = after.maintenanceMargin - before.maintenanceMargin;
  }
  const change: MarginSnapshot = { initialMargin: initialChange, maintenanceMargin: maintenanceChange ?? 0 };
  const equityChange = ibDouble(state.equityWithLoanChange);
  if (equityChange !== undefined) change.equityWithLoan = equityChange;
  const breakdown: Record<string, number> = {};
  const minCommission = ibDouble(state.minCommission);
  const maxCommission = ibDouble(state.maxCommission);
  if (minCommission !== undefined) breakdown.minCommission = minCommission;
  if (maxCommission !== undefined) breakdown.maxCommission = maxCommission;
  const commission = ibDouble(state.commission);
  const impact: MarginImpact = {
    currency,
    initialMargin: initialChange,
    maintenanceMargin: change.maintenanceMargin,
    change,
    warnings: [...new Set(warnings)],
    raw: { ...state },
  };
  if (before !== undefined) impact.before = before;
  if (after !== undefined) impact.after = after;
  if (commission !== undefined) impact.commission = commission;
  if (state.commissionCurrency) impact.commissionCurrency = state.commissionCurrency;
  if (Object.keys(breakdown).length > 0) impact.breakdown = breakdown;
  return impact;
}
