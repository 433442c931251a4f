import {
  type AccountBalance,
  type Fill,
  InsufficientFundsError,
  type MarginImpact,
  type OrderRecord,
  OrderRejectedError,
  type Position,
} from '@brokerkit/core';
import type {
  BalanceSnapshot,
  Execution,
  MarginImpactResult,
  PositionSnapshot,
  SimOrder,
} from '@brokerkit/exchange-sim';

const BROKER = 'mock';

/** The contract's order record of a simulator order. Orders placed without a client id use their order id. */
export function toOrderRecord(order: SimOrder): OrderRecord {
  const instrument = order.instrument;
  const record: OrderRecord = {
    orderId: order.orderId,
    clientOrderId: order.clientOrderId ?? order.orderId,
    symbol: instrument.symbol,
    side: order.side,
    orderType: order.orderType,
    tif: order.tif,
    status: order.status,
    filledQuantity: order.filledQuantity,
    secType: instrument.secType,
    exchange: instrument.exchange,
    currency: instrument.currency,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
  if (order.quantity !== undefined) {
    record.quantity = order.quantity;
    const working = order.status === 'SUBMITTED' || order.status === 'PARTIALLY_FILLED';
    record.remainingQuantity = working ? Math.max(0, order.quantity - order.filledQuantity) : 0;
  }
  if (order.cashQty !== undefined) record.cashQty = order.cashQty;
  if (order.filledQuantity > 0) record.averageFillPrice = order.averageFillPrice;
  if (order.limitPrice !== undefined) record.limitPrice = order.limitPrice;
  if (order.stopPrice !== undefined) record.stopPrice = order.stopPrice;
  if (instrument.lastTradeDateOrContractMonth !== undefined) {
    record.lastTradeDateOrContractMonth = instrument.lastTradeDateOrContractMonth;
  }
  if (instrument.strike !== undefined) record.strike = instrument.strike;
  if (instrument.right !== undefined) record.right = instrument.right;
  if (order.product !== undefined) record.product = order.product;
  if (order.statusMessage !== undefined) record.statusMessage = order.statusMessage;
  return record;
}

/** The contract's fill of a simulator execution. */
export function toFill(execution: Execution): Fill {
  return {
    orderId: execution.orderId,
    clientOrderId: execution.clientOrderId ?? execution.orderId,
    executionId: execution.executionId,
    symbol: execution.instrument.symbol,
    side: execution.side,
    quantity: execution.quantity,
    price: execution.price,
    commission: execution.commission,
    commissionCurrency: execution.commissionCurrency,
    time: execution.time,
  };
}

/** The contract's balance: margin used is the initial margin, margin available the available funds. */
export function toAccountBalance(balance: BalanceSnapshot): AccountBalance {
  return {
    currency: balance.currency,
    equity: balance.equity,
    cash: balance.cash,
    buyingPower: balance.buyingPower,
    marginUsed: balance.initialMargin,
    marginAvailable: balance.availableFunds,
    initialMargin: balance.initialMargin,
    maintenanceMargin: balance.maintenanceMargin,
    unrealizedPnl: balance.unrealizedPnl,
    realizedPnl: balance.realizedPnl,
    cashByCurrency: balance.cashByCurrency,
  };
}

/** The contract's position; contract details of derivatives are in `raw`. */
export function toPosition(position: PositionSnapshot): Position {
  const instrument = position.instrument;
  const result: Position = {
    symbol: instrument.symbol,
    secType: instrument.secType,
    exchange: instrument.exchange,
    currency: instrument.currency,
    quantity: position.quantity,
    averagePrice: position.averagePrice,
    marketPrice: position.marketPrice,
    marketValue: position.marketValue,
    unrealizedPnl: position.unrealizedPnl,
    realizedPnl: position.realizedPnl,
    raw: {
      conId: instrument.conId,
      localSymbol: instrument.localSymbol,
      multiplier: instrument.multiplier,
      ...(instrument.lastTradeDateOrContractMonth === undefined
        ? {}
        : { lastTradeDateOrContractMonth: instrument.lastTradeDateOrContractMonth }),
      ...(instrument.strike === undefined ? {} : { strike: instrument.strike, right: instrument.right }),
    },
  };
  if (position.product !== undefined) result.product = position.product;
  return result;
}

/** The contract's margin impact of the simulator's (same model as its pre-trade check). */
export function toMarginImpact(impact: MarginImpactResult): MarginImpact {
  return {
    currency: impact.currency,
    initialMargin: impact.initialMargin,
    maintenanceMargin: impact.maintenanceMargin,
    before: impact.before,
    change: impact.change,
    after: impact.after,
    commission: impact.commission,
    commissionCurrency: impact.commissionCurrency,
    warnings: impact.warnings,
  };
}

/** The error for an order the simulated venue rejected. */
export function rejectionError(order: SimOrder): Error {
  const rejection = order.rejection!;
  const common = {
    orderId: order.orderId,
    ...(order.clientOrderId === undefined ? {} : { clientOrderId: order.clientOrderId }),
    broker: BROKER,
    brokerCode: rejection.code,
  };
  if (rejection.code === 'INSUFFICIENT_FUNDS') {
    return new InsufficientFundsError({
      ...common,
      message: `mock: ${rejection.reason}`,
      hint: 'reduce the quantity, or give the mock a larger initialBalance',
      ...(rejection.required === undefined ? {} : { required: rejection.required }),
      ...(rejection.available === undefined ? {} : { available: rejection.available }),
    });
  }
  return new OrderRejectedError({
    ...common,
    message: `mock: order rejected: ${rejection.reason}`,
    reason: rejection.reason,
  });
}
