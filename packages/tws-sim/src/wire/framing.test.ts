import { describe, expect, test } from 'vitest';
import { encodeFrame, encodeHandshake, FrameDecoder, FrameWriter, MAX_FRAME_LENGTH } from './framing.js';

const hex = (buffer: Buffer) => buffer.toString('hex');
const text = (value: string) => Buffer.from(value, 'latin1');

describe('server frames (protocol doc 2.6)', () => {
  test('NEXT_VALID_ID 1000 is 00 00 00 09 "9\\01\\01000\\0"', () => {
    expect(hex(encodeFrame(['9', '1', '1000']))).toBe(`00000009${hex(text('9\x001\x001000\x00'))}`);
  });

  test('the cancel notice ends every field, the last empty one included, with NUL', () => {
    const frame = encodeFrame(['4', '2', '1000', '202', 'Order Canceled - reason:', '']);
    const payload = '4\x002\x001000\x00202\x00Order Canceled - reason:\x00\x00';
    expect(frame.readUInt32BE(0)).toBe(payload.length);
    expect(frame.subarray(4).toString('latin1')).toBe(payload);
  });

  test('the length counts UTF-8 bytes, not characters', () => {
    const frame = encodeFrame(['4', 'é']);
    expect(frame.readUInt32BE(0)).toBe(5);
  });
});

describe('client bytes (protocol doc 2.6)', () => {
  const handshake = Buffer.concat([text('API\x00'), Buffer.from([0, 0, 0, 9]), text('v100..193')]);
  const startApi = Buffer.concat([Buffer.from([0, 0, 0, 8]), text('71\x002\x007\x00\x00')]);

  test('the handshake and START_API for client 7 decode as the real client writes them', () => {
    expect(encodeHandshake('v100..193')).toEqual(handshake);
    const decoder = new FrameDecoder();
    expect(decoder.push(Buffer.concat([handshake, startApi]))).toEqual([
      { kind: 'handshake', versionText: 'v100..193' },
      { kind: 'message', fields: ['71', '2', '7', ''] },
    ]);
  });

  test.each([
    ['REQ_IDS', '00000006', '8\x001\x000\x00', ['8', '1', '0']],
    [
      'CANCEL_ORDER 1000',
      '00000014',
      '4\x001000\x00\x00\x002147483647\x00',
      ['4', '1000', '', '', '2147483647'],
    ],
    ['REQ_GLOBAL_CANCEL', '0000000e', '58\x00\x002147483647\x00', ['58', '', '2147483647']],
  ])('%s frame decodes to its fields', (_name, length, payload, fields) => {
    const decoder = new FrameDecoder();
    decoder.push(handshake);
    expect(decoder.push(Buffer.concat([Buffer.from(length, 'hex'), text(payload)]))).toEqual([
      { kind: 'message', fields },
    ]);
  });

  test('bytes arriving one at a time give the same messages', () => {
    const decoder = new FrameDecoder();
    const bytes = Buffer.concat([handshake, startApi, encodeFrame(['49', '1'])]);
    const decoded = [];
    for (const byte of bytes) decoded.push(...decoder.push(Buffer.from([byte])));
    expect(decoded).toEqual([
      { kind: 'handshake', versionText: 'v100..193' },
      { kind: 'message', fields: ['71', '2', '7', ''] },
      { kind: 'message', fields: ['49', '1'] },
    ]);
    expect(decoder.buffered).toBe(0);
  });

  test('several frames in one chunk each give a message', () => {
    const decoder = new FrameDecoder();
    decoder.push(handshake);
    const decoded = decoder.push(Buffer.concat([encodeFrame(['5', '1']), encodeFrame(['16', '1'])]));
    expect(decoded.map((entry) => (entry.kind === 'message' ? entry.fields[0] : entry.kind))).toEqual([
      '5',
      '16',
    ]);
  });

  test('garbage instead of API\\0 is fatal at the first wrong byte', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(text('GET / HTTP/1.1\r\n'))).toEqual([
      { kind: 'fatal', reason: 'the connection did not start with the API handshake ("API\\0")' },
    ]);
    expect(decoder.push(text('more'))).toEqual([]);
  });

  test('a frame longer than the 16 MiB limit is fatal', () => {
    const decoder = new FrameDecoder();
    decoder.push(handshake);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(MAX_FRAME_LENGTH + 1, 0);
    const [entry] = decoder.push(header);
    expect(entry?.kind).toBe('fatal');
  });

  test('a zero-length frame carries no message', () => {
    const decoder = new FrameDecoder();
    decoder.push(handshake);
    expect(decoder.push(Buffer.concat([Buffer.alloc(4), encodeFrame(['49', '1'])]))).toEqual([
      { kind: 'message', fields: ['49', '1'] },
    ]);
  });
});

describe('FrameWriter', () => {
  test('collects frames byte-identical to encodeFrame, across growth and takes', () => {
    const writer = new FrameWriter(8);
    const messages = [
      ['9', '1', '1000'],
      ['4', '2', '-1', '2104', 'Zürich ✓', ''],
      ['49', '1', 'x'.repeat(5000)],
    ];
    for (const fields of messages) writer.append(fields);
    expect(writer.take()).toEqual(Buffer.concat(messages.map((fields) => encodeFrame(fields))));
    expect(writer.take()).toBeUndefined();
    writer.append(['5', '1']);
    expect(writer.take()).toEqual(encodeFrame(['5', '1']));
  });
});
