import type { BrokerCapabilities } from './capabilities.js';
import type { AccountBalance, Position } from './schemas/account.js';
import type { ConnectionState, OrderStatus } from './schemas/enums.js';
import type { MarginImpact } from './schemas/margin-impact.js';
import type { Fill, OrderRecord, PlaceOrderResult } from './schemas/order-record.js';
import type { OrderRequest } from './schemas/order-request.js';
import type { OrderUpdate } from './schemas/order-update.js';

/** A change of connection state; `error` says why a connection was lost or refused. */
export interface ConnectionStateEvent {
  state: ConnectionState;
  previous: ConnectionState;
  error?: Error;
}

/** An order moved to a new status or changed (fill, modify). */
export interface OrderUpdateEvent {
  order: OrderRecord;
  previousStatus: OrderStatus | undefined;
}

/** The events every broker emits, with their payloads. */
export interface BrokerEvents {
  orderUpdate: OrderUpdateEvent;
  fill: Fill;
  connectionState: ConnectionStateEvent;
}

export type BrokerEventName = keyof BrokerEvents;
export type BrokerEventListener<E extends BrokerEventName> = (event: BrokerEvents[E]) => void;

/** A snapshot of a broker's health for dashboards and `brokerkit doctor`. */
export interface BrokerHealth {
  broker: string;
  state: ConnectionState;
  connectedSince?: number;
  lastError?: { code: string; message: string; at: number };
  openOrders: number;
  trackedOrders: number;
}

/**
 * The broker contract: the spec's methods, camelCased and async, plus what users need next to
 * them. Every plugin's broker implements it through `AbstractBroker`.
 */
export interface Broker {
  /** Plugin id: `mock`, `ibkr`, `zerodha`, ... */
  readonly id: string;
  readonly capabilities: BrokerCapabilities;
  readonly connectionState: ConnectionState;

  /** Connects; idempotent. Throws BrokerConnectionError (or AuthenticationError) on failure. */
  connect(): Promise<void>;
  /** Disconnects; idempotent. */
  disconnect(): Promise<void>;
  isConnected(): boolean;

  getAccountBalance(): Promise<AccountBalance>;
  /** Open positions. Throws when the broker cannot be asked; never returns `[]` for a failure. */
  getOpenPositions(): Promise<Position[]>;

  /** Validates, then places the order. Resolves with the broker's acknowledgement. */
  placeOrder(order: OrderRequest): Promise<PlaceOrderResult>;
  getOrderStatus(orderId: string): Promise<OrderStatus>;
  getOrder(orderId: string): Promise<OrderRecord>;
  getOpenOrders(): Promise<OrderRecord[]>;
  /** Finds an order by your client order id (e.g. after an OrderOutcomeUnknownError). */
  findOrderByClientOrderId(clientOrderId: string): Promise<OrderRecord | undefined>;
  /**
   * Cancels a working order. Resolves `true` once the broker accepted the cancel, `false` when the
   * order was already final (filled, cancelled, rejected) so there was nothing to cancel.
   */
  cancelOrder(orderId: string): Promise<boolean>;
  modifyOrder(orderId: string, updates: OrderUpdate): Promise<OrderRecord>;
  /** Margin the order would need, computed without placing it. */
  getOrderMarginImpact(order: OrderRequest): Promise<MarginImpact>;

  health(): BrokerHealth;

  on<E extends BrokerEventName>(event: E, listener: BrokerEventListener<E>): this;
  off<E extends BrokerEventName>(event: E, listener: BrokerEventListener<E>): this;
  once<E extends BrokerEventName>(event: E, listener: BrokerEventListener<E>): this;
}
