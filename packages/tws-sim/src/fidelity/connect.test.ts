import { EventName } from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { startTwsSim, type TwsSim } from '../start-tws-sim.js';
import { AAPL, limitOrder } from '../test-support/contracts.js';
import { IbHarness } from '../test-support/ib-harness.js';
import { RawClient } from '../test-support/raw-client.js';
import { waitUntil } from '../test-support/wait-until.js';
import { encodeHandshake } from '../wire/framing.js';

let sim: TwsSim | undefined;
const clients: IbHarness[] = [];
const raws: RawClient[] = [];

async function connect(clientId: number): Promise<IbHarness> {
  const client = await IbHarness.connect(sim!, clientId);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) {
    expect(client.decodeErrors()).toEqual([]);
    client.disconnect();
  }
  for (const raw of raws.splice(0)) raw.close();
  await sim?.close();
  sim = undefined;
});

describe('start-up, as recorded from live Gateways (protocol doc 3, "Connect")', () => {
  test('version 193, then MANAGED_ACCTS -> NEXT_VALID_ID -> 2104 -> 2106 -> 2158', async () => {
    sim = await startTwsSim({ clock: 'virtual', accounts: 'DU1234567' });
    const client = new IbHarness(sim);
    clients.push(client);
    const farms = client.waitFor((event) => event.name === EventName.info && event.args[1] === 2158);
    client.ib.connect(3);
    await farms;
    // Wire order, message by message: the server-version frame, then 15, 9, 4, 4, 4.
    expect(client.receivedIds).toEqual([193, 15, 9, 4, 4, 4]);
    expect(client.namesSince(0, { infos: true })).toEqual([
      'connected',
      'server',
      'managedAccounts',
      'nextValidId',
      'info',
      'info',
      'info',
    ]);
    const [server, accounts, nextId] = [client.events[1]!, client.events[2]!, client.events[3]!];
    expect(server.args[0]).toBe(193);
    expect(server.args[1]).toMatch(/^\d{8} \d{2}:\d{2}:\d{2} UTC$/);
    expect(accounts.args).toEqual(['DU1234567']);
    expect(nextId.args).toEqual([1000]);
    expect(client.infos()).toEqual([
      { code: 2104, message: 'Market data farm connection is OK:usfarm' },
      { code: 2106, message: 'HMDS data farm connection is OK:ushmds' },
      { code: 2158, message: 'Sec-def data farm connection is OK:secdefnj' },
    ]);
  });

  test('several managed accounts arrive comma-separated', async () => {
    sim = await startTwsSim({ clock: 'virtual', accounts: ['DU111111', 'DU222222'] });
    const client = await connect(1);
    expect(client.events.find((event) => event.name === EventName.managedAccounts)?.args).toEqual([
      'DU111111,DU222222',
    ]);
  });

  test('a client id already in use gets 326 and a closed socket; the first client is unaffected', async () => {
    sim = await startTwsSim({ clock: 'virtual' });
    const first = await connect(5);
    const second = new IbHarness(sim);
    clients.push(second);
    const disconnected = second.waitForEvent(EventName.disconnected);
    second.ib.connect(5);
    await disconnected;
    expect(second.infos()).toEqual([
      {
        code: 326,
        message: 'Unable to connect as the client id is already in use. Retry with a unique client id.',
      },
    ]);
    expect(second.events.some((event) => event.name === EventName.nextValidId)).toBe(false);
    // The first session still answers.
    const mark = first.mark();
    first.ib.reqCurrentTime();
    await first.waitForEvent(EventName.currentTime, { from: mark });
  });

  test('the client id is free again once its connection closed', async () => {
    sim = await startTwsSim({ clock: 'virtual' });
    const first = await connect(5);
    const closed = first.waitForEvent(EventName.disconnected);
    first.disconnect();
    await closed;
    await waitUntil(() => sim!.control.sessions().length === 0);
    await connect(5);
  });

  test('order ids: kept per client id across connections, advanced by every REQ_IDS', async () => {
    sim = await startTwsSim({ clock: 'virtual' });
    const client = await connect(9);
    let mark = client.mark();
    client.ib.reqIds();
    client.ib.reqIds();
    await client.waitFor((event) => event.name === EventName.nextValidId && event.args[0] === 1002, {
      from: mark,
    });
    expect(
      client
        .since(mark)
        .filter((event) => event.name === EventName.nextValidId)
        .map((event) => event.args[0]),
    ).toEqual([1001, 1002]);
    mark = client.mark();
    client.ib.placeOrder(1294, AAPL, limitOrder('BUY', 1, 100));
    await client.waitFor((event) => event.name === EventName.orderStatus && event.args[1] === 'Submitted', {
      from: mark,
    });
    const closed = client.waitForEvent(EventName.disconnected);
    client.disconnect();
    await closed;
    await waitUntil(() => sim!.control.sessions().length === 0);
    // Reconnect: above every id used before (294 used -> 295 in the recording).
    const again = await connect(9);
    expect(again.events.find((event) => event.name === EventName.nextValidId)?.args).toEqual([1295]);
    // Another client id has its own sequence.
    const other = await connect(10);
    expect(other.events.find((event) => event.name === EventName.nextValidId)?.args).toEqual([1000]);
  });

  test("optionally, a client's open orders follow its start-up messages (seen in an sv225 capture)", async () => {
    sim = await startTwsSim({
      clock: 'virtual',
      replayOpenOrdersOnConnect: true,
      simulatorOptions: { priceStepMs: 0 },
    });
    const client = await connect(4);
    const mark = client.mark();
    client.ib.placeOrder(1000, AAPL, limitOrder('BUY', 1, 100));
    await client.waitFor((event) => event.name === EventName.orderStatus && event.args[1] === 'Submitted', {
      from: mark,
    });
    const closed = client.waitForEvent(EventName.disconnected);
    client.disconnect();
    await closed;
    await waitUntil(() => sim!.control.sessions().length === 0);
    const again = new IbHarness(sim);
    clients.push(again);
    const end = again.waitForEvent(EventName.openOrderEnd);
    again.ib.connect(4);
    await end;
    expect(again.receivedIds).toEqual([193, 15, 9, 4, 4, 4, 5, 3, 53]);
  });

  test('up to 32 clients; the 33rd connection is closed', async () => {
    sim = await startTwsSim({ clock: 'virtual' });
    for (let clientId = 0; clientId < 32; clientId++) raws.push(await RawClient.ready(sim.port, clientId));
    const extra = await RawClient.open(sim.port);
    raws.push(extra);
    extra.write(encodeHandshake('v100..193'));
    await extra.waitForFrames(1);
    extra.send(['71', '2', '99', '']);
    await extra.waitForClose();
    expect(extra.frames.map((frame) => frame[0])).toEqual(['193']);
  });

  test('a client that cannot speak version 193 is disconnected', async () => {
    sim = await startTwsSim({ clock: 'virtual' });
    const old = await RawClient.open(sim.port);
    raws.push(old);
    old.write(encodeHandshake('v100..176'));
    await old.waitForClose();
    expect(old.frames).toEqual([]);
  });

  test("official clients' connect options after a space are accepted", async () => {
    sim = await startTwsSim({ clock: 'virtual' });
    const raw = await RawClient.open(sim.port);
    raws.push(raw);
    raw.write(encodeHandshake('v100..200 +PACEAPI'));
    await raw.waitForFrames(1);
    expect(raw.frames[0]?.[0]).toBe('193');
  });
});
