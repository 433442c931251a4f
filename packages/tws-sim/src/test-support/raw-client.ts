/**
 * Test support: a bare TCP client that writes raw bytes and reads server frames, for tests of
 * what the real client library would never send. Not part of the published API.
 */
import { connect, type Socket } from 'node:net';
import { encodeFrame, encodeHandshake, splitFields } from '../wire/framing.js';

export class RawClient {
  readonly frames: string[][] = [];
  #buffer = Buffer.alloc(0);
  #closed = false;
  readonly #closedPromise: Promise<void>;
  readonly #listeners: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 4) {
        const length = this.#buffer.readUInt32BE(0);
        if (this.#buffer.length < 4 + length) break;
        this.frames.push(splitFields(this.#buffer.subarray(4, 4 + length)));
        this.#buffer = this.#buffer.subarray(4 + length);
      }
      for (const listener of [...this.#listeners]) listener();
    });
    socket.on('error', () => {});
    this.#closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.#closed = true;
        resolve();
        for (const listener of [...this.#listeners]) listener();
      }),
    );
  }

  /** Opens a connection. */
  static open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Opens a connection and does the handshake and START_API like `@stoqey/ib`; resolves once NEXT_VALID_ID arrived. */
  static async ready(port: number, clientId: number): Promise<RawClient> {
    const client = await RawClient.open(port);
    client.write(encodeHandshake('v100..193'));
    await client.waitForFrames(1);
    client.send(['71', '2', String(clientId), '']);
    await client.waitFor((frame) => frame[0] === '9');
    return client;
  }

  get closed(): boolean {
    return this.#closed;
  }

  write(bytes: Buffer | string): void {
    this.socket.write(bytes);
  }

  /** Sends one framed message. */
  send(fields: string[]): void {
    this.socket.write(encodeFrame(fields));
  }

  /** Resolves when `count` frames in total have arrived. */
  waitForFrames(count: number, timeoutMs = 2_000): Promise<void> {
    return this.#until(() => this.frames.length >= count, timeoutMs, `${count} frames`);
  }

  /** Resolves with the first frame (from `from`) matching `predicate`. */
  async waitFor(predicate: (frame: string[]) => boolean, from = 0, timeoutMs = 2_000): Promise<string[]> {
    let found: string[] | undefined;
    await this.#until(
      () => {
        found = this.frames.slice(from).find(predicate);
        return found !== undefined;
      },
      timeoutMs,
      'a matching frame',
    );
    return found!;
  }

  /** Resolves when the server has closed the connection. */
  waitForClose(timeoutMs = 2_000): Promise<void> {
    return this.#until(() => this.#closed, timeoutMs, 'the socket to close');
  }

  close(): void {
    this.socket.destroy();
  }

  get closedPromise(): Promise<void> {
    return this.#closedPromise;
  }

  #until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.#listeners.splice(this.#listeners.indexOf(check), 1);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#listeners.splice(this.#listeners.indexOf(check), 1);
        reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      this.#listeners.push(check);
    });
  }
}
