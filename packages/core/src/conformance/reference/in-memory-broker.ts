import { AbstractBroker, type BrokerOptions, type PlaceOrderAck } from '../../abstract-broker.js';
import { type BrokerCapabilities, defineCapabilities } from '../../capabilities.js';
import { BrokerConnectionError } from '../../errors/broker-connection-error.js';
import { InsufficientFundsError } from '../../errors/insufficient-funds-error.js';
import { InvalidOrderError } from '../../errors/invalid-order-error.js';
import { InvalidSymbolError } from '../../errors/invalid-symbol-error.js';
import { OrderNotFoundError } from '../../errors/order-not-found-error.js';
import { OrderRejectedError } from '../../errors/order-rejected-error.js';
import { isFinalStatus } from '../../order-status-transitions.js';
import type { AccountBalance, Position } from '../../schemas/account.js';
import type { MarginImpact } from '../../schemas/margin-impact.js';
import type { OrderRecord } from '../../schemas/order-record.js';
import type { NormalizedOrderRequest } from '../../schemas/order-request.js';
import type { OrderUpdate } from '../../schemas/order-update.js';
import type { InMemoryMarket } from './in-memory-market.js';

/** What the reference broker declares: stocks, the four order types, resting stops DAY/GTC only. */
export const inMemoryBrokerCapabilities: BrokerCapabilities = defineCapabilities({
  assetClasses: ['STK'],
  exchanges: [],
  orderTypes: ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT'],
  timeInForce: {
    MARKET: ['DAY', 'IOC', 'FOK'],
    LIMIT: ['DAY', 'GTC', 'IOC', 'FOK'],
    STOP: ['DAY', 'GTC'],
    STOP_LIMIT: ['DAY', 'GTC'],
  },
  cashQuantity: [],
  products: [],
  modifyOrder: 'native',
  marginPreview: true,
  streamingOrderUpdates: true,
  reconnect: false,
  bracketOrders: false,
  trailingStop: false,
  rateLimits: [],
});

export interface InMemoryBrokerConfig {
  market: InMemoryMarket;
  /** Starting cash. Default 100,000. */
  cash?: number;
  /** Market time between acceptance and the first chance to fill. Default 100 ms. */
  fillDelayMs?: number;
  /** Fail every connect, as an address where nothing listens would. */
  unreachable?: boolean;
}

const INITIAL_MARGIN_RATE = 1; // a cash account: orders need their full notional
const MAINTENANCE_MARGIN_RATE = 0.5;

/**
 * The reference broker of the conformance suite: a cash account on an `InMemoryMarket`, with
 * whole-order fills at the market price after `fillDelayMs`. The suite checks itself against it
 * (as abstract-level does with memory-level), and it is a compact template for plugin authors.
 */
export class InMemoryBroker extends AbstractBroker {
  readonly id: string = 'in-memory';
  readonly capabilities: BrokerCapabilities = inMemoryBrokerCapabilities;
  protected readonly market: InMemoryMarket;
  protected readonly orders = new Map<string, OrderRecord>();
  protected cash: number;
  protected readonly positions = new Map<string, { quantity: number; averagePrice: number }>();
  readonly #fillDelayMs: number;
  readonly #unreachable: boolean;
  #nextOrderId = 1;
  #nextExecutionId = 1;
  #detach: Array<() => void> = [];

  constructor(config: InMemoryBrokerConfig, options: BrokerOptions = {}) {
    super({ now: () => config.market.now(), ...options });
    this.market = config.market;
    this.cash = config.cash ?? 100_000;
    this.#fillDelayMs = config.fillDelayMs ?? 100;
    this.#unreachable = config.unreachable ?? false;
  }

  protected async doConnect(): Promise<void> {
    if (this.#unreachable) {
      throw new BrokerConnectionError({ message: 'in-memory market: connection refused', broker: this.id });
    }
    this.#detach = [
      this.market.onDrop(() => this.setConnectionState('disconnected', new Error('connection dropped'))),
      this.market.onPriceChange(() => this.#matchAll()),
    ];
  }

