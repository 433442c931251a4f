import { afterAll, describe, expect, test } from 'vitest';
import { json, removeTempDirs, runCli } from '../test-support/run-cli.js';

afterAll(removeTempDirs);

interface DemoJson {
  broker: string;
  ok: boolean;
  durationMs: number;
  steps: (Record<string, unknown> & { step: string; durationMs: number })[];
}

describe('demo', () => {
  test('runs the whole scripted session on the mock in a few seconds', async () => {
    const started = Date.now();
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const out = result.stdout;
    for (const line of [
      'brokerkit demo on mock',
      '✔ connected',
      '✔ balance',
      '✔ placed MARKET BUY 10 AAPL',
      '✔ positions',
      '✔ placed LIMIT BUY 10 AAPL',
      '✔ margin impact of BUY 100 AAPL',
      '✔ modified order',
      '✔ cancelled order',
      '✔ disconnected',
    ]) {
      expect(out).toContain(line);
    }
    expect(out).toMatch(/fill BUY 10 AAPL @ [\d,.]+/);
    expect(out).toMatch(/order \S+ FILLED: 10 @ [\d,.]+, seen through fill events/);
    expect(out).toMatch(/cancelled order \S+: CANCELLED/);
  });

  test('--json lists every step with its result', async () => {
    const result = await runCli(['demo', '--json']);
    expect(result.code).toBe(0);
    const body = json<DemoJson>(result);
    expect(body).toMatchObject({ broker: 'mock', ok: true, durationMs: expect.any(Number) });
    expect(body.steps.map((step) => step.step)).toEqual([
      'connect',
      'balance',
      'placeMarketOrder',
      'watchFill',
      'positions',
      'placeLimitOrder',
      'marginImpact',
      'modifyLimitOrder',
      'cancelLimitOrder',
      'disconnect',
    ]);
    const step = (name: string) => body.steps.find((entry) => entry.step === name)!;
    expect(step('watchFill').order).toMatchObject({ status: 'FILLED', filledQuantity: 10 });
    expect((step('watchFill').fills as unknown[]).length).toBeGreaterThan(0);
    expect(step('positions').positions).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: 10 })]);
    expect(step('placeLimitOrder').order).toMatchObject({ status: 'SUBMITTED' });
    const limit = (step('placeLimitOrder').request as { limitPrice: number }).limitPrice;
    expect((step('modifyLimitOrder').order as { limitPrice: number }).limitPrice).toBeGreaterThan(limit);
    expect(step('cancelLimitOrder')).toMatchObject({ cancelled: true, order: { status: 'CANCELLED' } });
  });

  // The IBKR plugin and tws-sim sit next to the CLI here (its devDependencies), as they would next
  // to a global install: the same script runs through the real plugin against a simulated TWS.
  test('--broker ibkr runs the same session through broker-ibkr against an in-process tws-sim', async () => {
    const result = await runCli(['demo', '--broker', 'ibkr', '--json'], { timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const demo = json<DemoJson>(result);
    expect(demo).toMatchObject({ broker: 'ibkr', ok: true });
    const step = (name: string) => demo.steps.find((entry) => entry.step === name)!;
    expect(step('watchFill').order).toMatchObject({ status: 'FILLED', filledQuantity: 10 });
    expect(step('placeLimitOrder').order).toMatchObject({ status: 'SUBMITTED' });
    expect(step('cancelLimitOrder')).toMatchObject({ cancelled: true, order: { status: 'CANCELLED' } });
  });

  test('--broker zerodha runs the same session through broker-zerodha against an in-process kite-sim', async () => {
    const result = await runCli(['demo', '--broker', 'zerodha', '--json'], { timeoutMs: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const demo = json<DemoJson>(result);
    expect(demo).toMatchObject({ broker: 'zerodha', ok: true });
    const step = (name: string) => demo.steps.find((entry) => entry.step === name)!;
    expect(step('watchFill').order).toMatchObject({ status: 'FILLED', filledQuantity: 1 });
    expect(step('placeLimitOrder').order).toMatchObject({ status: 'SUBMITTED' });
    expect(step('cancelLimitOrder')).toMatchObject({ cancelled: true, order: { status: 'CANCELLED' } });
  });

  test('a broker without a demo target is a usage error', async () => {
    const result = await runCli(['demo', '--broker', 'nosuch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/there is no demo for broker "nosuch".*mock, ibkr, zerodha/);
  });
});
