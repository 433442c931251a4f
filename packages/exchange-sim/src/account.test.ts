import { describe, expect, test } from 'vitest';
import { Account } from './account.js';
import { createInstrument } from './instrument.js';

const stock = createInstrument({
  symbol: 'AAPL',
  secType: 'STK',
  exchange: 'SMART',
  currency: 'USD',
  tickSize: 0.01,
  price: 100,
});
const future = createInstrument({
  symbol: 'ES',
  localSymbol: 'ESZ4',
  secType: 'FUT',
  exchange: 'CME',
  currency: 'USD',
  tickSize: 0.25,
  price: 6000,
  multiplier: 50,
  contractMonth: '202412',
});
const coin = createInstrument({
  symbol: 'BTC',
  secType: 'CRYPTO',
  exchange: 'PAXOS',
  currency: 'USD',
  tickSize: 0.01,
  lotSize: 1e-8,
  price: 1,
});

describe('Account', () => {
  test('buys average in, sells realise P&L against the average, cash moves by value and commission', () => {
    const account = new Account({ id: 'A', cash: 100_000 });
    account.applyFill(stock, undefined, 'BUY', 100, 100, 1);
    account.applyFill(stock, undefined, 'BUY', 100, 110, 1);
    expect(account.position(stock, undefined)).toMatchObject({ quantity: 200, averagePrice: 105 });
    const realized = account.applyFill(stock, undefined, 'SELL', 50, 120, 1);
    expect(realized).toBe(750);
    expect(account.position(stock, undefined)).toMatchObject({
      quantity: 150,
      averagePrice: 105,
      realizedPnl: 750,
    });
    expect(account.cash.get('USD')).toBe(100_000 - 10_000 - 11_000 + 6_000 - 3);
    expect(account.commissions.get('USD')).toBe(3);
    expect(account.realizedPnl.get('USD')).toBe(750);
  });

  test('a sale through zero flips the position at the fill price; flat positions disappear', () => {
    const account = new Account({ id: 'A', cash: 0 });
    account.applyFill(stock, undefined, 'BUY', 10, 100, 0);
    expect(account.applyFill(stock, undefined, 'SELL', 30, 90, 0)).toBe(-100);
    expect(account.position(stock, undefined)).toMatchObject({ quantity: -20, averagePrice: 90 });
    account.applyFill(stock, undefined, 'BUY', 20, 80, 0);
    expect(account.position(stock, undefined)).toBeUndefined();
    expect(account.realizedPnl.get('USD')).toBe(-100 + 200);
  });

  test('futures exchange no cash at the fill; realised P&L (times the multiplier) is paid in', () => {
    const account = new Account({ id: 'A', cash: 50_000 });
    account.applyFill(future, undefined, 'BUY', 2, 6000, 1.7);
    expect(account.cash.get('USD')).toBeCloseTo(50_000 - 1.7, 9);
    account.applyFill(future, undefined, 'SELL', 2, 6010, 1.7);
    expect(account.cash.get('USD')).toBeCloseTo(50_000 - 3.4 + 2 * 10 * 50, 9);
  });

  test('fractional quantities keep no binary noise', () => {
    const account = new Account({ id: 'A', cash: 0 });
    account.applyFill(coin, undefined, 'BUY', 0.1, 1, 0);
    account.applyFill(coin, undefined, 'BUY', 0.2, 1, 0);
    expect(account.quantityOf(coin, undefined)).toBe(0.3);
    account.applyFill(coin, undefined, 'SELL', 0.3, 1, 0);
    expect(account.position(coin, undefined)).toBeUndefined();
  });

  test('positions are kept per product', () => {
    const account = new Account({ id: 'A', currency: 'INR', cash: 0 });
    account.applyFill(stock, 'CNC', 'BUY', 5, 100, 0);
    account.applyFill(stock, 'MIS', 'SELL', 3, 100, 0);
    expect(account.quantityOf(stock, 'CNC')).toBe(5);
    expect(account.quantityOf(stock, 'MIS')).toBe(-3);
  });

  test('validates its options', () => {
    expect(() => new Account({ id: '' })).toThrow(RangeError);
    expect(() => new Account({ id: 'A', currency: 'usd' })).toThrow(RangeError);
    expect(new Account({ id: 'A', cash: { USD: 5, EUR: 7 } }).cash.get('EUR')).toBe(7);
  });
});
