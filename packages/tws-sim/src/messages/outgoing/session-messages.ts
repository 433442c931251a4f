import { ServerMessageId } from '../catalogue.js';

/** MANAGED_ACCTS (15): `1 | accounts` (comma-separated for advisors). */
export function encodeManagedAccounts(accounts: readonly string[]): string[] {
  return [String(ServerMessageId.MANAGED_ACCTS), '1', accounts.join(',')];
}

/** NEXT_VALID_ID (9): `1 | orderId`. */
export function encodeNextValidId(orderId: number): string[] {
  return [String(ServerMessageId.NEXT_VALID_ID), '1', String(orderId)];
}

/** CURRENT_TIME (49): `1 | epochSeconds`. */
export function encodeCurrentTime(epochSeconds: number): string[] {
  return [String(ServerMessageId.CURRENT_TIME), '1', String(Math.floor(epochSeconds))];
}
