import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
let counter = 0;
const processTag = Array.from(randomBytes(4), (byte) => ALPHABET[byte % 36]).join('');

/**
 * A new client order id: `bk` + time + process tag + counter, 20 characters or fewer so that it
 * fits Kite's `tag` (max 20) as well as IB's `orderRef`. Unique per process, and across processes
 * by the random tag.
 */
export function generateClientOrderId(now: number = Date.now()): string {
  counter = (counter + 1) % 1_679_616; // 36^4
  return `bk${now.toString(36)}${processTag}${counter.toString(36).padStart(4, '0')}`;
}
