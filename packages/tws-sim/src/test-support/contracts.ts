/**
 * Test support: contracts and orders as `@stoqey/ib` users write them. Not part of the published API.
 */
import { type Contract, type Order, OrderAction, OrderType, SecType, TimeInForce } from '@stoqey/ib';

export const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
export const SPY: Contract = { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
export const EUR_USD: Contract = {
  symbol: 'EUR',
  secType: SecType.CASH,
  exchange: 'IDEALPRO',
  currency: 'USD',
};
export const BTC: Contract = { symbol: 'BTC', secType: SecType.CRYPTO, exchange: 'PAXOS', currency: 'USD' };
export const GC_DEC_2024: Contract = {
  symbol: 'GC',
  secType: SecType.FUT,
  exchange: 'COMEX',
  currency: 'USD',
  lastTradeDateOrContractMonth: '202412',
};
export const SPY_450_CALL: Contract = {
  symbol: 'SPY',
  secType: SecType.OPT,
  exchange: 'SMART',
  currency: 'USD',
  lastTradeDateOrContractMonth: '20241220',
  strike: 450,
  right: 'C' as Contract['right'],
  multiplier: 100,
};

/** A market order with transmit set, as adapters must send it. */
export function marketOrder(action: 'BUY' | 'SELL', quantity: number, extra: Partial<Order> = {}): Order {
  return {
    action: action === 'BUY' ? OrderAction.BUY : OrderAction.SELL,
    totalQuantity: quantity,
    orderType: OrderType.MKT,
    tif: TimeInForce.DAY,
    transmit: true,
    ...extra,
  };
}

/** A limit order with transmit set. */
export function limitOrder(
  action: 'BUY' | 'SELL',
  quantity: number,
  price: number,
  extra: Partial<Order> = {},
): Order {
  return { ...marketOrder(action, quantity), orderType: OrderType.LMT, lmtPrice: price, ...extra };
}

/** A stop order with transmit set. */
export function stopOrder(
  action: 'BUY' | 'SELL',
  quantity: number,
  stop: number,
  extra: Partial<Order> = {},
): Order {
  return { ...marketOrder(action, quantity), orderType: OrderType.STP, auxPrice: stop, ...extra };
}
