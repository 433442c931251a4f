import { runConformanceSuite } from '@brokerkit/core/conformance';
import { describe, expect, test } from 'vitest';
import { plugin } from './plugin.js';
import { createKiteSimHarness } from './test-support/kite-sim-harness.js';

const report = runConformanceSuite({
  name: 'zerodha',
  capabilities: plugin.capabilities,
  describe,
  test,
  createHarness: createKiteSimHarness,
});

describe('conformance skips', () => {
  test('tests are skipped only for time-in-force values the plugin does not declare', () => {
    const undeclared = /^capabilities do not declare (MARKET|LIMIT|STOP|STOP_LIMIT) with (GTC|FOK|IOC)$/;
    for (const skipped of report.skipped) {
      const match = undeclared.exec(skipped.reason);
      expect(match, `${skipped.test}: ${skipped.reason}`).not.toBeNull();
      const [, orderType, tif] = match!;
      expect(plugin.capabilities.timeInForce[orderType as 'LIMIT']).not.toContain(tif);
    }
    // GTC and FOK for the four types, IOC for the two stops.
    expect(report.skipped).toHaveLength(14);
  });
});
