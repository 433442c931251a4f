import { EventEmitter } from 'node:events';
import type { Contract, ContractDetails, IBApi, IBApiCreationOptions, Order, OrderState } from '@stoqey/ib';

/** One call the plugin made on a fake IBApi. */
export interface SentCall {
  clientId: number;
  method: string;
  args: unknown[];
}

/** What the fake TWS does with a PLACE_ORDER; the default acknowledges it as Submitted. */
export type PlaceBehaviour = (api: FakeIbApi, orderId: number, contract: Contract, order: Order) => void;

/**
 * A scriptable stand-in for TWS at the level of @stoqey/ib's IBApi events, for unit tests of the
 * plugin's own logic (handshake, correlation, reconnection). End-to-end behaviour is tested
 * against tws-sim.
 */
export class FakeTws {
  accounts = ['DU111111'];
  nextValidId = 1000;
  refuse = false;
  /** Client ids held by another program. */
  readonly heldClientIds = new Set<number>();
  readonly sent: SentCall[] = [];
  readonly apis: FakeIbApi[] = [];
  readonly orders = new Map<number, { contract: Contract; order: Order; status: string; clientId: number }>();
  contracts = new Map<string, ContractDetails[]>([
    [
      'AAPL',
      [
        {
          contract: {
            conId: 265598,
            symbol: 'AAPL',
            secType: 'STK' as never,
            exchange: 'SMART',
            currency: 'USD',
          },
        },
      ],
    ],
  ]);
  onPlace: PlaceBehaviour = (api, orderId, contract, order) =>
    api.acknowledge(orderId, contract, order, 'Submitted');
  /** Withhold answers (a stalled TWS). */
  stall = false;

  readonly factory = (options: IBApiCreationOptions): IBApi => {
    const api = new FakeIbApi(this, options);
    this.apis.push(api);
    return api as unknown as IBApi;
  };

  /** The api of the live connection. */
  get current(): FakeIbApi {
    const live = this.apis.filter((api) => api.connected);
    const api = live[live.length - 1];
    if (api === undefined) throw new Error('no live connection');
    return api;
  }

  calls(method: string): SentCall[] {
    return this.sent.filter((call) => call.method === method);
  }
}

const later = (fn: () => void) => setImmediate(fn);

/** A fake IBApi bound to a FakeTws. */
export class FakeIbApi extends EventEmitter {
  connected = false;
  clientId = -1;

  constructor(
    readonly tws: FakeTws,
    readonly options: IBApiCreationOptions,
  ) {
    super();
    // EventEmitter throws on 'error' without listeners; IBApi's emitter does not.
    this.on('error', () => {});
  }

