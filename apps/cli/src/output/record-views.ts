import type {
  AccountBalance,
  Fill,
  MarginImpact,
  OrderRecord,
  PlaceOrderResult,
  Position,
} from '@brokerkit/core';
import type { Colors } from './colors.js';
import {
  formatMoney,
  formatPnl,
  formatPrice,
  formatQuantity,
  formatSide,
  formatStatus,
  formatTime,
} from './format-values.js';
import { renderDetails, renderTable } from './table.js';

/**
 * A record without the broker's `raw` payload: `raw` differs per broker and version, so the JSON
 * output leaves it out to keep its shape stable.
 */
export function withoutRaw<T extends { raw?: unknown }>(record: T): Omit<T, 'raw'> {
  const { raw: _raw, ...rest } = record;
  return rest;
}

/** The human view of `getAccountBalance()`. */
export function renderBalance(balance: AccountBalance, colors: Colors): string {
  const pairs: [string, string][] = [
    ['currency', balance.currency],
    ['equity', formatMoney(balance.equity)],
    ['cash', formatMoney(balance.cash)],
    ['buying power', formatMoney(balance.buyingPower)],
    ['margin used', formatMoney(balance.marginUsed)],
    ['margin available', formatMoney(balance.marginAvailable)],
  ];
  if (balance.initialMargin !== undefined) pairs.push(['initial margin', formatMoney(balance.initialMargin)]);
  if (balance.maintenanceMargin !== undefined)
    pairs.push(['maintenance margin', formatMoney(balance.maintenanceMargin)]);
  if (balance.unrealizedPnl !== undefined)
    pairs.push(['unrealized P&L', formatPnl(balance.unrealizedPnl, colors)]);
  if (balance.realizedPnl !== undefined) pairs.push(['realized P&L', formatPnl(balance.realizedPnl, colors)]);
  for (const [currency, cash] of Object.entries(balance.cashByCurrency ?? {})) {
    pairs.push([`cash ${currency}`, formatMoney(cash)]);
  }
  return renderDetails(pairs, colors);
}

/** The human view of `getOpenPositions()`. */
export function renderPositions(positions: readonly Position[], colors: Colors): string {
  const withProduct = positions.some((position) => position.product !== undefined);
  const columns = [
    { header: 'SYMBOL' },
    { header: 'TYPE' },
    { header: 'EXCHANGE' },
    { header: 'CCY' },
    { header: 'QTY', align: 'right' as const },
    { header: 'AVG PRICE', align: 'right' as const },
    { header: 'MKT PRICE', align: 'right' as const },
    { header: 'MKT VALUE', align: 'right' as const },
    { header: 'UNREALIZED P&L', align: 'right' as const },
    ...(withProduct ? [{ header: 'PRODUCT' }] : []),
  ];
  const rows = positions.map((position) => [
    position.symbol,
    position.secType ?? '-',
    position.exchange ?? '-',
    position.currency,
    formatQuantity(position.quantity),
    formatPrice(position.averagePrice),
    formatPrice(position.marketPrice),
    formatMoney(position.marketValue),
    formatPnl(position.unrealizedPnl, colors),
    ...(withProduct ? [position.product ?? '-'] : []),
  ]);
  return renderTable(columns, rows, colors);
}

/** The human view of a list of orders (`getOpenOrders()`). */
export function renderOrders(orders: readonly OrderRecord[], colors: Colors): string {
  const columns = [
    { header: 'ORDER ID' },
    { header: 'CLIENT ORDER ID' },
    { header: 'SYMBOL' },
    { header: 'SIDE' },
    { header: 'TYPE' },
    { header: 'QTY', align: 'right' as const },
    { header: 'FILLED', align: 'right' as const },
    { header: 'LIMIT', align: 'right' as const },
    { header: 'STOP', align: 'right' as const },
    { header: 'TIF' },
    { header: 'STATUS' },
  ];
  const rows = orders.map((order) => [
    order.orderId,
    order.clientOrderId,
    order.symbol,
    formatSide(order.side, colors),
    order.orderType,
    order.quantity === undefined ? `cash ${formatMoney(order.cashQty)}` : formatQuantity(order.quantity),
    formatQuantity(order.filledQuantity),
    formatPrice(order.limitPrice),
    formatPrice(order.stopPrice),
    order.tif,
    formatStatus(order.status, colors),
  ]);
  return renderTable(columns, rows, colors);
}

