import { defineConfig } from 'vitest/config';

// Generous timeouts: CI runs on a loaded 2-core machine; a test's own assertions decide, not the clock.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], passWithNoTests: false, testTimeout: 30_000, hookTimeout: 30_000 },
});
