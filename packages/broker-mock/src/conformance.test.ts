import { runConformanceSuite } from '@brokerkit/core/conformance';
import { describe, expect, test } from 'vitest';
import { createMockHarness } from './harness.js';
import plugin from './index.js';

const report = runConformanceSuite({
  name: 'mock',
  capabilities: plugin.capabilities,
  describe,
  test,
  createHarness: (options) => createMockHarness(options),
});

describe('conformance coverage', () => {
  test('the mock declares enough that only trailing-stop and undeclared stop TIFs are skipped', () => {
    for (const skipped of report.skipped) {
      expect(skipped.reason).toMatch(/STOP(_LIMIT)? with (IOC|FOK)/);
    }
    expect(report.registered - report.skipped.length).toBeGreaterThan(30);
  });
});
