import type { OrderSide, OrderStatus, OrderType, Product, TimeInForce } from '@brokerkit/core';
import type { Instrument } from './instrument.js';
import type { InstrumentQuery } from './instrument-registry.js';

/**
 * An order as a venue receives it: the instrument fields of `InstrumentQuery` plus the order
 * terms. Core's `NormalizedOrderRequest` fits as is; wire simulators build it from their protocol.
 */
export interface OrderInput extends InstrumentQuery {
  side: OrderSide;
  orderType: OrderType;
  /** Units (shares, contracts, base currency, coins). Exactly one of `quantity` and `cashQty`. */
  quantity?: number | undefined;
  /** Amount of the instrument's currency to spend (crypto BUY). */
  cashQty?: number | undefined;
  limitPrice?: number | undefined;
  stopPrice?: number | undefined;
  /** Default DAY. */
  tif?: TimeInForce | string | undefined;
  /** Zerodha product; default the instrument's first product (CNC on NSE, NRML on NFO). */
  product?: Product | undefined;
  /** The client's id (IB orderRef, Kite tag, brokerkit clientOrderId). */
  clientOrderId?: string | undefined;
  /** An order id chosen by the client (IB assigns its own ids); generated when absent. */
  orderId?: string | undefined;
}

/** Why a venue refused an order or a change (the order still gets an id and ends REJECTED). */
export type RejectionCode =
  /** Buying power or margin does not cover the order. `required` and `available` say by how much. */
  | 'INSUFFICIENT_FUNDS'
  /** A sell of more than is held where shorting is not possible (delivery CNC, crypto). */
  | 'INSUFFICIENT_HOLDINGS'
  /** Refused by the venue: injected with `faults.rejectNextOrder()` or the random rejection rate. */
  | 'VENUE_REJECTED';

/** A venue's refusal of an order or of a modification. */
export interface Rejection {
  code: RejectionCode;
  /** Text for the user, like a venue's reject message. */
  reason: string;
  /** Margin plus commission the order needs, in the account's currency (INSUFFICIENT_FUNDS). */
  required?: number;
  /** What the account had available, in the account's currency (INSUFFICIENT_FUNDS). */
  available?: number;
  currency?: string;
}

/**
 * An order at the venue. Listeners receive the live object: read what you need during the
 * callback and copy it if you keep it, because the simulator updates it in place.
 */
export interface SimOrder {
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly accountId: string;
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly tif: TimeInForce;
  /** Ordered units; `undefined` for a cash-quantity market order until it trades. */
  readonly quantity: number | undefined;
  readonly cashQty: number | undefined;
  readonly limitPrice: number | undefined;
  readonly stopPrice: number | undefined;
  readonly product: Product | undefined;
  readonly status: OrderStatus;
  readonly filledQuantity: number;
  /** Volume-weighted average fill price; 0 until the first fill. */
  readonly averageFillPrice: number;
  /** Commission charged so far, in the instrument's currency. */
  readonly commission: number;
  /** A STOP / STOP_LIMIT whose stop price has been reached. */
  readonly triggered: boolean;
  /** A cancel was requested and takes effect after the cancel latency. */
  readonly cancelPending: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Reject or cancel reason, expiry notice. */
  readonly statusMessage: string | undefined;
  readonly rejection: Rejection | undefined;
  /** Number of executions so far. */
  readonly executionCount: number;
}

/** One execution (fill) of an order. */
export interface Execution {
  /** `<orderId>.<n>`: deterministic and unique. */
  readonly executionId: string;
  /** Increases by one per execution across the simulator, for "executions since" queries. */
  readonly sequence: number;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly accountId: string;
  readonly instrument: Instrument;
  readonly side: OrderSide;
  readonly quantity: number;
  readonly price: number;
  readonly time: number;
  /** Commission of this execution, in `commissionCurrency` (the instrument's currency). */
  readonly commission: number;
  readonly commissionCurrency: string;
  /** P&L this execution realised by closing a position, in the instrument's currency. */
  readonly realizedPnl: number;
  /** The order's filled quantity and average price after this execution. */
  readonly cumulativeQuantity: number;
  readonly averagePrice: number;
  readonly product: Product | undefined;
  /** `added`: a resting order was hit; `removed`: the order took liquidity on arrival. */
  readonly liquidity: 'added' | 'removed';
}

/** The mutable order the simulator works with. Internal: outside code sees `SimOrder`. */
export class WorkingOrder implements SimOrder {
  status: OrderStatus = 'SUBMITTED';
  filledQuantity = 0;
  averageFillPrice = 0;
  commission = 0;
  triggered = false;
  cancelPending = false;
  statusMessage: string | undefined = undefined;
  rejection: Rejection | undefined = undefined;
  executionCount = 0;
  updatedAt: number;
  /** Reached the matching engine (after the fill delay). */
  live = false;
  /** Was not marketable when last evaluated: a fill now is passive, at the limit price. */
  resting = false;
  /** Initial / maintenance margin held for the unfilled part, in the account's currency. */
  reservedInitial = 0;
  reservedMaintenance = 0;
  /** Filled value (quantity x price), for the average price. */
  filledValue = 0;
  /** A timer is waiting to give the order more liquidity. */
  liquidityTimerPending = false;

  constructor(
    readonly orderId: string,
    readonly clientOrderId: string | undefined,
    readonly accountId: string,
    readonly instrument: Instrument,
    readonly side: OrderSide,
    public orderType: OrderType,
    public tif: TimeInForce,
    public quantity: number | undefined,
    readonly cashQty: number | undefined,
    public limitPrice: number | undefined,
    public stopPrice: number | undefined,
    readonly product: Product | undefined,
    readonly createdAt: number,
  ) {
    this.updatedAt = createdAt;
  }
}

/** FILLED, CANCELLED and REJECTED orders no longer work. */
export function isWorking(order: SimOrder): boolean {
  return order.status === 'SUBMITTED' || order.status === 'PARTIALLY_FILLED';
}
