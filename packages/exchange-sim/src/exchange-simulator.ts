import type { OrderStatus, OrderType, Product, TimeInForce } from '@brokerkit/core';
import { Account, type AccountOptions, roundQuantity } from './account.js';
import { type Clock, RealClock, type TimerHandle } from './clock.js';
import { commissionFor } from './commission.js';
import { ListenerSet, rethrowAsync, type SimulatorEventName, type SimulatorEvents } from './events.js';
import { ExchangeRates } from './exchange-rates.js';
import { ExecutionLog } from './execution-log.js';
import { FaultInjector } from './faults.js';
import {
  commissionScheduleOf,
  floorToStep,
  type Instrument,
  type InstrumentDefinition,
} from './instrument.js';
import { type InstrumentQuery, InstrumentRegistry } from './instrument-registry.js';
import { type MarginRequirement, positionMargin } from './margin-model.js';
import {
  type Execution,
  isWorking,
  type OrderInput,
  type Rejection,
  type SimOrder,
  WorkingOrder,
} from './order.js';
import { OrderBook } from './order-book.js';
import { findOrderIssues, type OrderIssue, orderIssuesError, timeInForceOf } from './order-validation.js';
import { PricePath } from './price-path.js';
import { type Seed, SeededRandom } from './random.js';
import { assertSessionTime, nextSessionClose, SESSION_PERIOD_MS } from './session.js';

/** Options of an `ExchangeSimulator`. Every field has a default. */
export interface ExchangeSimulatorOptions {
  /** Seed of every random stream (price paths, random rejections). Default 1. */
  seed?: Seed;
  /** Time source. Default `new RealClock()`; pass a `VirtualClock` for tests and benchmarks. */
  clock?: Clock;
  /** Name put in the `broker` field of the errors it throws (`mock`). Default `exchange-sim`. */
  name?: string;
  /** Include the built-in instruments and derivative families. Default true. */
  builtInInstruments?: boolean;
  /** More instruments to list. */
  instruments?: InstrumentDefinition[];
  /** Starting prices by symbol (or `EXCHANGE:localSymbol` key), overriding the instruments' own. */
  prices?: Record<string, number>;
  /** Length of one price step in ms; 0 freezes prices except `setPrice`. Default 1,000. */
  priceStepMs?: number;
  /** Move prices by a seeded random walk at each step. Default true. */
  randomWalk?: boolean;
  /** Time from acceptance until an order reaches the matching engine, in ms. Default 0 (at once). */
  fillDelayMs?: number;
  /** Time for a cancel to take effect, in ms; fills during it win the race. Default 0. */
  cancelDelayMs?: number;
  /** Most quantity (units) one fill may take; the rest fills later. Default unlimited. */
  maxFillQuantity?: number;
  /** Time between the partial fills of one order when `maxFillQuantity` limits it, in ms. Default 1,000. */
  liquidityIntervalMs?: number;
  /** Ticks market (and triggered stop) orders pay beyond the touch. Default 0. */
  slippageTicks?: number;
  /** Bid-ask spread in ticks around the last price. Default 0 (bid = ask = last). */
  spreadTicks?: number;
  /** Session close `HH:MM` UTC at which DAY orders expire. Default `21:00` (16:00 New York in winter). */
  sessionCloseUtc?: string;
  /** Final orders remembered per account (oldest forgotten first). Default 10,000. */
  retainClosedOrders?: number;
  /** Executions remembered per account. Default 10,000. */
  retainExecutions?: number;
  /** USD value of one unit of each currency, for base-currency figures. Defaults in `DEFAULT_USD_RATES`. */
  exchangeRates?: Record<string, number>;
  /** First generated order id. Default 1. */
  firstOrderId?: number;
  /** Where errors thrown by event listeners go. Default: rethrown in a microtask (uncaught). */
  onListenerError?: (error: unknown) => void;
}

/** An instrument, its `EXCHANGE:localSymbol` key or symbol, or a contract query. */
export type InstrumentTarget = Instrument | InstrumentQuery | string;

/** What may change in `modifyOrder` (the order keeps its id). */
export interface OrderChanges {
  quantity?: number | undefined;
  limitPrice?: number | undefined;
  stopPrice?: number | undefined;
  orderType?: OrderType | undefined;
  tif?: TimeInForce | undefined;
}

/** The result of `cancelOrder`. */
export type CancelOutcome =
  /** The order is cancelled now. */
  | 'cancelled'
  /** The cancel takes effect after the cancel delay; a fill may still win (then `cancelRejected` is emitted). */
  | 'pending'
  /** The order was already filled, cancelled or rejected. */
  | 'already-final'
  | 'not-found';

/** The result of `modifyOrder`. */
export type ModifyOutcome =
  | { status: 'modified'; order: SimOrder }
  | { status: 'not-found' }
  /** Filled, cancelled or rejected: nothing to modify. */
  | { status: 'final'; order: SimOrder }
  /** Refused (funds, a pending cancel); the order is unchanged. */
  | { status: 'rejected'; order: SimOrder; rejection: Rejection };

/** Bid, ask and last of an instrument. */
export interface Quote {
  instrument: Instrument;
  bid: number;
  ask: number;
  last: number;
  time: number;
}

/** Margin figures at one moment, in the account's currency. */
export interface MarginFigures {
  initialMargin: number;
  maintenanceMargin: number;
  equityWithLoan: number;
}

/**
 * What an order would do to the account, computed by the same model the pre-trade check uses.
 * Amounts are in the account's currency except `commission` (instrument currency).
 */
export interface MarginImpactResult {
  currency: string;
  /** Initial margin the order adds (0 for an order that reduces a position). */
  initialMargin: number;
  maintenanceMargin: number;
  before: MarginFigures;
  change: MarginFigures;
  after: MarginFigures;
  commission: number;
  commissionCurrency: string;
  /** What the check compares: initial margin added plus commission, against available funds. */
  required: number;
  available: number;
  /** True when the order passes the funds check now. */
  sufficient: boolean;
  warnings: string[];
}

/** An account's figures in its base currency. */
export interface BalanceSnapshot {
  accountId: string;
  currency: string;
  /** Cash in all currencies, converted. Negative when borrowing. */
  cash: number;
  cashByCurrency: Record<string, number>;
  /** Net liquidation value: cash plus positions' value (futures: their unrealised P&L). */
  equity: number;
  /** Initial margin of positions plus margin held for working orders. */
  initialMargin: number;
  maintenanceMargin: number;
  /** `equity - initialMargin`: what new orders can use. */
  availableFunds: number;
  /** `equity - maintenanceMargin`. */
  excessLiquidity: number;
  /** `max(0, availableFunds)`: the initial margin (and commission) new orders can still take. */
  buyingPower: number;
  unrealizedPnl: number;
  realizedPnl: number;
  commissions: number;
}