  #record(method: string, args: unknown[]): void {
    this.tws.sent.push({ clientId: this.clientId, method, args });
  }

  connect(clientId: number): this {
    this.clientId = clientId;
    later(() => {
      if (this.tws.refuse) {
        this.emit(
          'error',
          new Error(`connect ECONNREFUSED ${this.options.host}:${this.options.port}`),
          502,
          -1,
        );
        this.emit('disconnected');
        return;
      }
      if (
        this.tws.heldClientIds.has(clientId) ||
        this.tws.apis.some((api) => api !== this && api.connected && api.clientId === clientId)
      ) {
        this.emit(
          'info',
          'Unable to connect as the client id is already in use. Retry with a unique client id.',
          326,
        );
        this.emit('disconnected');
        return;
      }
      this.connected = true;
      this.emit('managedAccounts', this.tws.accounts.join(','));
      this.emit('nextValidId', this.tws.nextValidId);
      this.emit('info', 'Market data farm connection is OK:usfarm', 2104);
      this.emit('info', 'HMDS data farm connection is OK:ushmds', 2106);
      this.emit('info', 'Sec-def data farm connection is OK:secdefnj', 2158);
    });
    return this;
  }

  disconnect(): this {
    if (this.connected) {
      this.connected = false;
      later(() => this.emit('disconnected'));
    }
    return this;
  }

  /** The server drops the socket. */
  drop(): void {
    this.connected = false;
    this.emit('disconnected');
  }

  acknowledge(orderId: number, contract: Contract, order: Order, status: string, filled = 0): void {
    this.tws.orders.set(orderId, { contract, order, status, clientId: this.clientId });
    this.emit('openOrder', orderId, contract, { ...order, orderId, permId: 5000 + orderId }, {
      status,
    } as OrderState);
    const total = order.totalQuantity ?? 0;
    this.emit(
      'orderStatus',
      orderId,
      status,
      filled,
      total - filled,
      0,
      5000 + orderId,
      0,
      0,
      this.clientId,
      '',
      0,
    );
  }

  placeOrder(orderId: number, contract: Contract, order: Order): this {
    this.#record('placeOrder', [orderId, contract, order]);
    if (this.tws.stall) return this;
    later(() => this.tws.onPlace(this, orderId, contract, order));
    return this;
  }

  cancelOrder(orderId: number): this {
    this.#record('cancelOrder', [orderId]);
    later(() => {
      const known = this.tws.orders.get(orderId);
      if (known === undefined) {
        this.emit(
          'error',
          new Error(`OrderId ${orderId} that needs to be cancelled is not found.`),
          10147,
          orderId,
        );
        return;
      }
      if (['Filled', 'Cancelled', 'Inactive'].includes(known.status)) {
        this.emit(
          'error',
          new Error(
            `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${known.status}.`,
          ),
          10148,
          orderId,
        );
        return;
      }
      known.status = 'Cancelled';
      this.emit(
        'orderStatus',
        orderId,
        'Cancelled',
        0,
        known.order.totalQuantity ?? 0,
        0,
        5000 + orderId,
        0,
        0,
        this.clientId,
        '',
        0,
      );
      this.emit('error', new Error('Order Canceled - reason:'), 202, orderId);
    });
    return this;
  }

  reqOpenOrders(): this {
    this.#record('reqOpenOrders', []);
    if (this.tws.stall) return this;
    later(() => {
      for (const [orderId, known] of this.tws.orders) {
        if (known.clientId !== this.clientId || ['Filled', 'Cancelled', 'Inactive'].includes(known.status))
          continue;
        this.emit('openOrder', orderId, known.contract, { ...known.order, orderId, permId: 5000 + orderId }, {
          status: known.status,
        } as OrderState);
      }
      this.emit('openOrderEnd');
    });
    return this;
  }

  reqExecutions(reqId: number, filter: unknown): this {
    this.#record('reqExecutions', [reqId, filter]);
    later(() => this.emit('execDetailsEnd', reqId));
    return this;
  }

  reqContractDetails(reqId: number, contract: Contract): this {
    this.#record('reqContractDetails', [reqId, contract]);
    if (this.tws.stall) return this;
    later(() => {
      const rows = this.tws.contracts.get(contract.symbol ?? '');
      if (rows === undefined) {
        this.emit('error', new Error('No security definition has been found for the request'), 200, reqId);
        return;
      }
      for (const row of rows) this.emit('contractDetails', reqId, row);
      this.emit('contractDetailsEnd', reqId);
    });
    return this;
  }

  reqAccountSummary(reqId: number, group: string, tags: string): this {
    this.#record('reqAccountSummary', [reqId, group, tags]);
    if (this.tws.stall) return this;
    later(() => {
      const values: Record<string, string> = {
        NetLiquidation: '100000.00',
        TotalCashValue: '90000.00',
        BuyingPower: '400000.00',
        InitMarginReq: '2500.00',
        MaintMarginReq: '2000.00',
        AvailableFunds: '97500.00',
        ExcessLiquidity: '98000.00',
        EquityWithLoanValue: '100000.00',
      };
      for (const account of this.tws.accounts) {
        for (const [tag, value] of Object.entries(values))
          this.emit('accountSummary', reqId, account, tag, value, 'USD');
      }
      this.emit('accountSummaryEnd', reqId);
    });
    return this;
  }

  cancelAccountSummary(reqId: number): this {
    this.#record('cancelAccountSummary', [reqId]);
    return this;
  }

  reqPositions(): this {
    this.#record('reqPositions', []);
    if (this.tws.stall) return this;
    later(() => {
      this.emit(
        'position',
        this.tws.accounts[0],
        { conId: 1, symbol: 'ES', secType: 'FUT', currency: 'USD', multiplier: 50 },
        2,
        250_000,
      );
      this.emit(
        'position',
        this.tws.accounts[0],
        { conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'NASDAQ', currency: 'USD' },
        0,
        0,
      );
      this.emit('position', 'OTHER', { conId: 2, symbol: 'MSFT', secType: 'STK', currency: 'USD' }, 5, 400);
      this.emit('positionEnd');
    });
    return this;
  }

  cancelPositions(): this {
    this.#record('cancelPositions', []);
    return this;
  }

  reqIds(): this {
    this.#record('reqIds', []);
    return this;
  }

  reqManagedAccts(): this {
    this.#record('reqManagedAccts', []);
    later(() => this.emit('managedAccounts', this.tws.accounts.join(',')));
    return this;
  }
}
