import type { OrderSide, OrderStatus } from '@brokerkit/core';
import type { Colors } from './colors.js';

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const price = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 8 });
const quantity = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });

/** `1234567.891` -> `1,234,567.89`; `undefined` -> `-`. */
export function formatMoney(value: number | undefined): string {
  return value === undefined ? '-' : money.format(value);
}

/** Prices keep the precision the broker gave (forex, crypto), with at least two decimals. */
export function formatPrice(value: number | undefined): string {
  return value === undefined ? '-' : price.format(value);
}

/** Quantities as given, grouped: `20,000`, `0.5`. */
export function formatQuantity(value: number | undefined): string {
  return value === undefined ? '-' : quantity.format(value);
}

/** Epoch milliseconds as an unambiguous UTC timestamp. */
export function formatTime(epochMs: number | undefined): string {
  return epochMs === undefined ? '-' : new Date(epochMs).toISOString();
}

/** Profit green, loss red. */
export function formatPnl(value: number | undefined, colors: Colors): string {
  if (value === undefined) return '-';
  const text = formatMoney(value);
  if (value > 0) return colors.green(text);
  if (value < 0) return colors.red(text);
  return text;
}

/** Working orders yellow, fills green, cancels dim, rejections red. */
export function formatStatus(status: OrderStatus, colors: Colors): string {
  switch (status) {
    case 'FILLED':
      return colors.green(status);
    case 'REJECTED':
      return colors.red(status);
    case 'CANCELLED':
      return colors.dim(status);
    case 'PENDING':
    case 'SUBMITTED':
    case 'PARTIALLY_FILLED':
      return colors.yellow(status);
  }
}

/** BUY green, SELL red. */
export function formatSide(side: OrderSide, colors: Colors): string {
  return side === 'BUY' ? colors.green(side) : colors.red(side);
}
