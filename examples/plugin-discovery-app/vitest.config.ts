import { defineConfig } from 'vitest/config';

// Generous timeouts: the first test imports the plugin graph, which is slow on a loaded 2-core CI machine.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 30_000 } });
