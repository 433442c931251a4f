import type { BrokerCapabilities } from '../capabilities.js';
import { accountTests } from './groups/account.js';
import { connectionTests } from './groups/connection.js';
import { eventTests } from './groups/events.js';
import { idempotencyTests } from './groups/idempotency.js';
import { manifestTests } from './groups/manifest.js';
import { marginTests } from './groups/margin.js';
import { orderTests } from './groups/orders.js';
import { reconnectTests } from './groups/reconnect.js';
import { rejectionTests } from './groups/rejections.js';
import { timeoutTests } from './groups/timeouts.js';
import type { HarnessFactory } from './harness.js';
import {
  type ConformanceReport,
  type DescribeFunction,
  SuiteContext,
  type TestFunction,
} from './suite-context.js';

/** The groups of the suite, in the order they run. Each can also be run alone. */
export const conformanceGroups = {
  manifest: manifestTests,
  connection: connectionTests,
  account: accountTests,
  orders: orderTests,
  rejections: rejectionTests,
  margin: marginTests,
  idempotency: idempotencyTests,
  events: eventTests,
  timeouts: timeoutTests,
  reconnect: reconnectTests,
} as const;

export type ConformanceGroupName = keyof typeof conformanceGroups;

export interface ConformanceSuiteOptions {
  /** Shown in the suite's title: `brokerkit conformance: mock`. */
  name: string;
  /** The capabilities the plugin declares (`plugin.capabilities`); they decide what runs. */
  capabilities: BrokerCapabilities;
  /** Returns a fresh, isolated, unconnected broker with its market controller and fixtures. */
  createHarness: HarnessFactory;
  describe: DescribeFunction;
  test: TestFunction;
  /** Run only these groups (default: all). */
  groups?: ConformanceGroupName[];
  /** Per-test timeout handed to the runner, in ms. Default 30,000. */
  testTimeoutMs?: number;
}

/**
 * Registers the brokerkit conformance suite with your test runner. Tests are skipped only when
 * the plugin's declared capabilities rule them out; the returned report lists each skip and why.
 *
 * @example
 * import { describe, test } from 'vitest';
 * import { runConformanceSuite } from '@brokerkit/core/conformance';
 * import plugin, { createMockHarness } from '../src/index.js';
 *
 * runConformanceSuite({ name: 'mock', capabilities: plugin.capabilities, describe, test, createHarness: createMockHarness });
 */
export function runConformanceSuite(options: ConformanceSuiteOptions): ConformanceReport {
  const context = new SuiteContext(
    options.capabilities,
    options.test,
    options.createHarness,
    options.testTimeoutMs ?? 30_000,
  );
  const selected = options.groups ?? (Object.keys(conformanceGroups) as ConformanceGroupName[]);
  options.describe(`brokerkit conformance: ${options.name}`, () => {
    for (const name of selected) {
      options.describe(name, () => conformanceGroups[name](context));
    }
  });
  return context.report;
}
