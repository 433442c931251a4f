import { runConformanceSuite } from '@brokerkit/core/conformance';
import { describe, expect, test } from 'vitest';
import { plugin } from './plugin.js';
import { createTwsSimHarness } from './test-support/tws-sim-harness.js';

const report = runConformanceSuite({
  name: 'ibkr (against tws-sim)',
  capabilities: plugin.capabilities,
  describe,
  test,
  createHarness: createTwsSimHarness,
  testTimeoutMs: 20_000,
});

describe('conformance skips', () => {
  test('only FOK and stop IOC/FOK are skipped, because the plugin does not declare them', () => {
    expect(report.skipped.map((skip) => skip.reason).sort()).toEqual(
      [
        'capabilities do not declare MARKET with FOK',
        'capabilities do not declare LIMIT with FOK',
        'capabilities do not declare LIMIT with FOK',
        'capabilities do not declare STOP with IOC',
        'capabilities do not declare STOP with FOK',
        'capabilities do not declare STOP_LIMIT with IOC',
        'capabilities do not declare STOP_LIMIT with FOK',
      ].sort(),
    );
  });
});
