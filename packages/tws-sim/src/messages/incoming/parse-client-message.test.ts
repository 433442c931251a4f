import { describe, expect, test } from 'vitest';
import { encodeWithStoqey } from '../../test-support/stoqey-codec.js';
import { FieldFormatError, FieldReader, MessageUnderrunError } from '../../wire/fields.js';
import { parseClientMessage, UnknownMessageError } from './parse-client-message.js';
import { parsePlaceOrder } from './place-order.js';

const fieldsOf = (payload: string) => payload.split('\0').slice(0, -1);

describe('client messages from the byte examples (protocol doc 2.6)', () => {
  test('START_API carries the client id', () => {
    expect(parseClientMessage(fieldsOf('71\x002\x007\x00\x00'))).toEqual({
      type: 'START_API',
      clientId: 7,
      optionalCapabilities: '',
    });
  });

  test('CANCEL_ORDER and REQ_GLOBAL_CANCEL', () => {
    expect(parseClientMessage(fieldsOf('4\x001000\x00\x00\x002147483647\x00'))).toEqual({
      type: 'CANCEL_ORDER',
      orderId: 1000,
      manualOrderCancelTime: '',
    });
    expect(parseClientMessage(fieldsOf('58\x00\x002147483647\x00'))).toEqual({ type: 'REQ_GLOBAL_CANCEL' });
  });

  test('the three open-order requests', () => {
    expect(parseClientMessage(fieldsOf('5\x001\x00'))).toEqual({ type: 'REQ_OPEN_ORDERS' });
    expect(parseClientMessage(fieldsOf('16\x001\x00'))).toEqual({ type: 'REQ_ALL_OPEN_ORDERS' });
    expect(parseClientMessage(fieldsOf('15\x001\x001\x00'))).toEqual({
      type: 'REQ_AUTO_OPEN_ORDERS',
      autoBind: true,
    });
  });

  test('positions, account summary and account updates', () => {
    expect(parseClientMessage(fieldsOf('61\x001\x00'))).toEqual({ type: 'REQ_POSITIONS' });
    expect(parseClientMessage(fieldsOf('64\x001\x00'))).toEqual({ type: 'CANCEL_POSITIONS' });
    expect(parseClientMessage(fieldsOf('62\x001\x0077\x00All\x00NetLiquidation,BuyingPower\x00'))).toEqual({
      type: 'REQ_ACCOUNT_SUMMARY',
      reqId: 77,
      group: 'All',
      tags: ['NetLiquidation', 'BuyingPower'],
    });
    expect(parseClientMessage(fieldsOf('6\x002\x000\x00DU111111\x00'))).toEqual({
      type: 'REQ_ACCOUNT_DATA',
      subscribe: false,
      accountCode: 'DU111111',
    });
  });

  test('REQ_CONTRACT_DATA for GC FUT COMEX 202512', () => {
    const message = parseClientMessage(
      fieldsOf(
        '9\x008\x0090\x00\x00GC\x00FUT\x00202512\x00\x00\x00\x00COMEX\x00\x00USD\x00\x00\x00\x00\x00\x00\x00',
      ),
    );
    expect(message).toMatchObject({
      type: 'REQ_CONTRACT_DATA',
      reqId: 90,
      contract: { conId: undefined, symbol: 'GC', secType: 'FUT', lastTradeDateOrContractMonth: '202512' },
      includeExpired: false,
    });
    if (message.type === 'REQ_CONTRACT_DATA') expect(message.contract.exchange).toBe('COMEX');
  });

  test('REQ_EXECUTIONS with a full and an empty filter', () => {
    expect(
      parseClientMessage(
        fieldsOf('7\x003\x0091\x007\x00DU111111\x0020250101-00:00:00\x00AAPL\x00STK\x00SMART\x00BUY\x00'),
      ),
    ).toEqual({
      type: 'REQ_EXECUTIONS',
      reqId: 91,
      filter: {
        clientId: 7,
        accountCode: 'DU111111',
        time: '20250101-00:00:00',
        symbol: 'AAPL',
        secType: 'STK',
        exchange: 'SMART',
        side: 'BUY',
      },
    });
    expect(parseClientMessage(fieldsOf('7\x003\x0092\x00\x00\x00\x00\x00\x00\x00\x00'))).toMatchObject({
      reqId: 92,
      filter: { clientId: undefined, symbol: '' },
    });
  });

  test('REQ_MKT_DATA for AAPL without generic ticks', () => {
    const payload =
      '1\x0011\x0093\x00\x00AAPL\x00STK\x00\x00\x00\x00\x00SMART\x00\x00USD\x00\x00\x00' +
      '0\x00\x000\x000\x00\x00';
    expect(parseClientMessage(fieldsOf(payload))).toMatchObject({
      type: 'REQ_MKT_DATA',
      reqId: 93,
      contract: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' },
      genericTickList: '',
      snapshot: false,
    });
  });

  test('REQ_CURRENT_TIME, REQ_MANAGED_ACCTS, SET_SERVER_LOGLEVEL', () => {
    expect(parseClientMessage(['49', '1'])).toEqual({ type: 'REQ_CURRENT_TIME' });
    expect(parseClientMessage(['17', '1'])).toEqual({ type: 'REQ_MANAGED_ACCTS' });
    expect(parseClientMessage(['14', '1', '5'])).toEqual({ type: 'SET_SERVER_LOGLEVEL', level: 5 });
  });

  test('unknown ids, malformed numbers and short messages are told apart', () => {
    expect(() => parseClientMessage(['999', '1'])).toThrow(UnknownMessageError);
    expect(() => parseClientMessage(['x'])).toThrow(FieldFormatError);
    expect(() => parseClientMessage(['62', '1', 'abc', 'All', ''])).toThrow(FieldFormatError);
    expect(() => parseClientMessage(['62', '1'])).toThrow(MessageUnderrunError);
  });
});

