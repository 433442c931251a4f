import type { FieldReader } from '../../wire/fields.js';

/** REQ_ACCOUNT_SUMMARY (62): `1 | reqId | group | tags` (tags comma-separated). */
export interface AccountSummaryRequestMessage {
  type: 'REQ_ACCOUNT_SUMMARY';
  reqId: number;
  group: string;
  tags: string[];
}

/** CANCEL_ACCOUNT_SUMMARY (63): `1 | reqId`. */
export interface CancelAccountSummaryMessage {
  type: 'CANCEL_ACCOUNT_SUMMARY';
  reqId: number;
}

/** Parses REQ_ACCOUNT_SUMMARY after its id. */
export function parseAccountSummaryRequest(reader: FieldReader): AccountSummaryRequestMessage {
  reader.skip(); // version
  const reqId = reader.int() ?? 0;
  const group = reader.string();
  const tags = reader
    .string()
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  return { type: 'REQ_ACCOUNT_SUMMARY', reqId, group, tags };
}

/** Parses CANCEL_ACCOUNT_SUMMARY after its id. */
export function parseCancelAccountSummary(reader: FieldReader): CancelAccountSummaryMessage {
  reader.skip(); // version
  return { type: 'CANCEL_ACCOUNT_SUMMARY', reqId: reader.int() ?? 0 };
}