/** One open position with its value at the current price. */
export interface PositionSnapshot {
  accountId: string;
  instrument: Instrument;
  product: Product | undefined;
  /** Signed: negative is short. */
  quantity: number;
  averagePrice: number;
  marketPrice: number;
  /** `quantity x price x multiplier`, in the instrument's currency. */
  marketValue: number;
  unrealizedPnl: number;
  realizedPnl: number;
}

interface AccountEntry {
  account: Account;
  executions: ExecutionLog;
}

type TaskKind = 'arrive' | 'cancel' | 'liquidity';

interface Task {
  kind: TaskKind;
  order: WorkingOrder;
  handle: TimerHandle | undefined;
}

interface AccountFigures {
  cash: number;
  equity: number;
  initial: number;
  maintenance: number;
  unrealized: number;
}

interface FundsCheck {
  price: number;
  quantity: number;
  initialChange: number;
  maintenanceChange: number;
  commission: number;
  commissionBase: number;
  required: number;
  available: number;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const money = (value: number) => (Object.is(round2(value), -0) ? 0 : round2(value));

/**
 * A deterministic, in-memory exchange and broker back office: instruments, seeded price paths,
 * per-account order books with matching, accounts with cash, positions, P&L, commissions and
 * margin, and fault injection. No I/O: the mock broker calls it in process, and the TWS and Kite
 * wire simulators put their protocols in front of it.
 *
 * Everything that happens is a function of the seed, the clock and the calls made: with a
 * `VirtualClock`, the same inputs give the same fills, ids and events byte for byte.
 *
 * @example
 * import { ExchangeSimulator, VirtualClock } from '@brokerkit/exchange-sim';
 *
 * const clock = new VirtualClock();
 * const simulator = new ExchangeSimulator({ clock, seed: 42, fillDelayMs: 1_000 });
 * simulator.createAccount({ id: 'DU123456', cash: 1_000_000 });
 * simulator.on('execution', (execution) => console.log(execution.price, execution.quantity));
 * const order = simulator.placeOrder('DU123456', { symbol: 'AAPL', side: 'BUY', quantity: 100, orderType: 'MARKET' });
 * order.status;        // 'SUBMITTED'
 * clock.advance(1_000);
 * order.status;        // 'FILLED'
 */
export class ExchangeSimulator {
  /** The time source. */
  readonly clock: Clock;
  /** Instruments known to the simulator; lookups, listing and additions. */
  readonly instruments: InstrumentRegistry;
  /** Rejections, delays, stalls and connection faults on demand. */
  readonly faults: FaultInjector;
  /** Name used in errors (`broker` field). */
  readonly name: string;
  /** Epoch ms the simulator started at; step `n` of price paths begins at `origin + n x priceStepMs`. */
  readonly origin: number;

  readonly #random: SeededRandom;
  readonly #rates: ExchangeRates;
  readonly #paths = new Map<Instrument, PricePath>();
  readonly #syncing = new Set<Instrument>();
  readonly #watched = new Set<Instrument>();
  readonly #accounts = new Map<string, AccountEntry>();
  readonly #book: OrderBook;
  readonly #tasks = new Set<Task>();
  readonly #sessionTimers = new Map<string, { close: string; handle: TimerHandle | undefined }>();
  readonly #priceStepMs: number;
  readonly #randomWalk: boolean;
  readonly #fillDelayMs: number;
  readonly #cancelDelayMs: number;
  readonly #maxFillQuantity: number;
  readonly #liquidityIntervalMs: number;
  readonly #slippageTicks: number;
  readonly #spreadTicks: number;
  readonly #sessionCloseUtc: string;
  readonly #retainExecutions: number;
  #stepTimer: TimerHandle | undefined;
  #nextOrderId: number;
  #executionSequence = 0;
  /** Some order id was chosen by a caller, so generated ids must be checked for collisions. */
  #callerChoseIds = false;
  #disposed = false;

  readonly #orderListeners: ListenerSet<SimOrder, OrderStatus | undefined>;
  readonly #executionListeners: ListenerSet<Execution, SimOrder>;
  readonly #cancelRejectedListeners: ListenerSet<SimOrder, string>;
  readonly #priceListeners: ListenerSet<Instrument, number>;

  // Scratch objects for the hot path (no allocation per order).
  readonly #marginBefore: MarginRequirement = { initial: 0, maintenance: 0 };
  readonly #marginAfter: MarginRequirement = { initial: 0, maintenance: 0 };
  readonly #figures: AccountFigures = { cash: 0, equity: 0, initial: 0, maintenance: 0, unrealized: 0 };
  readonly #check: FundsCheck = {
    price: 0,
    quantity: 0,
    initialChange: 0,
    maintenanceChange: 0,
    commission: 0,
    commissionBase: 0,
    required: 0,
    available: 0,
  };
  readonly #runTask = (task: Task) => this.#onTask(task);
  readonly #runStep = () => this.#onStep();
  readonly #runSessionClose = (session: { close: string; handle: TimerHandle | undefined }) =>
    this.#onSessionClose(session);

