import { marginImpactSchema } from '@brokerkit/core';
import type { OrderState } from '@stoqey/ib';
import { describe, expect, test } from 'vitest';
import { IB_UNSET_DOUBLE, ibDouble, isFinalWhatIf, toMarginImpact } from './margin-preview.js';

const finalState = {
  status: 'PreSubmitted',
  initMarginBefore: 1000,
  maintMarginBefore: 800,
  equityWithLoanBefore: 100_000,
  initMarginChange: 5625,
  maintMarginChange: 5625,
  equityWithLoanChange: -1.0,
  initMarginAfter: 6625,
  maintMarginAfter: 6425,
  equityWithLoanAfter: 99_999,
  commission: 1.0,
  commissionCurrency: 'USD',
} as OrderState;

describe('what-if answers', () => {
  test('the max double, empty text, NaN and Infinity mean "not computed"', () => {
    expect(ibDouble(IB_UNSET_DOUBLE)).toBeUndefined();
    expect(ibDouble('1.7976931348623157E308')).toBeUndefined();
    expect(ibDouble('')).toBeUndefined();
    expect(ibDouble(undefined)).toBeUndefined();
    expect(ibDouble(Number.NaN)).toBeUndefined();
    expect(ibDouble('15841.63')).toBe(15841.63);
    expect(ibDouble(-2.78)).toBe(-2.78);
  });

  test('a preliminary answer (warning only, margins unset) is not final', () => {
    expect(isFinalWhatIf({ status: 'PreSubmitted', warningText: 'Order will be held' } as OrderState)).toBe(
      false,
    );
    expect(isFinalWhatIf({ ...finalState, initMarginChange: IB_UNSET_DOUBLE })).toBe(false);
    expect(isFinalWhatIf(finalState)).toBe(true);
  });

  test('a final answer becomes the margin impact, with before/change/after, commission and warnings', () => {
    const impact = toMarginImpact(finalState, ['Order will be held', 'Order will be held'], 'USD');
    expect(marginImpactSchema.safeParse(impact).success).toBe(true);
    expect(impact).toMatchObject({
      currency: 'USD',
      initialMargin: 5625,
      maintenanceMargin: 5625,
      before: { initialMargin: 1000, maintenanceMargin: 800, equityWithLoan: 100_000 },
      change: { initialMargin: 5625, maintenanceMargin: 5625, equityWithLoan: -1 },
      after: { initialMargin: 6625, maintenanceMargin: 6425, equityWithLoan: 99_999 },
      commission: 1,
      commissionCurrency: 'USD',
      warnings: ['Order will be held'],
    });
  });

  test('under tiered pricing commission stays unset and its min/max are reported', () => {
    const impact = toMarginImpact(
      { ...finalState, commission: undefined, minCommission: 0.35, maxCommission: 1.2 },
      [],
      'USD',
    );
    expect(impact.commission).toBeUndefined();
    expect(impact.breakdown).toEqual({ minCommission: 0.35, maxCommission: 1.2 });
  });
});
