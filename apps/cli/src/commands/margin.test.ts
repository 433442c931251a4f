import { afterAll, describe, expect, test } from 'vitest';
import { json, removeTempDirs, runCli } from '../test-support/run-cli.js';

afterAll(removeTempDirs);

describe('margin', () => {
  test('shows the margin an order would need, without placing it', async () => {
    const result = await runCli(['margin', 'AAPL', 'buy', '100', '--type', 'limit', '--limit', '200']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Margin impact of BUY 100 AAPL LIMIT @ 200.00 DAY');
    expect(result.stdout).toContain('not placed');
    expect(result.stdout).toMatch(/^initial margin\s+[\d,]+\.\d\d$/m);
    expect(result.stdout).toMatch(/^maintenance margin\s+[\d,]+\.\d\d$/m);
  });

  test('--json: the normalized order and the impact', async () => {
    const result = await runCli(['margin', 'AAPL', 'buy', '100', '--json']);
    expect(result.code).toBe(0);
    const body = json<{
      broker: string;
      order: Record<string, unknown>;
      marginImpact: Record<string, unknown>;
    }>(result);
    expect(body.broker).toBe('mock');
    expect(body.order).toEqual({
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 100,
      orderType: 'MARKET',
      tif: 'DAY',
    });
    expect(body.marginImpact).toMatchObject({
      currency: 'USD',
      initialMargin: expect.any(Number),
      maintenanceMargin: expect.any(Number),
      warnings: expect.any(Array),
    });
    expect(body.marginImpact.initialMargin).toBeGreaterThan(0);
  });

  test('takes the same flags as order place, with the same validation', async () => {
    const result = await runCli(['margin', 'AAPL', 'buy', '100', '--type', 'stop']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('stopPrice: required for STOP orders');
    expect(result.stderr).toContain('--stop');
  });
});
