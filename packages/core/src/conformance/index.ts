/**
 * @brokerkit/core/conformance: the behavioural suite every broker plugin runs. See the
 * "Conformance suite" section of @brokerkit/core's README.
 */
export type {
  ConformanceFault,
  ConformanceFixtures,
  ConformanceHarness,
  HarnessFactory,
  HarnessOptions,
  MarketController,
} from './harness.js';
export {
  InMemoryBroker,
  type InMemoryBrokerConfig,
  inMemoryBrokerCapabilities,
} from './reference/in-memory-broker.js';
export { createInMemoryHarness, type InMemoryBrokerConstructor } from './reference/in-memory-harness.js';
export { type InMemoryInstrument, InMemoryMarket } from './reference/in-memory-market.js';
export {
  type ConformanceGroupName,
  type ConformanceSuiteOptions,
  conformanceGroups,
  runConformanceSuite,
} from './run-conformance-suite.js';
export type { ConformanceReport, DescribeFunction, SkippedTest, TestFunction } from './suite-context.js';
