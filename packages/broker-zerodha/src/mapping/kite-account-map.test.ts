import { accountBalanceSchema, marginImpactSchema, positionSchema } from '@brokerkit/core';
import { describe, expect, test } from 'vitest';
import { holdingsToPositions, toAccountBalance, toMarginImpact, toPositions } from './kite-account-map.js';

const segment = (net: number, cash: number, debits: number, realised = 0, unrealised = 0) => ({
  enabled: true,
  net,
  available: {
    adhoc_margin: 0,
    cash,
    opening_balance: cash,
    live_balance: net,
    collateral: 0,
    intraday_payin: 0,
  },
  utilised: {
    debits,
    exposure: 0,
    m2m_realised: realised,
    m2m_unrealised: unrealised,
    option_premium: 0,
    payout: 0,
    span: 0,
    holding_sales: 0,
    turnover: 0,
    liquid_collateral: 0,
    stock_collateral: 0,
    delivery: 0,
  },
});

describe('account mapping', () => {
  test('margins add both segments up (margins.json figures)', () => {
    const balance = toAccountBalance({
      equity: segment(99725.05, 245431.6, 145706.55, 100, -50),
      commodity: segment(1000, 1000, 0),
    });
    expect(accountBalanceSchema.safeParse(balance).success).toBe(true);
    expect(balance).toMatchObject({
      currency: 'INR',
      cash: 246431.6,
      marginAvailable: 100725.05,
      buyingPower: 100725.05,
      marginUsed: 145706.55,
      equity: 246431.6 + 50,
      realizedPnl: 100,
      unrealizedPnl: -50,
    });
  });

  test('net positions with a quantity become positions; flat ones are left out', () => {
    const positions = toPositions(
      {
        net: [
          {
            tradingsymbol: 'GOLDGUINEA17DECFUT',
            exchange: 'MCX',
            product: 'NRML',
            quantity: -1,
            multiplier: 1,
            average_price: 29600,
            last_price: 29580,
            unrealised: 20,
            realised: 0,
          },
          {
            tradingsymbol: 'INFY',
            exchange: 'NSE',
            product: 'CNC',
            quantity: 0,
            multiplier: 1,
            average_price: 0,
            last_price: 1800,
          },
        ],
        day: [],
      },
      () => undefined,
    );
    expect(positions).toHaveLength(1);
    expect(positionSchema.safeParse(positions[0]).success).toBe(true);
    expect(positions[0]).toMatchObject({
      symbol: 'GOLDGUINEA17DECFUT',
      secType: 'FUT',
      quantity: -1,
      averagePrice: 29600,
      marketValue: -29580,
      product: 'NRML',
    });
    const held = holdingsToPositions([
      {
        tradingsymbol: 'INFY',
        exchange: 'NSE',
        quantity: 5,
        t1_quantity: 2,
        average_price: 1500,
        last_price: 1800,
        pnl: 2100,
      },
    ]);
    expect(held[0]).toMatchObject({ symbol: 'INFY', quantity: 7, product: 'CNC', unrealizedPnl: 2100 });
  });

  test('order margins (full mode) give the total as initial margin and SPAN as maintenance', () => {
    const impact = toMarginImpact([
      {
        type: 'equity',
        tradingsymbol: 'NIFTY26JANFUT',
        exchange: 'NFO',
        span: 100000,
        exposure: 30000,
        option_premium: 0,
        additional: 0,
        bo: 0,
        cash: 0,
        var: 0,
        total: 130000,
        charges: { total: 42.5, brokerage: 20, transaction_tax: 5, gst: { total: 4.5 } },
      },
    ]);
    expect(marginImpactSchema.safeParse(impact).success).toBe(true);
    expect(impact).toMatchObject({
      initialMargin: 130000,
      maintenanceMargin: 100000,
      commission: 42.5,
      currency: 'INR',
    });
    expect(impact.breakdown).toMatchObject({ span: 100000, exposure: 30000, charges: 42.5, gst: 4.5 });
    expect(toMarginImpact([{ total: 1800, span: 0, charges: {} }]).maintenanceMargin).toBe(1800);
  });

  test('an unexpected shape is a BrokerAPIError, not a silent zero', () => {
    expect(() => toAccountBalance({})).toThrow(/unexpected shape/);
    expect(() => toPositions({}, () => undefined)).toThrow(/unexpected shape/);
    expect(() => toMarginImpact([])).toThrow(/unexpected shape/);
  });
});
