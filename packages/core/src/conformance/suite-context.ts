import assert from 'node:assert/strict';
import type { Broker } from '../broker.js';
import type { BrokerCapabilities } from '../capabilities.js';
import type { OrderStatus } from '../schemas/enums.js';
import type { OrderRecord } from '../schemas/order-record.js';
import type { OrderRequest } from '../schemas/order-request.js';
import type { ConformanceHarness, HarnessFactory, HarnessOptions } from './harness.js';

/** The runner's test function (vitest's `test`/`it`, node:test's `test`, ...). */
export interface TestFunction {
  (name: string, fn: () => Promise<void>, timeout?: number): void;
  skip?: (name: string, fn?: () => Promise<void>) => void;
}

/** The runner's `describe`. */
export type DescribeFunction = (name: string, fn: () => void) => void;

/** A test the suite did not run, and the declared capability that ruled it out. */
export interface SkippedTest {
  group: string;
  test: string;
  reason: string;
}

/** What the suite registered, so a plugin's test can print or assert the skips. */
export interface ConformanceReport {
  registered: number;
  skipped: SkippedTest[];
}

/** A capability requirement: when `met` is false the test is skipped with `reason`. */
export interface Requirement {
  met: boolean;
  reason: string;
}

/** Shared state and helpers of one suite run; groups register their tests through it. */
export class SuiteContext {
  readonly report: ConformanceReport = { registered: 0, skipped: [] };

  constructor(
    readonly capabilities: BrokerCapabilities,
    private readonly test: TestFunction,
    private readonly createHarness: HarnessFactory,
    private readonly testTimeoutMs: number,
  ) {}

  /** Registers a test that runs with a fresh harness (connected unless `connect: false`). */
  declare(
    group: string,
    name: string,
    body: (harness: ConformanceHarness) => Promise<void>,
    options: { requires?: Requirement[]; harness?: HarnessOptions; connect?: boolean } = {},
  ): void {
    const unmet = (options.requires ?? []).filter((requirement) => !requirement.met);
    this.report.registered++;
    if (unmet.length > 0) {
      const reason = unmet.map((requirement) => requirement.reason).join('; ');
      this.report.skipped.push({ group, test: name, reason });
      const label = `${name} [skipped: ${reason}]`;
      if (this.test.skip !== undefined) this.test.skip(label, async () => {});
      return;
    }
    this.test(
      name,
      async () => {
        const harness = await this.createHarness(options.harness ?? {});
        try {
          if (options.connect !== false) await harness.broker.connect();
          await body(harness);
        } finally {
          await harness.broker.disconnect().catch(() => {});
          await harness.cleanup?.();
        }
      },
      this.testTimeoutMs,
    );
  }
}

/** Rounds a price to a multiple of `tick`, without binary-fraction noise. */
export function roundToTick(price: number, tick: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(tick)) + 1);
  return Number((Math.round(price / tick) * tick).toFixed(decimals));
}

/** An order of the fixture instrument. */
export function orderOf(harness: ConformanceHarness, fields: Omit<OrderRequest, 'symbol'>): OrderRequest {
  return { ...harness.fixtures.instrument, ...fields } as OrderRequest;
}

/**
 * Lets market time pass until `check` holds, giving the event loop a turn between steps. Fails
 * with `description` after `maxSteps`.
 */
export async function eventually(
  harness: ConformanceHarness,
  description: string,
  check: () => Promise<boolean> | boolean,
  maxSteps = 50,
): Promise<void> {
  const step = Math.max(10, Math.ceil(harness.fixtures.fillTimeMs / 10));
  for (let attempt = 0; attempt < maxSteps; attempt++) {
    if (await check()) return;
    await harness.market.advanceTime(step);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (await check()) return;
  assert.fail(`timed out waiting until ${description}`);
}

/** Waits until the order reaches one of `statuses`; returns its record. */
export async function waitForStatus(
  harness: ConformanceHarness,
  orderId: string,
  statuses: OrderStatus[],
): Promise<OrderRecord> {
  let record: OrderRecord | undefined;
  await eventually(
    harness,
    `order ${orderId} is ${statuses.join(' or ')} (last seen ${record?.status})`,
    async () => {
      record = await harness.broker.getOrder(orderId);
      return statuses.includes(record.status);
    },
  );
  return record!;
}

/** Asserts that a promise rejects with an error of the given brokerkit class. */
export async function rejectsWith(
  promise: Promise<unknown>,
  errorClass: { isInstance(value: unknown): boolean; name: string },
  what: string,
): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    assert.ok(
      errorClass.isInstance(error),
      `${what}: expected ${errorClass.name}, got ${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message}`,
    );
    return error;
  }
  assert.fail(`${what}: expected ${errorClass.name}, but it succeeded`);
}

/** Connected brokers only: fails fast with a readable message. */
export function assertConnected(broker: Broker): void {
  assert.equal(broker.isConnected(), true, 'broker should be connected');
}
