import type { BrokerOptions } from '../abstract-broker.js';
import type { Broker } from '../broker.js';
import type { OrderRequest } from '../schemas/order-request.js';

/** Faults a market controller may be able to inject into the broker's next request. */
export type ConformanceFault =
  /** The next order is rejected by the venue with a reason. */
  | 'reject'
  /** The next request gets no answer (the suite sets short timeouts). */
  | 'stall';

/**
 * Controls the market behind the broker under test. For the mock it drives exchange-sim directly;
 * for a plugin tested against a simulator it drives the simulator's control API.
 */
export interface MarketController {
  /** Sets the price of a symbol (last trade; the simulator derives bid/ask). */
  setPrice(symbol: string, price: number): Promise<void> | void;
  /**
   * Lets `ms` of market time pass so that delayed fills, triggers and expiries happen: advance a
   * virtual clock, or wait for real.
   */
  advanceTime(ms: number): Promise<void>;
  /** Makes the venue misbehave on the broker's next request. */
  injectFault(fault: ConformanceFault): Promise<void> | void;
  /**
   * Drops the broker's connection from the venue's side, as a network failure would. A broker that
   * declares `reconnect` must come back by itself; others are reconnected by the suite.
   */
  dropConnection(): Promise<void>;
}

/** The instrument and amounts the suite trades with. */
export interface ConformanceFixtures {
  /** Contract fields of a liquid instrument: `{ symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' }`. */
  instrument: Omit<OrderRequest, 'side' | 'orderType' | 'quantity'>;
  /** The instrument's price when the harness is created. */
  price: number;
  /** Its tick size: limit prices the suite sends are multiples of it. */
  tickSize: number;
  /** A valid quantity (a multiple of the lot size) the account can afford many times over. */
  quantity: number;
  /** A symbol the broker does not know. */
  invalidSymbol: string;
  /** A quantity of the instrument the account cannot afford. */
  unaffordableQuantity: number;
  /** How long a marketable order may take to fill, in market time (the mock's fill delay). */
  fillTimeMs: number;
}

/** What the harness factory returns for each test: a fresh, isolated, unconnected broker and its market. */
export interface ConformanceHarness {
  broker: Broker;
  market: MarketController;
  fixtures: ConformanceFixtures;
  /** Releases what the harness started (servers, timers). Called after each test. */
  cleanup?(): Promise<void>;
}

/** Options the suite passes to the factory (short timeouts for the timeout group). */
export interface HarnessOptions {
  brokerOptions?: BrokerOptions;
  /** Build the broker against an address where nothing listens (connection group). */
  unreachable?: boolean;
}

export type HarnessFactory = (options: HarnessOptions) => Promise<ConformanceHarness>;
