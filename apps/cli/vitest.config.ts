import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    passWithNoTests: false,
    // The tests run the built CLI as a subprocess; each spawn costs a Node start-up.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
