/**
 * TWS V100+ framing (protocol doc 1.1, 1.2): the client opens with `API\0`, a 4-byte big-endian
 * length and a version range such as `v100..193`; after that every message in both directions is
 * a 4-byte big-endian length followed by NUL-terminated UTF-8 fields, one message per frame.
 */

/** Largest frame accepted (and the size at which `@stoqey/ib` gives up): 16 MiB - 1. */
export const MAX_FRAME_LENGTH = 0xffffff;
/** Longest version-range text accepted in the handshake (real ones are about 10 bytes). */
export const MAX_HANDSHAKE_TEXT_LENGTH = 1024;

const API_PREFIX = Buffer.from('API\0', 'latin1');
const NUL = '\0';

/**
 * Encodes one message: fields joined and terminated by NUL, prefixed with the payload length.
 * Every field, the last one included, is NUL-terminated, as `@stoqey/ib` requires.
 */
export function encodeFrame(fields: readonly string[]): Buffer {
  const payload = `${fields.join(NUL)}${NUL}`;
  const length = Buffer.byteLength(payload, 'utf8');
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(payload, 4, 'utf8');
  return frame;
}

/**
 * Collects frames into one buffer, so that a burst of messages costs one socket write and no
 * allocation per message. `take()` hands the frames over and starts a new buffer.
 */
export class FrameWriter {
  #buffer: Buffer;
  #length = 0;

  constructor(readonly initialCapacity = 16 * 1024) {
    this.#buffer = Buffer.allocUnsafe(initialCapacity);
  }

  /** Bytes collected and not taken yet. */
  get length(): number {
    return this.#length;
  }

  /** Appends one message, encoded as {@link encodeFrame} does. */
  append(fields: readonly string[]): void {
    const payload = `${fields.join(NUL)}${NUL}`;
    // Room for the worst case (3 UTF-8 bytes per UTF-16 unit); the real size is what write() reports.
    this.#reserve(4 + payload.length * 3);
    const size = this.#buffer.write(payload, this.#length + 4, 'utf8');
    this.#buffer.writeUInt32BE(size, this.#length);
    this.#length += 4 + size;
  }

  /** The frames collected since the last call, or `undefined` when there are none. */
  take(): Buffer | undefined {
    if (this.#length === 0) return undefined;
    const frames = this.#buffer.subarray(0, this.#length);
    this.#buffer = Buffer.allocUnsafe(Math.max(this.initialCapacity, Math.min(this.#buffer.length, 1 << 20)));
    this.#length = 0;
    return frames;
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < this.#length + bytes) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }
}

/** Encodes the client's opening bytes (`API\0` + length + version text); for tests and tools. */
export function encodeHandshake(versionText: string): Buffer {
  const text = Buffer.from(versionText, 'utf8');
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(text.length, 0);
  return Buffer.concat([API_PREFIX, length, text]);
}

/** Splits a frame payload into fields: split on NUL and drop the empty token after the last NUL. */
export function splitFields(payload: Buffer): string[] {
  const fields = payload.toString('utf8').split(NUL);
  // A payload that does not end with NUL keeps its unterminated tail as a last field.
  if (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/** What {@link FrameDecoder.push} found in the bytes received so far. */
export type DecodedInput =
  | { kind: 'handshake'; versionText: string }
  | { kind: 'message'; fields: string[] }
  | { kind: 'fatal'; reason: string };

/**
 * Incremental decoder for the client side of a connection. Feed it socket chunks; it returns
 * the handshake, then one entry per complete message. A `fatal` entry means the byte stream
 * cannot be trusted any more (garbage instead of `API\0`, a frame longer than
 * {@link MAX_FRAME_LENGTH}); the caller closes the socket, as TWS does.
 */
export class FrameDecoder {
  #buffer: Buffer = Buffer.alloc(0);
  #awaitingHandshake = true;
  #failed = false;

  /** True once the handshake has been read. */
  get handshakeDone(): boolean {
    return !this.#awaitingHandshake;
  }

  /** Bytes received but not yet decoded. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Adds received bytes and returns everything that is now complete. */
  push(chunk: Buffer): DecodedInput[] {
    if (this.#failed) return [];
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const decoded: DecodedInput[] = [];
    let offset = 0;
    const buffer = this.#buffer;
    if (this.#awaitingHandshake) {
      const prefixBytes = Math.min(buffer.length, API_PREFIX.length);
      if (buffer.compare(API_PREFIX, 0, prefixBytes, 0, prefixBytes) !== 0) {
        return this.#fail('the connection did not start with the API handshake ("API\\0")');
      }
      if (buffer.length < 8) return decoded;
      const length = buffer.readUInt32BE(4);
      if (length === 0 || length > MAX_HANDSHAKE_TEXT_LENGTH) {
        return this.#fail(`handshake version text of ${length} bytes`);
      }
      if (buffer.length < 8 + length) return decoded;
      decoded.push({ kind: 'handshake', versionText: buffer.toString('utf8', 8, 8 + length) });
      this.#awaitingHandshake = false;
      offset = 8 + length;
    }
    while (buffer.length - offset >= 4) {
      const length = buffer.readUInt32BE(offset);
      if (length > MAX_FRAME_LENGTH) {
        decoded.push(...this.#fail(`frame of ${length} bytes exceeds the maximum of ${MAX_FRAME_LENGTH}`));
        return decoded;
      }
      if (buffer.length - offset - 4 < length) break;
      const payload = buffer.subarray(offset + 4, offset + 4 + length);
      offset += 4 + length;
      // An empty frame carries no message; TWS ignores it.
      if (length > 0) decoded.push({ kind: 'message', fields: splitFields(payload) });
    }
    this.#buffer = offset === buffer.length ? Buffer.alloc(0) : buffer.subarray(offset);
    return decoded;
  }

  #fail(reason: string): DecodedInput[] {
    this.#failed = true;
    this.#buffer = Buffer.alloc(0);
    return [{ kind: 'fatal', reason }];
  }
}
