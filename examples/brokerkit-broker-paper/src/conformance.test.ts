import { createInMemoryHarness, runConformanceSuite } from '@brokerkit/core/conformance';
import { describe, test } from 'vitest';
import plugin from './index.js';

// What a third-party author runs: the suite, driven by the plugin's declared capabilities.
runConformanceSuite({
  name: 'paper (third-party example)',
  capabilities: plugin.capabilities,
  describe,
  test,
  createHarness: (options) => createInMemoryHarness(options),
});
