/**
 * Test support: the real `@stoqey/ib` 1.6.7 encoder and decoder, driven without a socket, as
 * a fidelity oracle for byte layouts. Not part of the published API.
 */
import { Decoder } from '@stoqey/ib/dist/core/io/decoder.js';
import { Encoder } from '@stoqey/ib/dist/core/io/encoder.js';
import { SERVER_VERSION } from '../wire/handshake.js';

/** One event the real decoder emitted. */
export interface DecodedEvent {
  name: string;
  args: unknown[];
}

/** What the real decoder made of some messages: events, errors (505 etc.) and infos (id -1). */
export interface DecodeResult {
  events: DecodedEvent[];
  errors: Array<{ message: string; code: number; reqId: number | undefined }>;
  infos: Array<{ message: string; code: number }>;
}

/** Feeds server messages (as field arrays) through `@stoqey/ib`'s decoder at server version 193. */
export function decodeWithStoqey(...messages: string[][]): DecodeResult {
  const result: DecodeResult = { events: [], errors: [], infos: [] };
  const decoder = new Decoder({
    serverVersion: SERVER_VERSION,
    emitEvent: (name: unknown, ...args: unknown[]) => result.events.push({ name: String(name), args }),
    emitError: (message: string, code: number, reqId?: number) =>
      result.errors.push({ message, code, reqId }),
    emitInfo: (message: string, code: number) => result.infos.push({ message, code }),
  });
  for (const fields of messages) decoder.enqueueMessage(fields);
  decoder.process();
  return result;
}

/** Converts raw encoder tokens to wire text exactly as `@stoqey/ib`'s socket does. */
function tokensToFields(tokens: unknown[]): string[] {
  const flat = (tokens as unknown[]).flat(Number.POSITIVE_INFINITY);
  return flat.map((value) => {
    if (value === true || value === false) return value ? '1' : '0';
    if (value === undefined || value === null) return '';
    return String(value);
  });
}

/** Runs one `@stoqey/ib` encoder call and returns the fields it would put on the wire. */
export function encodeWithStoqey(call: (encoder: Encoder) => void): string[] {
  let sent: string[] | undefined;
  const encoder = new Encoder({
    serverVersion: SERVER_VERSION,
    sendMsg: (tokens: unknown[]) => {
      sent = tokensToFields(tokens);
    },
    emitError: (message: string) => {
      throw new Error(`stoqey encoder refused: ${message}`);
    },
  } as unknown as ConstructorParameters<typeof Encoder>[0]);
  call(encoder);
  if (sent === undefined) throw new Error('the encoder sent nothing');
  return sent;
}
