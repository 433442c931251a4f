import { formatJavaDouble } from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';

/** IB's `CommissionReport`. */
export interface CommissionReportView {
  execId: string;
  commission: number;
  currency: string;
  /** Realised P&L of this execution; `undefined` (sent as Double.MAX_VALUE) when it opened a position. */
  realizedPnl: number | undefined;
}

/**
 * COMMISSION_REPORT (59): `1 | execId | commission | currency | realizedPNL | yield |
 * yieldRedemptionDate`, e.g. `59|1|00025b46.63f8f39c.01.01|1.0|USD|1.7976931348623157E308|
 * 1.7976931348623157E308||` (real TWS).
 */
export function encodeCommissionReport(view: CommissionReportView): string[] {
  return [
    String(ServerMessageId.COMMISSION_REPORT),
    '1',
    view.execId,
    formatJavaDouble(view.commission),
    view.currency,
    formatJavaDouble(view.realizedPnl),
    formatJavaDouble(undefined), // yield
    '', // yieldRedemptionDate
  ];
}
