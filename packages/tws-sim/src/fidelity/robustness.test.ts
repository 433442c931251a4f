import { EventName } from '@stoqey/ib';
import { afterEach, describe, expect, test } from 'vitest';
import { startTwsSim, type TwsSim } from '../start-tws-sim.js';
import { IbHarness } from '../test-support/ib-harness.js';
import { RawClient } from '../test-support/raw-client.js';
import { encodeFrame, encodeHandshake } from '../wire/framing.js';

let sim: TwsSim | undefined;
let bystander: IbHarness | undefined;
const raws: RawClient[] = [];
let internalErrors: unknown[] = [];

async function start(options: Parameters<typeof startTwsSim>[0] = {}): Promise<TwsSim> {
  internalErrors = [];
  sim = await startTwsSim({
    clock: 'virtual',
    onInternalError: (error) => internalErrors.push(error),
    ...options,
  });
  // Another client, connected the whole time: it must never notice the misbehaving one.
  bystander = await IbHarness.connect(sim, 99);
  return sim;
}

async function raw(clientId?: number): Promise<RawClient> {
  const client =
    clientId === undefined ? await RawClient.open(sim!.port) : await RawClient.ready(sim!.port, clientId);
  raws.push(client);
  return client;
}

async function bystanderStillServed(): Promise<void> {
  const mark = bystander!.mark();
  bystander!.ib.reqCurrentTime();
  await bystander!.waitForEvent(EventName.currentTime, { from: mark });
  expect(bystander!.decodeErrors()).toEqual([]);
  expect(bystander!.errors()).toEqual([]);
}

afterEach(async () => {
  for (const client of raws.splice(0)) client.close();
  bystander?.disconnect();
  bystander = undefined;
  await sim?.close();
  sim = undefined;
  expect(internalErrors).toEqual([]);
});

/** ERR_MSG frames (id, code, text) a raw client received. */
const errorFrames = (client: RawClient, from = 0) =>
  client.frames
    .slice(from)
    .filter((frame) => frame[0] === '4')
    .map((frame) => [frame[2], frame[3], frame[4]]);

