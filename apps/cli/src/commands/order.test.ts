import { afterAll, describe, expect, test } from 'vitest';
import { json, removeTempDirs, runCli } from '../test-support/run-cli.js';

afterAll(removeTempDirs);

interface PlaceJson {
  broker: string;
  order: Record<string, unknown> & { orderId: string; clientOrderId: string; status: string };
  fills: Record<string, unknown>[];
}

describe('order place', () => {
  test('a market order is acknowledged with its ids', async () => {
    const result = await runCli(['order', 'place', 'AAPL', 'buy', '10', '--json']);
    expect(result.code).toBe(0);
    const body = json<PlaceJson>(result);
    expect(body.broker).toBe('mock');
    expect(body.order).toMatchObject({
      orderId: expect.any(String),
      clientOrderId: expect.any(String),
      status: 'SUBMITTED',
    });
    expect(body.order.createdAt).toEqual(expect.any(Number));
    expect(body.fills).toEqual([]);
  });

  test('--wait follows the order to its fill, reported through events', async () => {
    const result = await runCli([
      'order',
      'place',
      'AAPL',
      'buy',
      '10',
      '--wait',
      '10',
      '--json',
      '--set',
      'fillDelaySeconds=0.2',
    ]);
    expect(result.code).toBe(0);
    const body = json<PlaceJson>(result);
    expect(body.order).toMatchObject({ status: 'FILLED', filledQuantity: 10, symbol: 'AAPL', side: 'BUY' });
    expect(body.order.averageFillPrice).toBeGreaterThan(0);
    expect(body.fills.length).toBeGreaterThan(0);
    expect(body.fills.reduce((sum, fill) => sum + Number(fill.quantity), 0)).toBe(10);
  });

  test('human output shows the order and each fill as it arrives', async () => {
    const result = await runCli([
      'order',
      'place',
      'AAPL',
      'buy',
      '5',
      '--wait',
      '10',
      '--set',
      'fillDelaySeconds=0.2',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^status\s+FILLED$/m);
    expect(result.stdout).toMatch(/^filled\s+5$/m);
    expect(result.stderr).toMatch(/fill BUY 5 AAPL @ [\d,.]+/);
  });

  test('a resting limit order, with my client order id, stays SUBMITTED', async () => {
    const result = await runCli([
      'order',
      'place',
      'AAPL',
      'buy',
      '10',
      '--type',
      'limit',
      '--limit',
      '1',
      '--tif',
      'gtc',
      '--client-order-id',
      'my-order-1',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(json<PlaceJson>(result).order).toMatchObject({ clientOrderId: 'my-order-1', status: 'SUBMITTED' });
  });

  test('an unknown symbol is refused by the broker: exit code 4 and one error line', async () => {
    const result = await runCli(['order', 'place', 'INVALID', 'buy', '10']);
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*INVALID.* \(hint: .+\)$/);
  });

  test('an unknown symbol under --json gives the error object with its code', async () => {
    const result = await runCli(['order', 'place', 'INVALID', 'buy', '10', '--json']);
    expect(result.code).toBe(4);
    expect(json(result)).toMatchObject({
      error: { code: 'INVALID_SYMBOL', exitCode: 4, message: expect.stringContaining('INVALID') },
    });
  });

  test('LIMIT without --limit is a usage error (exit 2) that names the flag, before connecting', async () => {
    const result = await runCli(['order', 'place', 'AAPL', 'buy', '10', '--type', 'limit', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: .*limitPrice: required for LIMIT orders.*--limit/);
    expect(json(result)).toMatchObject({
      error: {
        code: 'INVALID_ORDER',
        exitCode: 2,
        issues: [{ path: 'limitPrice', message: 'required for LIMIT orders' }],
      },
    });
  });

  test('bad numbers, sides and missing quantities are usage errors', async () => {
    const notNumber = await runCli(['order', 'place', 'AAPL', 'buy', 'ten']);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('error: <quantity> must be a number, got "ten"');

    const badSide = await runCli(['order', 'place', 'AAPL', 'hold', '10']);
    expect(badSide.code).toBe(2);
    expect(badSide.stderr).toContain('side: must be one of "BUY", "SELL"');

    const noQuantity = await runCli(['order', 'place', 'AAPL', 'buy']);
    expect(noQuantity.code).toBe(2);
    expect(noQuantity.stderr).toContain('give either quantity or cashQty');
  });

  test('an option needs its contract fields', async () => {
    const result = await runCli(['order', 'place', 'SPY', 'buy', '1', '--sec-type', 'opt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--expiry.*--strike.*--right|strike/);
  });

  test('rejections, insufficient funds and unsupported combinations have their own exit codes', async () => {
    const rejected = await runCli([
      'order',
      'place',
      'AAPL',
      'buy',
      '1',
      '--set',
      'rejectionRate=1',
      '--json',
    ]);
    expect(rejected.code).toBe(4);
    expect(json(rejected)).toMatchObject({ error: { code: 'ORDER_REJECTED', exitCode: 4 } });
    expect(rejected.stderr).toMatch(/^error: .*rejected.*\(hint: .+\)$/m);

    const tooBig = await runCli(['order', 'place', 'AAPL', 'buy', '100000000', '--json']);
    expect(tooBig.code).toBe(4);
    expect(json(tooBig)).toMatchObject({ error: { code: 'INSUFFICIENT_FUNDS' } });

    const unsupported = await runCli([
      'order',
      'place',
      'AAPL',
      'buy',
      '10',
      '-t',
      'stop',
      '-s',
      '300',
      '--tif',
      'ioc',
    ]);
    expect(unsupported.code).toBe(6);
    expect(unsupported.stderr).toContain('does not support tif IOC on STOP orders');
  });

  test('a broker that cannot be reached: exit code 3 with the reason', async () => {
    const result = await runCli(['order', 'place', 'AAPL', 'buy', '1', '--set', 'unreachable=true']);
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toMatch(/^error: .+ \(hint: .+\)$/);
  });
});

describe('order status, cancel, modify on the mock', () => {
  test('an order from another command is unknown: exit 7, and the hint explains the mock keeps no state', async () => {
    for (const args of [
      ['order', 'status', '1'],
      ['order', 'cancel', '1'],
      ['order', 'modify', '1', '--limit', '100'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(7);
      expect(result.stderr.trim()).toMatch(
        /^error: .+\(hint: the mock broker .*keeps no state between commands.*brokerkit demo.*\)$/,
      );
    }
  });

  test('the help of order status tells mock users about the missing state', async () => {
    const result = await runCli(['order', 'status', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('keeps no state');
  });

  test('order modify with nothing to change is a usage error', async () => {
    const result = await runCli(['order', 'modify', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing to modify');
  });
});
