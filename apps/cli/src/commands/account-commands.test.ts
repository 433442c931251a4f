import { afterAll, describe, expect, test } from 'vitest';
import { json, removeTempDirs, runCli } from '../test-support/run-cli.js';

afterAll(removeTempDirs);

describe('balance, positions, orders on the default mock', () => {
  test('balance prints an aligned table with the starting cash', async () => {
    const result = await runCli(['balance']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Account balance');
    expect(result.stdout).toMatch(/^equity\s+1,000,000\.00$/m);
    expect(result.stdout).toMatch(/^buying power\s+[\d,]+\.\d\d$/m);
  });

  test('balance --json has the documented shape', async () => {
    const result = await runCli(['balance', '--json']);
    expect(result.code).toBe(0);
    const body = json<{ broker: string; balance: Record<string, unknown> }>(result);
    expect(body.broker).toBe('mock');
    expect(body.balance).toMatchObject({
      currency: 'USD',
      equity: 1_000_000,
      cash: 1_000_000,
      buyingPower: expect.any(Number),
      marginUsed: expect.any(Number),
      marginAvailable: expect.any(Number),
    });
    expect(body.balance).not.toHaveProperty('raw');
  });

  test('positions on a fresh mock: none, with a note that the mock keeps no state', async () => {
    const result = await runCli(['positions']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No open positions.');
    expect(result.stderr).toContain('keeps no state between commands');
    const asJson = await runCli(['positions', '--json']);
    expect(json(asJson)).toEqual({ broker: 'mock', positions: [] });
    expect(asJson.stderr).toBe('');
  });

  test('orders lists open orders (none on a fresh mock)', async () => {
    const result = await runCli(['orders', '--json']);
    expect(result.code).toBe(0);
    expect(json(result)).toEqual({ broker: 'mock', orders: [] });
    const human = await runCli(['orders']);
    expect(human.stdout).toContain('No open orders.');
  });

  test('mock settings come from --set: a smaller account in another currency', async () => {
    const result = await runCli([
      'balance',
      '--json',
      '--set',
      'initialBalance=25000',
      '--set',
      'currency=EUR',
    ]);
    expect(result.code).toBe(0);
    expect(json<{ balance: { equity: number; currency: string } }>(result).balance).toMatchObject({
      equity: 25_000,
      currency: 'EUR',
    });
  });
});