/** The human view of one order's full record. */
export function renderOrder(order: OrderRecord, colors: Colors): string {
  const pairs: [string, string][] = [
    ['order id', order.orderId],
    ['client order id', order.clientOrderId],
    ['status', formatStatus(order.status, colors)],
    ['symbol', order.symbol],
    ['side', formatSide(order.side, colors)],
    ['type', order.orderType],
    ['tif', order.tif],
  ];
  if (order.quantity !== undefined) pairs.push(['quantity', formatQuantity(order.quantity)]);
  if (order.cashQty !== undefined) pairs.push(['cash quantity', formatMoney(order.cashQty)]);
  pairs.push(['filled', formatQuantity(order.filledQuantity)]);
  if (order.remainingQuantity !== undefined)
    pairs.push(['remaining', formatQuantity(order.remainingQuantity)]);
  if (order.averageFillPrice !== undefined)
    pairs.push(['average fill price', formatPrice(order.averageFillPrice)]);
  if (order.limitPrice !== undefined) pairs.push(['limit price', formatPrice(order.limitPrice)]);
  if (order.stopPrice !== undefined) pairs.push(['stop price', formatPrice(order.stopPrice)]);
  if (order.secType !== undefined) pairs.push(['sec type', order.secType]);
  if (order.exchange !== undefined) pairs.push(['exchange', order.exchange]);
  if (order.currency !== undefined) pairs.push(['currency', order.currency]);
  if (order.lastTradeDateOrContractMonth !== undefined)
    pairs.push(['expiry', order.lastTradeDateOrContractMonth]);
  if (order.strike !== undefined) pairs.push(['strike', formatPrice(order.strike)]);
  if (order.right !== undefined) pairs.push(['right', order.right]);
  if (order.product !== undefined) pairs.push(['product', order.product]);
  if (order.statusMessage !== undefined) pairs.push(['message', order.statusMessage]);
  pairs.push(['created', formatTime(order.createdAt)], ['updated', formatTime(order.updatedAt)]);
  return renderDetails(pairs, colors);
}

/** The human view of a placement acknowledgement. */
export function renderPlacement(result: PlaceOrderResult, colors: Colors): string {
  return renderDetails(
    [
      ['order id', result.orderId],
      ['client order id', result.clientOrderId],
      ['status', formatStatus(result.status, colors)],
      ['created', formatTime(result.createdAt)],
    ],
    colors,
  );
}

/** One execution on one line: `fill BUY 10 AAPL @ 225.00 (exec E1)`. */
export function renderFill(fill: Fill, colors: Colors): string {
  const commission =
    fill.commission === undefined
      ? ''
      : `, commission ${formatMoney(fill.commission)} ${fill.commissionCurrency ?? ''}`;
  return `fill ${formatSide(fill.side, colors)} ${formatQuantity(fill.quantity)} ${fill.symbol} @ ${formatPrice(fill.price)} (execution ${fill.executionId}${commission.trimEnd()})`;
}

/** The human view of `getOrderMarginImpact()`. */
export function renderMarginImpact(impact: MarginImpact, colors: Colors): string {
  const pairs: [string, string][] = [
    ['currency', impact.currency],
    ['initial margin', formatMoney(impact.initialMargin)],
    ['maintenance margin', formatMoney(impact.maintenanceMargin)],
  ];
  if (impact.commission !== undefined) {
    pairs.push([
      'commission',
      `${formatMoney(impact.commission)} ${impact.commissionCurrency ?? ''}`.trimEnd(),
    ]);
  }
  for (const [part, value] of Object.entries(impact.breakdown ?? {})) pairs.push([part, formatMoney(value)]);
  let text = renderDetails(pairs, colors);
  const snapshots = (['before', 'change', 'after'] as const).filter((when) => impact[when] !== undefined);
  if (snapshots.length > 0) {
    const rows = snapshots.map((when) => {
      const snapshot = impact[when]!;
      return [
        when,
        formatMoney(snapshot.initialMargin),
        formatMoney(snapshot.maintenanceMargin),
        formatMoney(snapshot.equityWithLoan),
      ];
    });
    text += `\n\n${renderTable(
      [
        { header: 'ACCOUNT' },
        { header: 'INITIAL', align: 'right' },
        { header: 'MAINTENANCE', align: 'right' },
        { header: 'EQUITY WITH LOAN', align: 'right' },
      ],
      rows,
      colors,
    )}`;
  }
  for (const warning of impact.warnings) text += `\n${colors.yellow(`warning: ${warning}`)}`;
  return text;
}
