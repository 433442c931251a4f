import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const MAX_COUNTER = 9_999_999;

function newPrefix(): string {
  const tag = Array.from(randomBytes(3), (byte) => ALPHABET[byte % 36]).join('');
  return `bk${Date.now().toString(36)}${tag}`;
}

let prefix = newPrefix();
let counter = 0;

/**
 * A new client order id: `bk` + the process's start time (base 36) + a random tag + a counter, at
 * most 20 characters so that it fits Kite's `tag` as well as IB's `orderRef`. Unique within the
 * process, and across processes by the start time and the random tag. The prefix is made once
 * (and again every ten million orders): only the counter changes per order, which keeps id
 * generation off the per-order cost.
 */
export function generateClientOrderId(): string {
  counter++;
  if (counter > MAX_COUNTER) {
    prefix = newPrefix();
    counter = 1;
  }
  return prefix + counter;
}