describe('bad input gets what TWS does, never a crashed server', () => {
  test('garbage instead of the API handshake: the socket is closed', async () => {
    await start();
    const client = await raw();
    client.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await client.waitForClose();
    expect(client.frames).toEqual([]);
    await bystanderStillServed();
  });

  test('a frame longer than 16 MiB: the socket is closed', async () => {
    await start();
    const client = await raw(5);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(0x7fffffff, 0);
    client.write(header);
    await client.waitForClose();
    await bystanderStillServed();
  });

  test('a request before START_API: the socket is closed', async () => {
    await start();
    const client = await raw();
    client.write(encodeHandshake('v100..193'));
    await client.waitForFrames(1);
    client.send(['49', '1']);
    await client.waitForClose();
    expect(client.frames.map((frame) => frame[0])).toEqual(['193']);
  });

  test('an unknown message id: ERR 320, and the connection keeps working', async () => {
    await start();
    const client = await raw(5);
    const from = client.frames.length;
    client.send(['999', '1', 'x']);
    client.send(['49', '1']);
    await client.waitFor((frame) => frame[0] === '49', from);
    expect(errorFrames(client).at(-1)).toEqual([
      '-1',
      '320',
      'Error reading request. Message id 999. Unsupported message id.',
    ]);
    await bystanderStillServed();
  });

  test('a malformed number and a truncated message: ERR 320 each', async () => {
    await start();
    const client = await raw(5);
    const from = client.frames.length;
    client.send(['62', '1', 'abc', 'All', 'NetLiquidation']);
    client.send(['62', '1']);
    client.send(['x9']);
    client.send(['49', '1']);
    await client.waitFor((frame) => frame[0] === '49', from);
    expect(errorFrames(client).slice(-3)).toEqual([
      [
        '-1',
        '320',
        'Error reading request. Message id 62. Unable to parse data. java.lang.NumberFormatException: For input string: "abc"',
      ],
      ['-1', '320', 'Error reading request. Message id 62. Unable to parse data. java.io.EOFException'],
      [
        '-1',
        '320',
        'Error reading request. Message id x9. Unable to parse data. java.lang.NumberFormatException: For input string: "x9"',
      ],
    ]);
  });

  test('an empty frame is ignored', async () => {
    await start();
    const client = await raw(5);
    const from = client.frames.length;
    client.write(Buffer.concat([Buffer.alloc(4), encodeFrame(['49', '1'])]));
    await client.waitFor((frame) => frame[0] === '49', from);
    expect(client.frames.slice(from).map((frame) => frame[0])).toEqual(['49']);
  });

  test('a thousand random frames from one client: no internal error, the others are served', async () => {
    await start({ pacing: { maxMessagesPerSecond: false } });
    const client = await raw(5);
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = [
      '',
      '0',
      '1',
      '-1',
      '3',
      '2147483647',
      '1.7976931348623157E308',
      'AAPL',
      'STK',
      'SMART',
      'USD',
      'LMT',
      'BUY',
      'x',
      '1e309',
      'NaN',
      '\u00e9',
    ];
    const ids = [
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '14',
      '15',
      '16',
      '17',
      '25',
      '49',
      '58',
      '59',
      '61',
      '62',
      '63',
      '64',
      '71',
      '999',
    ];
    const frames: Buffer[] = [];
    for (let index = 0; index < 1000; index++) {
      const fields = [ids[Math.floor(random() * ids.length)]!];
      const count = Math.floor(random() * 130);
      for (let field = 0; field < count; field++)
        fields.push(alphabet[Math.floor(random() * alphabet.length)]!);
      frames.push(encodeFrame(fields));
    }
    client.write(Buffer.concat(frames));
    const from = client.frames.length;
    client.send(['49', '1']);
    // The random client is still served too: its last request is answered.
    await client.waitFor((frame) => frame[0] === '49' && frame.length === 3, from, 5_000);
    expect(client.closed).toBe(false);
    await bystanderStillServed();
    expect(sim!.control.sessions().some((session) => session.clientId === 99)).toBe(true);
  });
});

describe('pacing: more than 50 messages in a second', () => {
  test('messages beyond 50 in the window get ERR 100 and are not served', async () => {
    await start();
    const client = await raw(5);
    const from = client.frames.length;
    client.write(Buffer.concat(new Array(60).fill(encodeFrame(['49', '1']))));
    await client.waitFor(() => client.frames.length - from >= 60, from);
    const answers = client.frames.slice(from);
    expect(answers.filter((frame) => frame[0] === '49')).toHaveLength(50);
    expect(errorFrames(client, from)).toEqual(
      new Array(10).fill(['-1', '100', 'Max rate of messages per second has been exceeded.']),
    );
    await bystanderStillServed();
  });

  test('with disconnect on violation, the connection is closed after the 100', async () => {
    await start({ pacing: { disconnectOnViolation: true } });
    const client = await raw(5);
    const from = client.frames.length;
    client.write(Buffer.concat(new Array(60).fill(encodeFrame(['49', '1']))));
    await client.waitForClose();
    expect(errorFrames(client, from)).toEqual([
      ['-1', '100', 'Max rate of messages per second has been exceeded.'],
    ]);
    expect(client.frames.slice(from).filter((frame) => frame[0] === '49')).toHaveLength(50);
    await bystanderStillServed();
  });

  test('the real client throttled at its default 40/s never trips the limit', async () => {
    await start();
    const client = await IbHarness.connect(sim!, 6, { maxReqPerSec: 40 });
    const mark = client.mark();
    for (let index = 0; index < 45; index++) client.ib.reqCurrentTime();
    await client.waitFor(
      () => client.since(mark).filter((event) => event.name === EventName.currentTime).length === 45,
      {
        from: mark,
        timeoutMs: 4_000,
      },
    );
    expect(client.infos(mark)).toEqual([]);
    client.disconnect();
  });
});
