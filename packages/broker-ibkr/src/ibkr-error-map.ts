import {
  BrokerAPIError,
  BrokerConnectionError,
  type BrokerError,
  InsufficientFundsError,
  InvalidOrderError,
  InvalidSymbolError,
  OrderNotFoundError,
  OrderRejectedError,
  RateLimitError,
} from '@brokerkit/core';

/** What an IB error code means to this plugin. */
export type IbErrorKind =
  /** The order was refused; `InsufficientFundsError` when the reason is margin or funds. */
  | 'rejected'
  /** The order failed validation at TWS (price increment, TIF, modify mismatch): InvalidOrderError. */
  | 'invalid-order'
  /** No such contract, or an ambiguous one: InvalidSymbolError. */
  | 'invalid-symbol'
  /** IB's message rate was exceeded: RateLimitError. */
  | 'rate-limited'
  /** Cancel of an order TWS does not know: OrderNotFoundError. */
  | 'order-not-found'
  /** Cancel of an order that is already final: `cancelOrder` resolves false. */
  | 'not-cancellable'
  /** The cancel was carried out. */
  | 'cancel-confirmed'
  /** TWS lost its connection to IB, or the socket is being dropped. */
  | 'connection-lost'
  /** TWS's connection to IB is back. */
  | 'connection-restored'
  /** The client id is used by another connection. */
  | 'client-id-in-use'
  /** A warning attached to an order or request (399 order message, 0 rate warning); never an error. */
  | 'warning'
  /** Status notices (data farm OK, ...); never surfaced. */
  | 'informational'
  /** Anything else TWS or the client library reports: BrokerAPIError. */
  | 'api';

/** One row of the error table. */
export interface IbErrorMapping {
  kind: IbErrorKind;
  /** Where the meaning comes from. */
  source: string;
}

const doc = (section: string, text: string) => `ibkr-tws-protocol.md ${section}: ${text}`;

/** IB error code -> meaning. Codes not listed: 2100-2999 are notices, everything else `api`. */
export const IBKR_ERROR_MAP: Readonly<Record<number, IbErrorMapping>> = Object.freeze({
  0: { kind: 'warning', source: doc('4.2', 'Warning: Approaching max rate of 50 messages per second') },
  100: {
    kind: 'rate-limited',
    source: doc('4.2', 'Max rate of messages per second has been exceeded; TWS may disconnect'),
  },
  103: { kind: 'rejected', source: doc('4.2', 'Duplicate order id') },
  104: { kind: 'invalid-order', source: doc('4.2', 'Cannot modify a filled order') },
  105: { kind: 'invalid-order', source: doc('4.2', 'Order being modified does not match original order') },
  110: {
    kind: 'invalid-order',
    source: doc('4.2', 'The price does not conform to the minimum price variation for this contract'),
  },
  111: { kind: 'invalid-order', source: doc('4.2', 'TIF and order type are incompatible') },
  113: {
    kind: 'invalid-order',
    source: doc('4.2', 'The Tif option should be set to DAY for MOC and LOC orders'),
  },
  161: {
    kind: 'not-cancellable',
    source: doc('3 and 4.2', 'Cancel attempted when order is not in a cancellable state'),
  },
  200: {
    kind: 'invalid-symbol',
    source: doc('2.5 and 4.2', 'No security definition has been found for the request / ambiguous contract'),
  },
  201: {
    kind: 'rejected',
    source: doc('3 and 4.2', 'Order rejected - reason:<text> (margin reasons are InsufficientFundsError)'),
  },
  202: {
    kind: 'cancel-confirmed',
    source: doc('3 and 4.2', 'Order Canceled - reason: (after ORDER_STATUS Cancelled)'),
  },
  203: {
    kind: 'rejected',
    source: 'IB code table: the security is not available or allowed for this account',
  },
  320: { kind: 'invalid-order', source: doc('4.2', 'Error reading request (malformed request)') },
  321: {
    kind: 'invalid-order',
    source: doc('3 and 4.2', 'Error validating request (e.g. invalid order type)'),
  },
  322: {
    kind: 'api',
    source: doc('4.2', 'Error processing request (e.g. too many account summary requests)'),
  },
  326: {
    kind: 'client-id-in-use',
    source: doc('1.4 and 5', 'Unable to connect as the client id is already in use'),
  },
  354: { kind: 'informational', source: doc('4.2', 'market data not subscribed') },
  399: { kind: 'warning', source: doc('3 and 4.2', 'Order Message: ... Warning: ... (informational)') },
  404: {
    kind: 'warning',
    source: doc('4.2', 'Shares for this order are not immediately available for short sale (held)'),
  },
  413: {
    kind: 'invalid-order',
    source: doc('2.2 and 4.2', 'What-if order should have the transmit flag set to true'),
  },
  434: { kind: 'invalid-order', source: 'IB code table: the order size cannot be zero' },
  502: {
    kind: 'connection-lost',
    source: doc('4.2', "client library: Couldn't connect to TWS (socket error)"),
  },
  504: { kind: 'connection-lost', source: doc('4.2', 'client library: Not connected') },
  1100: {
    kind: 'connection-lost',
    source: doc('4.2', 'Connectivity between IB and Trader Workstation has been lost'),
  },
  1101: {
    kind: 'connection-restored',
    source: doc('4.2', 'Connectivity between IB and TWS has been restored - data lost'),
  },
  1102: {
    kind: 'connection-restored',
    source: doc('4.2', 'Connectivity between IB and TWS has been restored - data maintained'),
  },
  1300: { kind: 'connection-lost', source: doc('4.2', 'TWS socket port has been reset; reconnect') },
  2104: { kind: 'informational', source: doc('1.4 and 4.2', 'Market data farm connection is OK') },
  2106: { kind: 'informational', source: doc('1.4 and 4.2', 'HMDS data farm connection is OK') },
  2110: {
    kind: 'connection-lost',
    source: doc('4.2', 'Connectivity between TWS and server is broken. It will be restored automatically'),
  },
  2158: { kind: 'informational', source: doc('1.4 and 4.2', 'Sec-def data farm connection is OK') },
  10006: { kind: 'rejected', source: doc('4.2', 'Missing parent order') },
  10089: { kind: 'informational', source: doc('4.2', 'market data requires additional subscription') },
  10090: { kind: 'informational', source: doc('4.2', 'part of requested market data is not subscribed') },
  10147: {
    kind: 'order-not-found',
    source: doc('3 and 4.2', 'OrderId N that needs to be cancelled is not found'),
  },
  10148: {
    kind: 'not-cancellable',
    source: doc('3 and 4.2', 'OrderId N that needs to be cancelled cannot be cancelled, state: <State>'),
  },
  10167: { kind: 'informational', source: doc('4.2', 'displaying delayed market data') },
});

