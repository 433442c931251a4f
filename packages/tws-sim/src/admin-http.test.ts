import { EventName } from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { startAdminEndpoint } from './admin-http.js';
import { startTwsSim, type TwsSim } from './start-tws-sim.js';
import { IbHarness } from './test-support/ib-harness.js';

let sim: TwsSim | undefined;
let client: IbHarness | undefined;

afterEach(async () => {
  client?.disconnect();
  client = undefined;
  await sim?.close();
  sim = undefined;
});

async function call(path: string, body?: unknown, method = 'POST') {
  const response = await fetch(`http://127.0.0.1:${sim!.adminPort}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('admin endpoint (loopback HTTP in front of the control API)', () => {
  test('status, notices, prices and scripted rejects over HTTP', async () => {
    sim = await startTwsSim({ clock: 'virtual', adminPort: 0, simulatorOptions: { priceStepMs: 0 } });
    client = await IbHarness.connect(sim, 1);
    expect(await call('/status', undefined, 'GET')).toEqual({
      status: 200,
      body: { sessions: [expect.objectContaining({ clientId: 1, state: 'ready' })], orders: 0 },
    });
    const mark = client.mark();
    expect(await call('/notice', { code: 1100 })).toEqual({ status: 200, body: { sent: 1 } });
    await client.waitFor((event) => event.name === EventName.info && event.args[1] === 1100, { from: mark });
    expect(await call('/price', { symbol: 'AAPL', price: 201.5 })).toEqual({
      status: 200,
      body: { symbol: 'AAPL', price: 201.5 },
    });
    expect(sim.control.price('AAPL')).toBe(201.5);
    expect((await call('/reject-next-order', { reason: 'No Trading Permission' })).status).toBe(200);
    expect((await call('/withhold-end-marker', { marker: 'POSITION_END' })).status).toBe(200);
    expect((await call('/advance-clock', { ms: 1000 })).status).toBe(200);
    expect((await call('/drop-connections', {})).body).toEqual({ dropped: 1 });
  });

  test('bad requests are answered 400/404/405 with a reason', async () => {
    sim = await startTwsSim({ clock: 'virtual', adminPort: 0 });
    expect((await call('/nope', {})).status).toBe(404);
    expect((await call('/notice', undefined, 'GET')).status).toBe(405);
    expect(await call('/notice', '{not json')).toEqual({ status: 400, body: { error: 'body is not JSON' } });
    expect(await call('/notice', { code: 'x' })).toEqual({
      status: 400,
      body: { error: '"code" must be a number' },
    });
    expect((await call('/price', { symbol: 'NOSUCH', price: 1 })).status).toBe(400);
    expect((await call('/delay-end-marker', { marker: 'NOPE', delayMs: 1 })).status).toBe(400);
  });

  test('listens on loopback only', async () => {
    sim = await startTwsSim({ clock: 'virtual' });
    await expect(startAdminEndpoint(sim.control, { host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /loopback only/,
    );
    await expect(startTwsSim({ host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
  });
});