  protected async doDisconnect(): Promise<void> {
    for (const detach of this.#detach) detach();
    this.#detach = [];
  }

  protected async doGetAccountBalance(): Promise<AccountBalance> {
    await this.#maybeStall();
    const positionsValue = [...this.positions].reduce(
      (sum, [symbol, position]) => sum + position.quantity * this.#price(symbol),
      0,
    );
    const reserved = this.#reservedCash();
    return {
      currency: 'USD',
      equity: this.cash + positionsValue,
      cash: this.cash,
      buyingPower: this.cash - reserved,
      marginUsed: reserved,
      marginAvailable: this.cash - reserved,
    };
  }

  protected async doGetOpenPositions(): Promise<Position[]> {
    await this.#maybeStall();
    return [...this.positions]
      .filter(([, position]) => position.quantity !== 0)
      .map(([symbol, position]) => ({
        symbol,
        secType: 'STK' as const,
        currency: 'USD',
        quantity: position.quantity,
        averagePrice: position.averagePrice,
        marketPrice: this.#price(symbol),
        marketValue: position.quantity * this.#price(symbol),
      }));
  }

  protected async doPlaceOrder(order: NormalizedOrderRequest): Promise<PlaceOrderAck> {
    await this.#maybeStall();
    const instrument = this.market.instruments.get(order.symbol);
    if (instrument === undefined) {
      throw new InvalidSymbolError({
        message: `unknown symbol ${order.symbol}`,
        symbol: order.symbol,
        broker: this.id,
      });
    }
    for (const field of ['limitPrice', 'stopPrice'] as const) {
      const price = order[field];
      if (price !== undefined && !isMultiple(price, instrument.tickSize)) {
        throw new InvalidOrderError({
          issues: [
            { path: field, message: `${price} is not a multiple of the tick size ${instrument.tickSize}` },
          ],
        });
      }
    }
    if (this.market.takeFault('reject')) {
      throw new OrderRejectedError({
        message: 'order rejected by the venue',
        reason: 'rejected by fault injection',
      });
    }
    const quantity = order.quantity ?? 0;
    const needed = quantity * (order.limitPrice ?? instrument.price) * INITIAL_MARGIN_RATE;
    const available = this.cash - this.#reservedCash();
    if (order.side === 'BUY' && needed > available) {
      throw new InsufficientFundsError({
        message: `insufficient funds: the order needs ${needed.toFixed(2)} USD, ${available.toFixed(2)} USD available`,
        required: needed,
        available,
        broker: this.id,
      });
    }
    const orderId = String(this.#nextOrderId++);
    const now = this.now();
    const record: OrderRecord = {
      orderId,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      orderType: order.orderType,
      tif: order.tif as OrderRecord['tif'],
      status: 'SUBMITTED',
      quantity,
      filledQuantity: 0,
      remainingQuantity: quantity,
      ...(order.limitPrice === undefined ? {} : { limitPrice: order.limitPrice }),
      ...(order.stopPrice === undefined ? {} : { stopPrice: order.stopPrice }),
      secType: 'STK',
      createdAt: now,
      updatedAt: now,
    };
    this.orders.set(orderId, record);
    this.emitOrderUpdate({ ...record });
    this.market.schedule(this.#fillDelayMs, () => this.#match(record, true));
    return { orderId, status: 'SUBMITTED', createdAt: now };
  }

  protected async doGetOrder(orderId: string): Promise<OrderRecord> {
    const record = this.orders.get(orderId);
    if (record === undefined)
      throw new OrderNotFoundError({ message: `no order ${orderId}`, orderId, broker: this.id });
    return { ...record };
  }

  protected async doGetOpenOrders(): Promise<OrderRecord[]> {
    return [...this.orders.values()]
      .filter((record) => !isFinalStatus(record.status))
      .map((record) => ({ ...record }));
  }

  protected async doCancelOrder(orderId: string): Promise<boolean> {
    const record = this.orders.get(orderId);
    if (record === undefined)
      throw new OrderNotFoundError({ message: `no order ${orderId}`, orderId, broker: this.id });
    if (isFinalStatus(record.status)) return false;
    this.#update(record, { status: 'CANCELLED', statusMessage: 'cancelled by user' });
    return true;
  }

  protected async doModifyOrder(orderId: string, updates: OrderUpdate): Promise<OrderRecord> {
    const record = this.orders.get(orderId);
    if (record === undefined)
      throw new OrderNotFoundError({ message: `no order ${orderId}`, orderId, broker: this.id });
    if (isFinalStatus(record.status)) {
      throw new OrderRejectedError({
        message: `order ${orderId} is ${record.status}`,
        reason: `order is ${record.status}`,
      });
    }
    const quantity = updates.quantity ?? record.quantity ?? 0;
    this.#update(record, {
      ...(updates.limitPrice === undefined ? {} : { limitPrice: updates.limitPrice }),
      ...(updates.stopPrice === undefined ? {} : { stopPrice: updates.stopPrice }),
      ...(updates.orderType === undefined ? {} : { orderType: updates.orderType }),
      ...(updates.tif === undefined ? {} : { tif: updates.tif }),
      quantity,
      remainingQuantity: quantity - record.filledQuantity,
    });
    this.#match(record, false);
    return { ...record };
  }

  protected async doGetOrderMarginImpact(order: NormalizedOrderRequest): Promise<MarginImpact> {
    const instrument = this.market.instruments.get(order.symbol);
    if (instrument === undefined) {
      throw new InvalidSymbolError({
        message: `unknown symbol ${order.symbol}`,
        symbol: order.symbol,
        broker: this.id,
      });
    }
    const notional = (order.quantity ?? 0) * (order.limitPrice ?? instrument.price);
    return {
      currency: 'USD',
      initialMargin: notional * INITIAL_MARGIN_RATE,
      maintenanceMargin: notional * MAINTENANCE_MARGIN_RATE,
      warnings: [],
    };
  }

  async #maybeStall(): Promise<void> {
    if (this.market.takeFault('stall')) await new Promise<never>(() => {});
  }