/** The meaning of an IB code (see `IBKR_ERROR_MAP`). */
export function classifyIbCode(code: number): IbErrorMapping {
  const row = IBKR_ERROR_MAP[code];
  if (row !== undefined) return row;
  if (code >= 2100 && code <= 2999) {
    return { kind: 'informational', source: doc('4.1', 'codes 2100-2999 are notices (non-fatal)') };
  }
  return { kind: 'api', source: 'not in the table: reported as BrokerAPIError' };
}

/** Reject texts that mean "not enough money", as TWS words them in 201 rejects. */
const FUNDS_PATTERN =
  /(margin|equity with loan|buying power|insufficient|available funds|not enough (cash|funds)|cash available)/i;

/** True when a reject reason is about funds or margin. */
export function isFundsReason(message: string): boolean {
  return FUNDS_PATTERN.test(message);
}

/** The reason part of "Order rejected - reason:<text>". */
export function rejectReason(message: string): string {
  const match = /reason:\s*(.*)$/is.exec(message);
  const reason = (match?.[1] ?? message).trim();
  return reason.length > 0 ? reason : message.trim();
}

/** What the caller knows when turning an IB error into a brokerkit error. */
export interface IbErrorContext {
  broker: string;
  /** The operation under way (`placeOrder`, `cancelOrder`, `getContractDetails`, ...). */
  operation: string;
  orderId?: string;
  clientOrderId?: string;
  symbol?: string;
}

/**
 * Turns an IB error code and text into the brokerkit error a caller should see. Kinds that are not
 * failures (warnings, notices, cancel confirmations) come back as BrokerAPIError too; callers
 * classify first and only call this for failures.
 */
export function toBrokerError(code: number, message: string, context: IbErrorContext): BrokerError {
  const { kind } = classifyIbCode(code);
  const common = { brokerCode: code, broker: context.broker, raw: { code, message } };
  switch (kind) {
    case 'rejected': {
      const reason = rejectReason(message);
      if (code === 201 && isFundsReason(reason)) {
        return new InsufficientFundsError({
          ...common,
          message: `${context.broker}: order ${context.clientOrderId ?? context.orderId ?? ''} rejected for insufficient funds: ${reason}`,
          hint: 'reduce the quantity or add funds; getOrderMarginImpact() shows what the order needs',
          orderId: context.orderId,
          clientOrderId: context.clientOrderId,
        });
      }
      return new OrderRejectedError({
        ...common,
        message: `${context.broker}: order ${context.clientOrderId ?? context.orderId ?? ''} rejected (IB ${code}): ${reason}`,
        reason,
        orderId: context.orderId,
        clientOrderId: context.clientOrderId,
        ...(code === 103
          ? {
              hint: 'TWS says the order id was used before; the plugin re-reads the next valid id, so place the order again with a new clientOrderId',
            }
          : {}),
      });
    }
    case 'invalid-order':
      return new InvalidOrderError({
        ...common,
        message: `${context.broker}: TWS refused the order as invalid (IB ${code}): ${message}`,
        issues: [{ path: issuePath(code), message }],
      });
    case 'invalid-symbol': {
      const symbol = context.symbol ?? '';
      return new InvalidSymbolError({
        ...common,
        message: `${context.broker}: unknown contract ${symbol} (IB ${code}): ${message}`,
        hint: 'check symbol, secType, exchange, currency and, for futures and options, expiry, strike and right',
        symbol,
      });
    }
    case 'rate-limited':
      return new RateLimitError({
        ...common,
        message: `${context.broker}: IB message rate exceeded (IB ${code}): ${message}`,
        hint: 'IB allows 50 messages per second per client; lower maxMessagesPerSecond',
        retryAfterMs: 1000,
      });
    case 'order-not-found':
      return new OrderNotFoundError({
        ...common,
        message: `${context.broker}: TWS does not know order ${context.orderId ?? ''} (IB ${code}): ${message}`,
        orderId: context.orderId ?? '',
      });
    case 'connection-lost':
      return new BrokerConnectionError({
        ...common,
        message: `${context.broker}: ${context.operation} failed, connection to TWS lost (IB ${code}): ${message}`,
      });
    default:
      return new BrokerAPIError({
        ...common,
        message: `${context.broker}: ${context.operation} failed (IB ${code}): ${message}`,
      });
  }
}

function issuePath(code: number): string {
  switch (code) {
    case 111:
    case 113:
      return 'tif';
    case 434:
      return 'quantity';
    case 104:
    case 105:
      return 'orderId';
    default:
      return '';
  }
}