describe('PLACE_ORDER as the real @stoqey/ib encoder writes it', () => {
  const stock = { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' };
  const place = (id: number, contract: object, order: object) => {
    const fields = encodeWithStoqey((encoder) => encoder.placeOrder(id, contract as never, order as never));
    const reader = new FieldReader(fields, 1);
    const message = parsePlaceOrder(reader);
    // The parser must consume every field: anything left over means a misread layout.
    expect(reader.remaining).toBe(0);
    return { fields, message };
  };

  test('a plain LMT order has 118 tokens and every field lands where the doc maps it', () => {
    const { fields, message } = place(1, stock, {
      action: 'BUY',
      totalQuantity: 100,
      orderType: 'LMT',
      lmtPrice: 150.5,
      tif: 'DAY',
      transmit: true,
    });
    expect(fields).toHaveLength(118);
    expect(message).toMatchObject({
      orderId: 1,
      contract: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' },
      order: {
        action: 'BUY',
        totalQuantity: 100,
        orderType: 'LMT',
        lmtPrice: 150.5,
        tif: 'DAY',
        transmit: true,
      },
    });
    expect(message.order.whatIf).toBeUndefined();
    expect(message.order.parentId).toBeUndefined();
    // The doc's probe: non-empty tokens of a plain LMT order, by index.
    const nonEmpty = Object.fromEntries(
      fields.flatMap((field, index) => (field === '' ? [] : [[index, field]])),
    );
    expect(nonEmpty).toEqual({
      0: '3',
      1: '1',
      3: 'AAPL',
      4: 'STK',
      9: 'SMART',
      11: 'USD',
      16: 'BUY',
      17: '100',
      18: 'LMT',
      19: '150.5',
      21: 'DAY',
      27: '1',
      81: '0',
      89: '0',
    });
  });

  test('an unset transmit stays unset (TWS then never transmits)', () => {
    const { message } = place(2, stock, { action: 'BUY', totalQuantity: 1, orderType: 'MKT' });
    expect(message.order.transmit).toBeUndefined();
  });

  test('whatIf, bracket child and crypto cash quantity', () => {
    expect(
      place(3, stock, { action: 'BUY', totalQuantity: 1, orderType: 'MKT', whatIf: true, transmit: true })
        .message.order.whatIf,
    ).toBe(true);
    const child = place(5, stock, {
      action: 'SELL',
      totalQuantity: 100,
      orderType: 'STP',
      auxPrice: 140,
      ocaGroup: 'g1',
      ocaType: 1,
      parentId: 4,
      transmit: true,
    }).message.order;
    expect(child).toMatchObject({ auxPrice: 140, ocaGroup: 'g1', ocaType: 1, parentId: 4, transmit: true });
    const crypto = place(
      6,
      { symbol: 'BTC', secType: 'CRYPTO', exchange: 'PAXOS', currency: 'USD' },
      {
        action: 'BUY',
        orderType: 'MKT',
        tif: 'IOC',
        cashQty: 500,
        transmit: true,
      },
    ).message.order;
    expect(crypto.totalQuantity).toBeUndefined();
    expect(crypto.cashQty).toBe(500);
  });

  test('every conditional block is followed: algo, hedge, delta neutral, scale, conditions', () => {
    const { message } = place(7, stock, {
      action: 'BUY',
      totalQuantity: 10,
      orderType: 'LMT',
      lmtPrice: 10,
      algoStrategy: 'Adaptive',
      algoParams: [{ tag: 'adaptivePriority', value: 'Normal' }],
      hedgeType: 'D',
      hedgeParam: '0.5',
      deltaNeutralOrderType: 'MKT',
      scalePriceIncrement: 0.05,
      conditions: [
        {
          type: 1,
          conjunctionConnection: 'a',
          isMore: true,
          strValue: '100',
          conId: 265598,
          exchange: 'SMART',
          triggerMethod: 0,
        },
        { type: 3, conjunctionConnection: 'o', isMore: false, strValue: '20250101 10:00:00' },
      ],
      conditionsIgnoreRth: true,
      transmit: true,
      orderRef: 'strategy-1',
    });
    expect(message.order).toMatchObject({
      algoStrategy: 'Adaptive',
      algoParams: [{ tag: 'adaptivePriority', value: 'Normal' }],
      hedgeType: 'D',
      hedgeParam: '0.5',
      deltaNeutralOrderType: 'MKT',
      conditionsCount: 2,
      orderRef: 'strategy-1',
      transmit: true,
    });
  });

  test('PEG BEST up to mid, IBKRATS and a BAG with legs', () => {
    expect(
      place(
        8,
        { ...stock, exchange: 'IBKRATS' },
        {
          action: 'BUY',
          totalQuantity: 10,
          orderType: 'PEG BEST',
          minTradeQty: 5,
          minCompeteSize: 100,
          competeAgainstBestOffset: Number.POSITIVE_INFINITY,
          midOffsetAtWhole: 0.01,
          midOffsetAtHalf: 0.005,
          transmit: true,
        },
      ).message.order,
    ).toMatchObject({ minTradeQty: 5, minCompeteSize: 100, midOffsetAtWhole: 0.01, midOffsetAtHalf: 0.005 });
    const bag = place(
      9,
      {
        symbol: 'WTI',
        secType: 'BAG',
        exchange: 'SMART',
        currency: 'USD',
        comboLegs: [
          { conId: 1, ratio: 1, action: 'BUY', exchange: 'IPE' },
          { conId: 2, ratio: 1, action: 'SELL', exchange: 'IPE' },
        ],
      },
      {
        action: 'SELL',
        totalQuantity: 150,
        orderType: 'MKT',
        smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }],
        transmit: true,
      },
    ).message;
    expect(bag.comboLegs.map((leg) => leg.conId)).toEqual([1, 2]);
  });
});