  #price(symbol: string): number {
    return this.market.instruments.get(symbol)?.price ?? 0;
  }

  #reservedCash(): number {
    let reserved = 0;
    for (const record of this.orders.values()) {
      if (record.side === 'BUY' && !isFinalStatus(record.status)) {
        reserved += (record.remainingQuantity ?? 0) * (record.limitPrice ?? this.#price(record.symbol));
      }
    }
    return reserved;
  }

  #matchAll(): void {
    for (const record of this.orders.values()) {
      if (!isFinalStatus(record.status) && record.updatedAt + this.#fillDelayMs <= this.now())
        this.#match(record, false);
    }
  }

  /** Fills the order if the price allows; on its first look, IOC/FOK orders that cannot fill are cancelled. */
  #match(record: OrderRecord, firstLook: boolean): void {
    if (isFinalStatus(record.status)) return;
    const price = this.#price(record.symbol);
    const buy = record.side === 'BUY';
    const triggered =
      record.stopPrice === undefined || (buy ? price >= record.stopPrice : price <= record.stopPrice);
    const limitOk =
      record.limitPrice === undefined || (buy ? price <= record.limitPrice : price >= record.limitPrice);
    const marketable = triggered && (record.orderType === 'MARKET' || record.orderType === 'STOP' || limitOk);
    if (marketable) {
      this.#fill(record, price);
    } else if (firstLook && (record.tif === 'IOC' || record.tif === 'FOK') && triggered) {
      this.#update(record, {
        status: 'CANCELLED',
        statusMessage: `${record.tif} order could not fill at once`,
      });
    }
  }

  #fill(record: OrderRecord, price: number): void {
    const quantity = record.remainingQuantity ?? 0;
    const signed = record.side === 'BUY' ? quantity : -quantity;
    const position = this.positions.get(record.symbol) ?? { quantity: 0, averagePrice: 0 };
    const total = position.quantity + signed;
    position.averagePrice =
      total === 0
        ? 0
        : signed > 0
          ? (position.quantity * position.averagePrice + signed * price) / total
          : position.averagePrice;
    position.quantity = total;
    this.positions.set(record.symbol, position);
    this.cash -= signed * price;
    this.emitFill({
      orderId: record.orderId,
      clientOrderId: record.clientOrderId,
      executionId: `E${this.#nextExecutionId++}`,
      symbol: record.symbol,
      side: record.side,
      quantity,
      price,
      time: this.now(),
    });
    this.#update(record, {
      status: 'FILLED',
      filledQuantity: quantity,
      remainingQuantity: 0,
      averageFillPrice: price,
    });
  }

  #update(record: OrderRecord, changes: Partial<OrderRecord>): void {
    Object.assign(record, changes, { updatedAt: this.now() });
    this.emitOrderUpdate({ ...record });
  }
}

function isMultiple(price: number, tick: number): boolean {
  const ratio = price / tick;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}