  constructor(options: ExchangeSimulatorOptions = {}) {
    this.clock = options.clock ?? new RealClock();
    this.origin = this.clock.now();
    this.name = options.name ?? 'exchange-sim';
    this.#random = new SeededRandom(options.seed ?? 1);
    this.faults = new FaultInjector(this.#random.fork('faults'));
    this.#rates = new ExchangeRates(options.exchangeRates);
    this.#priceStepMs = nonNegative(options.priceStepMs ?? 1_000, 'priceStepMs');
    this.#randomWalk = options.randomWalk ?? true;
    this.#fillDelayMs = nonNegative(options.fillDelayMs ?? 0, 'fillDelayMs');
    this.#cancelDelayMs = nonNegative(options.cancelDelayMs ?? 0, 'cancelDelayMs');
    this.#maxFillQuantity = options.maxFillQuantity ?? Number.POSITIVE_INFINITY;
    if (!(this.#maxFillQuantity > 0))
      throw new RangeError(`maxFillQuantity must be > 0, got ${options.maxFillQuantity}`);
    this.#liquidityIntervalMs = nonNegative(options.liquidityIntervalMs ?? 1_000, 'liquidityIntervalMs');
    this.#slippageTicks = nonNegative(options.slippageTicks ?? 0, 'slippageTicks');
    this.#spreadTicks = nonNegative(options.spreadTicks ?? 0, 'spreadTicks');
    if (!Number.isInteger(this.#slippageTicks) || !Number.isInteger(this.#spreadTicks)) {
      throw new RangeError('slippageTicks and spreadTicks must be whole numbers of ticks');
    }
    this.#sessionCloseUtc = options.sessionCloseUtc ?? '21:00';
    assertSessionTime(this.#sessionCloseUtc, 'sessionCloseUtc');
    this.#retainExecutions = options.retainExecutions ?? 10_000;
    this.#book = new OrderBook(options.retainClosedOrders ?? 10_000);
    this.#nextOrderId = options.firstOrderId ?? 1;
    if (!Number.isSafeInteger(this.#nextOrderId) || this.#nextOrderId < 0) {
      throw new RangeError(`firstOrderId must be a whole number >= 0, got ${options.firstOrderId}`);
    }
    const onError = options.onListenerError ?? rethrowAsync;
    this.#orderListeners = new ListenerSet(onError);
    this.#executionListeners = new ListenerSet(onError);
    this.#cancelRejectedListeners = new ListenerSet(onError);
    this.#priceListeners = new ListenerSet(onError);

    this.instruments = new InstrumentRegistry({
      builtIn: options.builtInInstruments ?? true,
      referenceTime: this.origin,
      errorSource: this.name,
    });
    this.instruments.onListed((instrument) => this.#onListed(instrument));
    this.#scheduleSessionClose(this.#sessionCloseUtc);
    for (const instrument of this.instruments.list()) this.#onListed(instrument);
    for (const definition of options.instruments ?? []) this.addInstrument(definition);
    for (const [symbol, price] of Object.entries(options.prices ?? {})) this.setPrice(symbol, price);
  }

  // ---- instruments and prices ---------------------------------------------------------------

  /** Lists a new instrument. Throws RangeError for an invalid definition or a currency without a rate. */
  addInstrument(definition: InstrumentDefinition): Instrument {
    if (typeof definition?.currency === 'string' && !this.#rates.has(definition.currency)) {
      throw new RangeError(
        `instrument ${definition.symbol}: no exchange rate for ${definition.currency}; set one with setExchangeRate()`,
      );
    }
    return this.instruments.add(definition);
  }

  /** Sets the USD value of one unit of a currency (for base-currency account figures). */
  setExchangeRate(currency: string, usdPerUnit: number): void {
    this.#rates.set(currency, usdPerUnit);
  }

  /** The instrument an order or a query names; throws core's InvalidSymbolError when unknown. */
  resolveInstrument(target: InstrumentTarget): Instrument {
    if (typeof target === 'string')
      return this.instruments.byKey(target) ?? this.instruments.resolve({ symbol: target });
    if (isInstrument(target)) {
      const listed = this.instruments.byKey(target.key);
      if (listed === undefined)
        throw new RangeError(`instrument ${target.key} is not listed in this simulator`);
      return listed;
    }
    return this.instruments.resolve(target);
  }

  /** The current price step (0 at the start). */
  get currentStep(): number {
    return this.#priceStepMs > 0 ? Math.floor((this.clock.now() - this.origin) / this.#priceStepMs) : 0;
  }

  /** The last price of an instrument now. */
  price(target: InstrumentTarget): number {
    return this.#sync(this.resolveInstrument(target)).price;
  }

  /** Bid, ask and last now. */
  quote(target: InstrumentTarget): Quote {
    const instrument = this.resolveInstrument(target);
    const path = this.#sync(instrument);
    return {
      instrument,
      bid: this.#bid(path),
      ask: this.#ask(path),
      last: path.price,
      time: this.clock.now(),
    };
  }

  /**
   * Sets the last price now (rounded to the tick). Working orders on the instrument that the new
   * price triggers or makes marketable fill at once. The random walk continues from it.
   */
  setPrice(target: InstrumentTarget, price: number): void {
    const instrument = this.resolveInstrument(target);
    const path = this.#sync(instrument);
    if (path.set(price)) this.#priceChanged(instrument, path);
  }

  /** Queues prices for the next steps of an instrument's path, one per `priceStepMs`. */
  scriptPrices(target: InstrumentTarget, prices: readonly number[]): void {
    const instrument = this.resolveInstrument(target);
    this.#sync(instrument).script(prices);
    this.#watched.add(instrument);
    this.#ensureStepTimer();
  }

  /** Steps the instrument's price on time and emits `price` events for it (market data). */
  watch(target: InstrumentTarget): Instrument {
    const instrument = this.resolveInstrument(target);
    this.#sync(instrument);
    this.#watched.add(instrument);
    this.#ensureStepTimer();
    return instrument;
  }

  /** Stops `watch`. */
  unwatch(target: InstrumentTarget): void {
    this.#watched.delete(this.resolveInstrument(target));
  }

  // ---- accounts -------------------------------------------------------------------------------

  /** Opens an account. Throws RangeError if the id is taken or a currency has no rate. */
  createAccount(options: AccountOptions): string {
    if (this.#accounts.has(options.id)) throw new RangeError(`account ${options.id} already exists`);
    const account = new Account(options);
    for (const currency of [account.currency, ...account.cash.keys()]) {
      if (!this.#rates.has(currency))
        throw new RangeError(`no exchange rate for ${currency}; set one with setExchangeRate()`);
    }
    this.#accounts.set(account.id, { account, executions: new ExecutionLog(this.#retainExecutions) });
    return account.id;
  }

  hasAccount(accountId: string): boolean {
    return this.#accounts.has(accountId);
  }

  accountIds(): string[] {
    return [...this.#accounts.keys()];
  }

  /** Adds (or with a negative amount, withdraws) cash. */
  deposit(accountId: string, amount: number, currency?: string): void {
    if (!Number.isFinite(amount)) throw new RangeError('amount must be a finite number');
    const { account } = this.#entry(accountId);
    const into = currency ?? account.currency;
    if (!this.#rates.has(into)) throw new RangeError(`no exchange rate for ${into}`);
    account.credit(into, amount);
  }

  /** Balance, margin and P&L in the account's currency, at current prices. */
  balance(accountId: string): BalanceSnapshot {
    const { account } = this.#entry(accountId);
    const figures = this.#accountFigures(account);
    const cashByCurrency: Record<string, number> = {};
    for (const [currency, amount] of account.cash) cashByCurrency[currency] = money(amount);
    let realized = 0;
    for (const [currency, amount] of account.realizedPnl)
      realized += this.#rates.convert(amount, currency, account.currency);
    let commissions = 0;
    for (const [currency, amount] of account.commissions)
      commissions += this.#rates.convert(amount, currency, account.currency);
    const available = figures.equity - figures.initial;
    return {
      accountId,
      currency: account.currency,
      cash: money(figures.cash),
      cashByCurrency,
      equity: money(figures.equity),
      initialMargin: money(figures.initial),
      maintenanceMargin: money(figures.maintenance),
      availableFunds: money(available),
      excessLiquidity: money(figures.equity - figures.maintenance),
      buyingPower: money(Math.max(0, available)),
      unrealizedPnl: money(figures.unrealized),
      realizedPnl: money(realized),
      commissions: money(commissions),
    };
  }

  /** Open positions at current prices, in the order they were opened. */
  positions(accountId: string): PositionSnapshot[] {
    const { account } = this.#entry(accountId);
    for (const position of account.positions.values()) this.#sync(position.instrument);
    const result: PositionSnapshot[] = [];
    for (const position of account.positions.values()) {
      const instrument = position.instrument;
      const price = this.#paths.get(instrument)!.price;
      result.push({
        accountId,
        instrument,
        product: position.product,
        quantity: position.quantity,
        averagePrice: position.averagePrice,
        marketPrice: price,
        marketValue: money(position.quantity * price * instrument.multiplier),
        unrealizedPnl: money((price - position.averagePrice) * position.quantity * instrument.multiplier),
        realizedPnl: money(position.realizedPnl),
      });
    }
    return result;
  }

  /** Retained executions of the account with `sequence` above `afterSequence`, oldest first. */
  executions(accountId: string, afterSequence = -1): Execution[] {
    return this.#entry(accountId).executions.since(afterSequence);
  }

  // ---- orders -------------------------------------------------------------------------------

  /**
   * Checks an order without placing it and returns its instrument. Throws core's
   * InvalidSymbolError (unknown symbol) or InvalidOrderError (issues naming each field, each with
   * an `OrderIssue` code; `brokerCode` is the first one's).
   */
  validateOrder(input: OrderInput): Instrument {
    const instrument = this.instruments.resolve(input);
    const issues = findOrderIssues(input, instrument);
    if (issues !== undefined) throw orderIssuesError(issues, this.name);
    return instrument;
  }

  /**
   * Places an order for an account. Invalid input throws before anything reaches the book (see
   * `validateOrder`). Otherwise the order gets an id and is returned:
   *
   * - REJECTED, with `rejection`, when the venue refuses it (injected or random rejection,
   *   insufficient funds, selling what is not held where shorting is impossible);
   * - else SUBMITTED. After `fillDelayMs` (immediately when 0) it reaches the matching engine,
   *   where it fills, rests, or (IOC/FOK) is cancelled; with no delay the returned order may
   *   already be FILLED.
   *
   * Events: `order` (SUBMITTED or REJECTED), then `execution` + `order` per fill.
   */
  placeOrder(accountId: string, input: OrderInput): SimOrder {
    const entry = this.#entry(accountId);
    const instrument = this.validateOrder(input);
    if (input.orderId !== undefined && this.#book.get(accountId, input.orderId) !== undefined) {
      throw orderIssuesError(
        [
          {
            path: 'orderId',
            code: 'DUPLICATE_ORDER_ID',
            message: `order id ${input.orderId} is already used`,
          },
        ],
        this.name,
      );
    }
    if (input.orderId !== undefined) this.#callerChoseIds = true;
    const path = this.#sync(instrument);
    let quantity = input.quantity === undefined ? undefined : roundQuantity(input.quantity, instrument);
    if (quantity === undefined && input.limitPrice !== undefined && input.cashQty !== undefined) {
      quantity = floorToStep(
        input.cashQty / input.limitPrice,
        instrument.lotSize,
        instrument.quantityDecimals,
      );
    }
    if (input.cashQty !== undefined) {
      const estimate =
        quantity ??
        floorToStep(input.cashQty / this.#ask(path), instrument.lotSize, instrument.quantityDecimals);
      if (!(estimate > 0)) {
        throw orderIssuesError(
          [
            {
              path: 'cashQty',
              code: 'CASH_QUANTITY',
              message: `${input.cashQty} buys less than one lot of ${instrument.symbol}`,
            },
          ],
          this.name,
        );
      }
    }
    const order = new WorkingOrder(
      input.orderId ?? this.#newOrderId(),
      input.clientOrderId,
      accountId,
      instrument,
      input.side,
      input.orderType,
      timeInForceOf(input),
      quantity,
      input.cashQty,
      input.limitPrice,
      input.stopPrice,
      input.product ?? instrument.defaultProduct,
      this.clock.now(),
    );

    const rejection = this.#refusal(entry.account, order);
    if (rejection !== undefined) {
      order.status = 'REJECTED';
      order.rejection = rejection;
      order.statusMessage = rejection.reason;
      this.#book.addClosed(order);
      this.#orderListeners.emit(order, undefined);
      return order;
    }
    const check = this.#check;
    order.reservedInitial = Math.max(0, check.initialChange);
    order.reservedMaintenance = Math.max(0, check.maintenanceChange);
    entry.account.reservedInitial += order.reservedInitial;
    entry.account.reservedMaintenance += order.reservedMaintenance;
    this.#book.add(order);
    this.#orderListeners.emit(order, undefined);
    const delay = this.#fillDelayMs + this.faults.delayOf('fill');
    if (delay > 0) this.#schedule('arrive', order, delay);
    else this.#arrive(order);
    return order;
  }

  /**
   * Cancels a working order. With a cancel delay the cancel is `pending` and fills may still
   * happen meanwhile; if the order is final when the cancel arrives, `cancelRejected` is emitted.
   */
  cancelOrder(accountId: string, orderId: string): CancelOutcome {
    this.#entry(accountId);
    const order = this.#book.get(accountId, orderId);
    if (order === undefined) return 'not-found';
    if (!isWorking(order)) return 'already-final';
    if (order.cancelPending) return 'pending';
    const delay = this.#cancelDelayMs + this.faults.delayOf('cancel');
    if (delay === 0) {
      this.#finish(order, 'CANCELLED', 'Cancelled by request');
      return 'cancelled';
    }
    order.cancelPending = true;
    this.#schedule('cancel', order, delay);
    return 'pending';
  }

  /**
   * Changes a working order in place (same id): quantity (above what has filled), prices, type,
   * time in force. Invalid changes throw InvalidOrderError like `placeOrder`; an increase the
   * account cannot afford is `rejected` and leaves the order as it was. A change that makes the
   * order marketable fills it at once.
   */
  modifyOrder(accountId: string, orderId: string, changes: OrderChanges): ModifyOutcome {
    const { account } = this.#entry(accountId);
    const order = this.#book.get(accountId, orderId);
    if (order === undefined) return { status: 'not-found' };
    if (!isWorking(order)) return { status: 'final', order };
    if (order.cancelPending) {
      return {
        status: 'rejected',
        order,
        rejection: {
          code: 'VENUE_REJECTED',
          reason: 'A cancel of this order is pending; it cannot be modified',
        },
      };
    }
    const instrument = order.instrument;
    const orderType = changes.orderType ?? order.orderType;
    const needsLimit = orderType === 'LIMIT' || orderType === 'STOP_LIMIT';
    const needsStop = orderType === 'STOP' || orderType === 'STOP_LIMIT';
    const merged: OrderInput = {
      symbol: instrument.symbol,
      side: order.side,
      orderType,
      tif: changes.tif ?? order.tif,
      quantity: changes.quantity ?? order.quantity,
      cashQty: changes.quantity === undefined && order.quantity === undefined ? order.cashQty : undefined,
      limitPrice: changes.limitPrice ?? (needsLimit ? order.limitPrice : undefined),
      stopPrice: changes.stopPrice ?? (needsStop ? order.stopPrice : undefined),
      product: order.product,
    };
    let issues: OrderIssue[] | undefined = findOrderIssues(merged, instrument);
    if (merged.quantity !== undefined && merged.quantity <= order.filledQuantity) {
      issues = [
        ...(issues ?? []),
        {
          path: 'quantity',
          code: 'ORDER_STATE',
          message: `must be greater than the ${order.filledQuantity} already filled`,
        },
      ];
    }
    if (issues !== undefined) throw orderIssuesError(issues, this.name);

    const previous = {
      orderType: order.orderType,
      tif: order.tif,
      quantity: order.quantity,
      limitPrice: order.limitPrice,
      stopPrice: order.stopPrice,
    };
    order.orderType = orderType;
    order.tif = merged.tif as TimeInForce;
    order.quantity = merged.quantity === undefined ? undefined : roundQuantity(merged.quantity, instrument);
    order.limitPrice = merged.limitPrice;
    order.stopPrice = merged.stopPrice;
    this.#fundsCheck(account, order);
    const check = this.#check;
    const newInitial = Math.max(0, check.initialChange);
    // `available` counts this order's own reserve as free; only an increase needs checking, so
    // that reducing an order always works.
    if (
      newInitial > order.reservedInitial + 1e-9 &&
      newInitial + check.commissionBase > check.available + 1e-9
    ) {
      order.orderType = previous.orderType;
      order.tif = previous.tif;
      order.quantity = previous.quantity;
      order.limitPrice = previous.limitPrice;
      order.stopPrice = previous.stopPrice;
      return {
        status: 'rejected',
        order,
        rejection: this.#insufficientFunds(account, newInitial + check.commissionBase, check.available),
      };
    }
    const newMaintenance = Math.max(0, check.maintenanceChange);
    account.reservedInitial += newInitial - order.reservedInitial;
    account.reservedMaintenance += newMaintenance - order.reservedMaintenance;
    order.reservedInitial = newInitial;
    order.reservedMaintenance = newMaintenance;
    if (orderType !== 'STOP' && orderType !== 'STOP_LIMIT') order.triggered = false;
    else if (previous.stopPrice !== order.stopPrice || previous.orderType !== orderType)
      order.triggered = false;
    order.resting = false;
    order.updatedAt = this.clock.now();
    this.#orderListeners.emit(order, order.status);
    if (order.live) {
      this.#book.unwait(order);
      this.#evaluate(order);
    }
    return { status: 'modified', order };
  }

  /** An order of the account by id (working, or final and still retained). */
  getOrder(accountId: string, orderId: string): SimOrder | undefined {
    this.#entry(accountId);
    return this.#book.get(accountId, orderId);
  }

  /** The most recent retained order of the account with this client order id. */
  findOrderByClientOrderId(accountId: string, clientOrderId: string): SimOrder | undefined {
    this.#entry(accountId);
    return this.#book.byClientOrderId(accountId, clientOrderId);
  }

  /** The account's working orders (SUBMITTED, PARTIALLY_FILLED), oldest first. */
  openOrders(accountId: string): SimOrder[] {
    this.#entry(accountId);
    return this.#book.working(accountId);
  }

  /**
   * What an order would do to the account's margin, by the same model and prices as the check in
   * `placeOrder`. Validates like `placeOrder`; places nothing.
   */
  marginImpact(accountId: string, input: OrderInput): MarginImpactResult {
    const { account } = this.#entry(accountId);
    const instrument = this.validateOrder(input);
    const path = this.#sync(instrument);
    let quantity = input.quantity === undefined ? undefined : roundQuantity(input.quantity, instrument);
    if (quantity === undefined && input.cashQty !== undefined) {
      const price = input.limitPrice ?? this.#ask(path);
      quantity = floorToStep(input.cashQty / price, instrument.lotSize, instrument.quantityDecimals);
    }
    const probe = new WorkingOrder(
      '',
      undefined,
      accountId,
      instrument,
      input.side,
      input.orderType,
      timeInForceOf(input),
      quantity,
      undefined,
      input.limitPrice,
      input.stopPrice,
      input.product ?? instrument.defaultProduct,
      this.clock.now(),
    );
    this.#fundsCheck(account, probe);
    const check = this.#check;
    const figures = this.#computeFigures(account);
    const before: MarginFigures = {
      initialMargin: money(figures.initial),
      maintenanceMargin: money(figures.maintenance),
      equityWithLoan: money(figures.equity),
    };
    const change: MarginFigures = {
      initialMargin: money(check.initialChange),
      maintenanceMargin: money(check.maintenanceChange),
      equityWithLoan: money(-check.commissionBase),
    };
    const sufficient = check.required <= check.available + 1e-9;
    return {
      currency: account.currency,
      initialMargin: money(Math.max(0, check.initialChange)),
      maintenanceMargin: money(Math.max(0, check.maintenanceChange)),
      before,
      change,
      after: {
        initialMargin: money(figures.initial + check.initialChange),
        maintenanceMargin: money(figures.maintenance + check.maintenanceChange),
        equityWithLoan: money(figures.equity - check.commissionBase),
      },
      commission: check.commission,
      commissionCurrency: instrument.currency,
      required: money(check.required),
      available: money(check.available),
      sufficient,
      warnings: sufficient
        ? []
        : [
            `Insufficient funds: the order needs ${money(check.required)} ${account.currency} of initial margin and commission; ${money(check.available)} ${account.currency} is available`,
          ],
    };
  }

  /**
   * Ends the trading session now for instruments closing at `closeUtc` (all when omitted): their
   * working DAY orders expire (CANCELLED). Runs by itself at each session close.
   */
  endSession(closeUtc?: string): void {
    const expiring: WorkingOrder[] = [];
    for (const order of this.#book.allWorking()) {
      if (order.tif !== 'DAY') continue;
      if (closeUtc !== undefined && (order.instrument.sessionCloseUtc ?? this.#sessionCloseUtc) !== closeUtc)
        continue;
      expiring.push(order);
    }
    for (const order of expiring)
      this.#finish(order, 'CANCELLED', 'Expired at the session close (DAY order)');
  }

  // ---- events -------------------------------------------------------------------------------

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends SimulatorEventName>(event: E, listener: SimulatorEvents[E]): () => void {
    const set = this.#listeners(event);
    const typed = listener as unknown as (a: unknown, b: unknown) => void;
    set.add(typed);
    return () => set.remove(typed);
  }

  /** Removes a listener added with `on`. */
  off<E extends SimulatorEventName>(event: E, listener: SimulatorEvents[E]): void {
    this.#listeners(event).remove(listener as unknown as (a: unknown, b: unknown) => void);
  }

  /** Stops every timer the simulator holds (steps, session closes, pending fills and cancels). */
  dispose(): void {
    this.#disposed = true;
    if (this.#stepTimer !== undefined) this.clock.clearTimer(this.#stepTimer);
    this.#stepTimer = undefined;
    for (const session of this.#sessionTimers.values()) {
      if (session.handle !== undefined) this.clock.clearTimer(session.handle);
      session.handle = undefined;
    }
    for (const task of this.#tasks) if (task.handle !== undefined) this.clock.clearTimer(task.handle);
    this.#tasks.clear();
  }

  /** A short description; the simulator's state is not dumped by `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return { simulator: this.name, accounts: this.#accounts.size, instruments: this.instruments.size };
  }

  // ---- internals ----------------------------------------------------------------------------

  #listeners(event: SimulatorEventName): ListenerSet<unknown, unknown> {
    switch (event) {
      case 'order':
        return this.#orderListeners as ListenerSet<unknown, unknown>;
      case 'execution':
        return this.#executionListeners as ListenerSet<unknown, unknown>;
      case 'cancelRejected':
        return this.#cancelRejectedListeners as ListenerSet<unknown, unknown>;
      case 'price':
        return this.#priceListeners as ListenerSet<unknown, unknown>;
      default:
        throw new RangeError(`unknown simulator event ${String(event)}`);
    }
  }

  #entry(accountId: string): AccountEntry {
    const entry = this.#accounts.get(accountId);
    if (entry === undefined)
      throw new RangeError(`unknown account ${accountId}; create it with createAccount()`);
    return entry;
  }

  #newOrderId(): string {
    let id = String(this.#nextOrderId++);
    while (this.#callerChoseIds && this.#book.hasOrderId(id)) id = String(this.#nextOrderId++);
    return id;
  }

  #path(instrument: Instrument): PricePath {
    let path = this.#paths.get(instrument);
    if (path === undefined) {
      path = new PricePath(instrument, this.#random.fork(instrument.key));
      this.#paths.set(instrument, path);
    }
    return path;
  }

  /** Brings an instrument's price up to the current step, matching its waiting orders at each step. */
  #sync(instrument: Instrument): PricePath {
    const path = this.#path(instrument);
    if (this.#priceStepMs === 0) return path;
    const target = Math.floor((this.clock.now() - this.origin) / this.#priceStepMs);
    if (path.step >= target || this.#syncing.has(instrument)) return path;
    this.#syncing.add(instrument);
    try {
      const onTime = this.#watched.has(instrument) || this.#book.waitingOn(instrument) !== undefined;
      let changed = false;
      while (path.step < target) {
        if (!path.advance(this.#randomWalk)) continue;
        if (onTime) this.#priceChanged(instrument, path);
        else changed = true;
      }
      if (changed) this.#priceListeners.emit(instrument, path.price);
    } finally {
      this.#syncing.delete(instrument);
    }
    return path;
  }

  #priceChanged(instrument: Instrument, path: PricePath): void {
    this.#priceListeners.emit(instrument, path.price);
    const waiting = this.#book.waitingOn(instrument);
    if (waiting === undefined) return;
    for (const order of waiting) this.#evaluate(order);
  }

  #bid(path: PricePath): number {
    if (this.#spreadTicks === 0) return path.price;
    return this.#fromTicks(path, Math.max(1, path.ticks - Math.floor(this.#spreadTicks / 2)));
  }

  #ask(path: PricePath): number {
    if (this.#spreadTicks === 0) return path.price;
    return this.#fromTicks(path, path.ticks + Math.ceil(this.#spreadTicks / 2));
  }

  #fromTicks(path: PricePath, ticks: number): number {
    const instrument = path.instrument;
    return Number((ticks * instrument.tickSize).toFixed(instrument.priceDecimals));
  }

  /** The price a market order of `side` trades at now: the touch plus slippage. */
  #marketPrice(path: PricePath, side: 'BUY' | 'SELL'): number {
    if (this.#slippageTicks === 0) return side === 'BUY' ? this.#ask(path) : this.#bid(path);
    const half = side === 'BUY' ? Math.ceil(this.#spreadTicks / 2) : -Math.floor(this.#spreadTicks / 2);
    const slip = side === 'BUY' ? this.#slippageTicks : -this.#slippageTicks;
    return this.#fromTicks(path, Math.max(1, path.ticks + half + slip));
  }

  /** The price the funds check assumes the order trades at. */
  #estimatePrice(order: WorkingOrder, path: PricePath): number {
    switch (order.orderType) {
      case 'LIMIT':
      case 'STOP_LIMIT':
        return order.limitPrice!;
      case 'STOP': {
        const market = this.#marketPrice(path, order.side);
        const stop = order.stopPrice!;
        return order.side === 'BUY' ? Math.max(stop, market) : Math.min(stop, market);
      }
      default:
        return this.#marketPrice(path, order.side);
    }
  }

  /** Brings the prices of the account's positions up to date (this may fill waiting orders). */
  #syncPositions(account: Account): void {
    for (const position of account.positions.values()) this.#sync(position.instrument);
  }

  /** Syncs the account's prices, then computes its figures into `this.#figures`. */
  #accountFigures(account: Account): AccountFigures {
    this.#syncPositions(account);
    return this.#computeFigures(account);
  }

  /**
   * Fills `this.#figures` with the account's equity, cash and margin in its currency, at the
   * prices as they are (call `#syncPositions` first). Pure: no event can run in the middle.
   */
  #computeFigures(account: Account): AccountFigures {
    const figures = this.#figures;
    const rates = this.#rates;
    const base = account.currency;
    let cash = 0;
    for (const [currency, amount] of account.cash) cash += rates.convert(amount, currency, base);
    let equity = cash;
    let initial = account.reservedInitial;
    let maintenance = account.reservedMaintenance;
    let unrealized = 0;
    const margin = this.#marginAfter;
    for (const position of account.positions.values()) {
      const instrument = position.instrument;
      const price = this.#paths.get(instrument)!.price;
      const pnl = rates.convert(
        (price - position.averagePrice) * position.quantity * instrument.multiplier,
        instrument.currency,
        base,
      );
      unrealized += pnl;
      equity +=
        instrument.secType === 'FUT'
          ? pnl
          : rates.convert(position.quantity * price * instrument.multiplier, instrument.currency, base);
      positionMargin(instrument, position.quantity, price, position.product, margin);
      initial += rates.convert(margin.initial, instrument.currency, base);
      maintenance += rates.convert(margin.maintenance, instrument.currency, base);
    }
    figures.cash = cash;
    figures.equity = equity;
    figures.initial = initial;
    figures.maintenance = maintenance;
    figures.unrealized = unrealized;
    return figures;
  }

  /**
   * The pre-trade check, into `this.#check`: the initial and maintenance margin the order adds
   * to the account's requirement (the change of its position's requirement at the estimated
   * price), its commission, and the funds available (equity less the initial margin of positions
   * and of other working orders).
   */
  #fundsCheck(account: Account, order: WorkingOrder): FundsCheck {
    const instrument = order.instrument;
    // Sync first: syncing may fill waiting orders and run listeners, which may use the scratch
    // objects; everything after this point is pure computation.
    this.#syncPositions(account);
    const path = this.#sync(instrument);
    const price = this.#estimatePrice(order, path);
    const quantity =
      order.quantity ??
      floorToStep((order.cashQty ?? 0) / price, instrument.lotSize, instrument.quantityDecimals);
    const remaining = Math.max(0, quantity - order.filledQuantity);
    const held = account.quantityOf(instrument, order.product);
    const signed = order.side === 'BUY' ? remaining : -remaining;
    const before = positionMargin(instrument, held, price, order.product, this.#marginBefore);
    const after = positionMargin(instrument, held + signed, price, order.product, this.#marginAfter);
    const base = account.currency;
    const check = this.#check;
    check.price = price;
    check.quantity = remaining;
    check.initialChange = this.#rates.convert(after.initial - before.initial, instrument.currency, base);
    check.maintenanceChange = this.#rates.convert(
      after.maintenance - before.maintenance,
      instrument.currency,
      base,
    );
    const schedule = commissionScheduleOf(instrument, order.product);
    const value = quantity * price * instrument.multiplier;
    check.commission = Math.max(0, commissionFor(schedule, quantity, value) - order.commission);
    check.commissionBase = this.#rates.convert(check.commission, instrument.currency, base);
    check.required = Math.max(0, check.initialChange) + check.commissionBase;
    const figures = this.#computeFigures(account);
    check.available = figures.equity - figures.initial + order.reservedInitial;
    return check;
  }

  /** Why the venue refuses a new order, if it does; leaves the funds check in `this.#check` when not. */
  #refusal(account: Account, order: WorkingOrder): Rejection | undefined {
    const injected = this.faults.takeOrderRejection();
    if (injected !== undefined) return { code: 'VENUE_REJECTED', reason: injected };
    const instrument = order.instrument;
    if (order.side === 'SELL' && (!instrument.shortable || order.product === 'CNC')) {
      let sellable = account.quantityOf(instrument, order.product);
      for (const other of this.#book.working(order.accountId)) {
        if (other.instrument === instrument && other.side === 'SELL' && other.product === order.product) {
          sellable -= (other.quantity ?? 0) - other.filledQuantity;
        }
      }
      if ((order.quantity ?? 0) > sellable + 1e-12) {
        return {
          code: 'INSUFFICIENT_HOLDINGS',
          reason: `Insufficient holdings: selling ${order.quantity} ${instrument.localSymbol} but ${Math.max(0, sellable)} can be sold (${
            order.product === 'CNC' ? 'delivery (CNC) sells need holdings' : 'short selling is not allowed'
          })`,
        };
      }
    }
    const check = this.#fundsCheck(account, order);
    if (check.required > check.available + 1e-9)
      return this.#insufficientFunds(account, check.required, check.available);
    return undefined;
  }

  #insufficientFunds(account: Account, required: number, available: number): Rejection {
    return {
      code: 'INSUFFICIENT_FUNDS',
      reason: `Insufficient funds: the order needs ${money(required)} ${account.currency} of initial margin and commission but ${money(available)} ${account.currency} is available`,
      required: money(required),
      available: money(available),
      currency: account.currency,
    };
  }

  #schedule(kind: TaskKind, order: WorkingOrder, delayMs: number): void {
    const task: Task = { kind, order, handle: undefined };
    this.#tasks.add(task);
    task.handle = this.clock.setTimer(delayMs, this.#runTask, task);
  }

  #onTask(task: Task): void {
    this.#tasks.delete(task);
    const order = task.order;
    switch (task.kind) {
      case 'arrive':
        this.#arrive(order);
        return;
      case 'cancel':
        order.cancelPending = false;
        if (isWorking(order)) this.#finish(order, 'CANCELLED', 'Cancelled by request');
        else
          this.#cancelRejectedListeners.emit(
            order,
            `Cancel arrived too late: the order is already ${order.status}`,
          );
        return;
      case 'liquidity':
        order.liquidityTimerPending = false;
        if (isWorking(order) && order.live) {
          this.#sync(order.instrument);
          if (isWorking(order)) this.#evaluate(order);
        }
        return;
    }
  }

  #arrive(order: WorkingOrder): void {
    if (!isWorking(order)) return;
    this.#sync(order.instrument);
    if (!isWorking(order)) return;
    order.live = true;
    this.#evaluate(order);
  }

  /** Matches one live working order against the current price. */
  #evaluate(order: WorkingOrder): void {
    if (!isWorking(order) || !order.live) return;
    const instrument = order.instrument;
    const path = this.#paths.get(instrument)!;
    const buy = order.side === 'BUY';
    const type = order.orderType;
    if ((type === 'STOP' || type === 'STOP_LIMIT') && !order.triggered) {
      const stop = order.stopPrice!;
      if (buy ? path.price >= stop : path.price <= stop) {
        order.triggered = true;
        order.resting = false;
      } else {
        this.#wait(order);
        return;
      }
    }
    let price: number;
    if (type === 'MARKET' || type === 'STOP') {
      price = this.#marketPrice(path, order.side);
    } else {
      const limit = order.limitPrice!;
      const touch = buy ? this.#ask(path) : this.#bid(path);
      if (buy ? touch > limit : touch < limit) {
        if (order.tif === 'IOC' || order.tif === 'FOK') {
          this.#finish(order, 'CANCELLED', `${order.tif} order cancelled: the limit price is not marketable`);
        } else {
          order.resting = true;
          this.#wait(order);
        }
        return;
      }
      price = order.resting ? limit : touch;
    }
    if (order.quantity === undefined) {
      const quantity = floorToStep(
        (order.cashQty ?? 0) / price,
        instrument.lotSize,
        instrument.quantityDecimals,
      );
      if (!(quantity > 0)) {
        this.#finish(order, 'CANCELLED', `Cash quantity ${order.cashQty} buys less than one lot at ${price}`);
        return;
      }
      order.quantity = quantity;
    }
    if (order.liquidityTimerPending) {
      // Already took its share of liquidity for this interval.
      this.#wait(order);
      return;
    }
    const remaining = roundQuantity(order.quantity - order.filledQuantity, instrument);
    const cap = instrument.maxFillQuantity ?? this.#maxFillQuantity;
    let available = remaining;
    if (cap < remaining) {
      available = Math.max(
        instrument.lotSize,
        floorToStep(cap, instrument.lotSize, instrument.quantityDecimals),
      );
      if (order.tif === 'FOK' && available < remaining) {
        this.#finish(order, 'CANCELLED', 'FOK order cancelled: it cannot be filled in full at once');
        return;
      }
    }
    this.#fill(order, Math.min(available, remaining), price);
    if (!isWorking(order)) return;
    if (order.tif === 'IOC' || order.tif === 'FOK') {
      this.#finish(order, 'CANCELLED', `${order.tif} order: the unfilled rest is cancelled`);
      return;
    }
    order.liquidityTimerPending = true;
    this.#schedule('liquidity', order, this.#liquidityIntervalMs);
    if (type === 'LIMIT' || type === 'STOP_LIMIT') this.#wait(order);
  }

  #wait(order: WorkingOrder): void {
    this.#book.wait(order);
    this.#ensureStepTimer();
  }

  #fill(order: WorkingOrder, quantity: number, price: number): void {
    const instrument = order.instrument;
    const entry = this.#accounts.get(order.accountId)!;
    const account = entry.account;
    const now = this.clock.now();
    const remainingBefore = (order.quantity ?? quantity) - order.filledQuantity;
    const filled = roundQuantity(order.filledQuantity + quantity, instrument);
    const filledValue = order.filledValue + quantity * price;
    const due = commissionFor(
      commissionScheduleOf(instrument, order.product),
      filled,
      filledValue * instrument.multiplier,
    );
    const commission = Math.max(0, round2(due - order.commission));
    const realized = account.applyFill(instrument, order.product, order.side, quantity, price, commission);
    const previous = order.status;
    order.filledQuantity = filled;
    order.filledValue = filledValue;
    order.averageFillPrice = filled === quantity ? price : filledValue / filled;
    order.commission = round2(order.commission + commission);
    order.executionCount++;
    order.updatedAt = now;
    const complete = filled >= (order.quantity ?? filled);
    order.status = complete ? 'FILLED' : 'PARTIALLY_FILLED';
    // Release the margin held for the part that filled; the position now carries it.
    const share = complete || remainingBefore <= 0 ? 1 : quantity / remainingBefore;
    this.#release(account, order, share);
    const execution: Execution = {
      executionId: `${order.orderId}.${order.executionCount}`,
      sequence: ++this.#executionSequence,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      accountId: order.accountId,
      instrument,
      side: order.side,
      quantity,
      price,
      time: now,
      commission,
      commissionCurrency: instrument.currency,
      realizedPnl: realized,
      cumulativeQuantity: filled,
      averagePrice: order.averageFillPrice,
      product: order.product,
      liquidity: order.resting ? 'added' : 'removed',
    };
    entry.executions.add(execution);
    if (complete) this.#book.close(order);
    if (this.#book.workingCount(order.accountId) === 0) {
      account.reservedInitial = 0;
      account.reservedMaintenance = 0;
    }
    this.#executionListeners.emit(execution, order);
    this.#orderListeners.emit(order, previous);
  }

  #release(account: Account, order: WorkingOrder, share: number): void {
    const initial = share >= 1 ? order.reservedInitial : order.reservedInitial * share;
    const maintenance = share >= 1 ? order.reservedMaintenance : order.reservedMaintenance * share;
    order.reservedInitial -= initial;
    order.reservedMaintenance -= maintenance;
    account.reservedInitial -= initial;
    account.reservedMaintenance -= maintenance;
  }

  /** Ends a working order without a fill (cancel, expiry, IOC/FOK remainder). */
  #finish(order: WorkingOrder, status: 'CANCELLED', message: string): void {
    if (!isWorking(order)) return;
    const { account } = this.#accounts.get(order.accountId)!;
    const previous = order.status;
    order.status = status;
    order.statusMessage = message;
    order.cancelPending = false;
    order.updatedAt = this.clock.now();
    this.#release(account, order, 1);
    this.#book.close(order);
    if (this.#book.workingCount(order.accountId) === 0) {
      account.reservedInitial = 0;
      account.reservedMaintenance = 0;
    }
    this.#orderListeners.emit(order, previous);
  }

  #activeInstruments(): Instrument[] {
    const active = [...this.#watched];
    for (const instrument of this.#book.instrumentsWithWaitingOrders()) {
      if (!this.#watched.has(instrument)) active.push(instrument);
    }
    return active;
  }

  #ensureStepTimer(): void {
    if (this.#stepTimer !== undefined || this.#priceStepMs === 0 || this.#disposed) return;
    const now = this.clock.now();
    const next = this.origin + (Math.floor((now - this.origin) / this.#priceStepMs) + 1) * this.#priceStepMs;
    this.#stepTimer = this.clock.setTimer(next - now, this.#runStep, undefined, true);
  }

  #onStep(): void {
    this.#stepTimer = undefined;
    const active = this.#activeInstruments();
    for (const instrument of active) this.#sync(instrument);
    if (this.#watched.size > 0 || this.#book.instrumentsWithWaitingOrders().next().done === false) {
      this.#ensureStepTimer();
    }
  }

  #onListed(instrument: Instrument): void {
    if (instrument.sessionCloseUtc !== undefined) this.#scheduleSessionClose(instrument.sessionCloseUtc);
  }

  #scheduleSessionClose(close: string): void {
    if (this.#sessionTimers.has(close) || this.#disposed) return;
    const session = { close, handle: undefined as TimerHandle | undefined };
    this.#sessionTimers.set(close, session);
    const now = this.clock.now();
    session.handle = this.clock.setTimer(
      nextSessionClose(now, close) - now,
      this.#runSessionClose,
      session,
      true,
    );
  }

  #onSessionClose(session: { close: string; handle: TimerHandle | undefined }): void {
    this.endSession(session.close);
    if (this.#disposed) return;
    const now = this.clock.now();
    const next = nextSessionClose(now, session.close);
    session.handle = this.clock.setTimer(
      Math.min(next - now, SESSION_PERIOD_MS),
      this.#runSessionClose,
      session,
      true,
    );
  }
}

function nonNegative(value: number, name: string): number {
  if (!(value >= 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}

function isInstrument(value: Instrument | InstrumentQuery): value is Instrument {
  return typeof (value as Instrument).key === 'string' && typeof (value as Instrument).conId === 'number';
}
