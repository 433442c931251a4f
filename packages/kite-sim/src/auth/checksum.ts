import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex digest of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The `/session/token` checksum: SHA-256 of `api_key + request_token + api_secret` (kiteconnect `generateSession`). */
export function sessionChecksum(apiKey: string, requestToken: string, apiSecret: string): string {
  return sha256Hex(apiKey + requestToken + apiSecret);
}

/** The postback / order-update checksum: SHA-256 of `order_id + order_timestamp + api_secret` (kiteconnect `validatePostback`). */
export function postbackChecksum(orderId: string, orderTimestamp: string, apiSecret: string): string {
  return sha256Hex(orderId + orderTimestamp + apiSecret);
}

/** Compares two strings in time independent of where they differ. */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}
