import type { ExchangeSimulator, InstrumentTarget } from '@brokerkit/exchange-sim';
import { TwsErrorCode, TwsErrorText } from './error-codes.js';
import { END_MARKERS, type EndMarker, type EndMarkerPolicy, type FaultState } from './fault-state.js';
import type { TwsOrderStatus } from './order-lifecycle.js';
import type { TwsServer } from './server.js';
import type { SessionState } from './session.js';

/** The connectivity notices the control can send (all with id -1, as TWS sends them). */
export const CONNECTIVITY_NOTICES: Readonly<Record<number, string>> = {
  [TwsErrorCode.CONNECTIVITY_LOST]: TwsErrorText.connectivityLost(),
  [TwsErrorCode.CONNECTIVITY_RESTORED_DATA_LOST]: TwsErrorText.connectivityRestoredDataLost(),
  [TwsErrorCode.CONNECTIVITY_RESTORED_DATA_MAINTAINED]: TwsErrorText.connectivityRestoredDataMaintained(),
  [TwsErrorCode.SERVER_CONNECTIVITY_BROKEN]: TwsErrorText.serverConnectivityBroken(),
};

/** One open connection, as the control reports it. */
export interface SessionSummary {
  connectionId: number;
  clientId: number | undefined;
  state: SessionState;
  messagesReceived: number;
}

/** One order, as the control reports it. */
export interface OrderSummary {
  clientId: number;
  orderId: number;
  permId: number;
  account: string;
  symbol: string;
  secType: string;
  action: string;
  orderType: string;
  totalQuantity: number | undefined;
  status: TwsOrderStatus;
  /** Sent with transmit=false and not transmitted yet. */
  staged: boolean;
  filled: number;
  avgFillPrice: number;
  orderRef: string;
}

/**
 * The simulator's remote control: fault injection and market steering for tests and for the
 * standalone server's admin endpoint. Every method acts at once and returns plain data.
 *
 * @example
 * const sim = await startTwsSim({ clock: 'virtual' });
 * sim.control.setPrice('AAPL', 190.25);
 * sim.control.sendNotice(1100);            // "Connectivity between IBKR and TWS has been lost."
 * sim.control.withholdEndMarker('EXECUTION_DATA_END');
 * sim.control.rejectNextOrder('No Trading Permission');
 * sim.control.advanceClock(1_000);         // virtual clock only
 */
export class TwsSimControl {
  readonly #server: TwsServer;
  readonly #faults: FaultState;

  constructor(server: TwsServer) {
    this.#server = server;
    this.#faults = server.faults;
  }

  /** The engine behind the simulator (prices, accounts, engine faults), for what the control does not cover. */
  get simulator(): ExchangeSimulator {
    return this.#server.simulator;
  }

