import { ServerMessageId } from '../catalogue.js';

/** ACCOUNT_SUMMARY (63): `1 | reqId | account | tag | value | currency`. */
export function encodeAccountSummary(
  reqId: number,
  account: string,
  tag: string,
  value: string,
  currency: string,
): string[] {
  return [String(ServerMessageId.ACCOUNT_SUMMARY), '1', String(reqId), account, tag, value, currency];
}

/** ACCOUNT_SUMMARY_END (64): `1 | reqId`. */
export function encodeAccountSummaryEnd(reqId: number): string[] {
  return [String(ServerMessageId.ACCOUNT_SUMMARY_END), '1', String(reqId)];
}