  /** Open connections. */
  sessions(): SessionSummary[] {
    return this.#server.sessions().map((session) => ({
      connectionId: session.connectionId,
      clientId: session.clientId,
      state: session.state,
      messagesReceived: session.messagesReceived,
    }));
  }

  /** Orders the simulator remembers (working, staged, recent final ones), oldest first. */
  orders(): OrderSummary[] {
    return this.#server.lifecycle.orders().map((order) => ({
      clientId: order.clientId,
      orderId: order.orderId,
      permId: order.permId,
      account: order.account,
      symbol: order.instrument.symbol,
      secType: order.instrument.secType,
      action: order.fields.action,
      orderType: order.fields.orderType,
      totalQuantity: order.fields.totalQuantity,
      status: order.status,
      staged: order.staged,
      filled: order.filled,
      avgFillPrice: order.avgFillPrice,
      orderRef: order.fields.orderRef,
    }));
  }

  /** Market-data streams open now (REQ_MKT_DATA not cancelled, over all connections). */
  marketDataStreams(): number {
    return this.#server.feed.streamCount;
  }

  /** Closes connections at once (all, or one client id's), like a network failure. Returns how many. */
  dropConnections(clientId?: number): number {
    return this.#server.dropConnections(clientId);
  }

  /**
   * Sends an id -1 notice to ready connections (all, or one client id's). Codes 1100, 1101,
   * 1102 and 2110 get TWS's text when `message` is omitted; 1101 also makes the server forget
   * the connections' market-data streams, as TWS does. Returns how many connections got it.
   */
  sendNotice(code: number, message?: string, clientId?: number): number {
    const text = message ?? CONNECTIVITY_NOTICES[code];
    if (text === undefined) throw new RangeError(`give the text of notice ${code}`);
    return this.#server.sendNotice(code, text, clientId);
  }

  /** Delays an END marker (OPEN_ORDER_END, EXECUTION_DATA_END, ...) by `delayMs` of simulator time. */
  delayEndMarker(marker: EndMarker, delayMs: number): void {
    this.#setEndMarker(marker, { mode: 'delay', delayMs });
  }

  /** Never sends an END marker (a live Gateway once never sent EXECUTION_DATA_END). */
  withholdEndMarker(marker: EndMarker): void {
    this.#setEndMarker(marker, { mode: 'withhold' });
  }

  /** Sends an END marker normally again. */
  restoreEndMarker(marker: EndMarker): void {
    this.#setEndMarker(marker, { mode: 'normal' });
  }

  /** Sends every OPEN_ORDER/ORDER_STATUS pair `1 + copies` times (0 restores single pairs). */
  duplicateOrderMessages(copies: number): void {
    if (!Number.isInteger(copies) || copies < 0 || copies > 10)
      throw new RangeError('copies must be a whole number from 0 to 10');
    this.#faults.duplicatePairs = copies;
  }

  /** Answers whatIf orders with a preliminary OPEN_ORDER (unset figures, a warning) before the real one. */
  twoStageWhatIf(enabled = true): void {
    this.#faults.twoStageWhatIf = enabled;
  }

  /** Rejects the next `count` orders that reach the engine: ORDER_STATUS Inactive + ERR 201 with `reason`. */
  rejectNextOrder(reason: string, count = 1): void {
    this.simulator.faults.rejectNextOrder(reason, count);
  }

  /** Sends ERR 399 ("Order Message:\n<text>") after the next order's acknowledgement. */
  warnNextOrder(text: string): void {
    this.#faults.warnNextOrder(text);
  }

  /** Keeps a client id taken for `ms` after its connection closes (fast reconnects get 326). */
  holdClientIdsAfterDisconnect(ms: number): void {
    if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError('ms must be a finite number >= 0');
    this.#server.clientIdHoldMs = ms;
  }

  /** Sets the last price of an instrument (`AAPL`, an `EXCHANGE:localSymbol` key, or a contract query). */
  setPrice(target: InstrumentTarget, price: number): void {
    this.simulator.setPrice(target, price);
  }

  /** The last price of an instrument. */
  price(target: InstrumentTarget): number {
    return this.simulator.price(target);
  }

  /** Moves virtual time forward (fills, expiries, delayed END markers due meanwhile happen). */
  advanceClock(ms: number): void {
    const clock = this.simulator.clock as { advance?: (ms: number) => void };
    if (typeof clock.advance !== 'function') {
      throw new Error('advanceClock() needs the virtual clock: start the simulator with clock: "virtual"');
    }
    clock.advance(ms);
  }

  /** Disarms every fault (TWS-level and the engine's scripted rejections are left to run out). */
  reset(): void {
    this.#faults.reset();
    this.#server.clientIdHoldMs = 0;
  }

  #setEndMarker(marker: EndMarker, policy: EndMarkerPolicy): void {
    if (!END_MARKERS.includes(marker))
      throw new RangeError(`unknown END marker ${String(marker)}; use one of ${END_MARKERS.join(', ')}`);
    this.#faults.setEndMarker(marker, policy);
  }
}
