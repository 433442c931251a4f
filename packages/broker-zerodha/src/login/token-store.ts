import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AuthenticationError, Secret } from '@brokerkit/core';
import { nextIstBoundary, parseIstTimeOfDay } from '../time/ist-clock.js';
import { parseTokenKey, TOKEN_KEY_VARIABLE } from './token-key.js';

/** Where the token is stored when no path is given: `~/.brokerkit/zerodha-session.json`. */
export const DEFAULT_TOKEN_FILE = join(homedir(), '.brokerkit', 'zerodha-session.json');

/** IST time at which Kite access tokens expire (kite docs: 6 AM the next day). */
export const DEFAULT_TOKEN_EXPIRY_TIME = '06:00';

const FORMAT = 'brokerkit-kite-session';
const VERSION = 1;

/** A session read from (or written to) the store. */
export interface StoredSession {
  accessToken: Secret;
  userId: string;
  apiKey: string;
  /** Epoch ms of the Kite login. */
  loginTime: number;
  savedAt: number;
  /** Epoch ms after which Kite no longer accepts the token (the daily boundary). */
  expiresAt: number;
}

/** What to save: a session from `exchangeRequestToken`, or the same fields. */
export interface SessionToSave {
  accessToken: Secret | string;
  userId: string;
  apiKey: string;
  loginTime?: number;
}

/** Options of a `TokenStore`. */
export interface TokenStoreOptions {
  /** The file. Default `~/.brokerkit/zerodha-session.json`. */
  path?: string;
  /** The AES-256 key (32 bytes, hex or base64). Default: the `BROKERKIT_TOKEN_KEY` environment variable. */
  key?: Secret | string | Uint8Array;
  /** Environment to read the key from. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** IST time at which tokens expire each day (`HH:MM`). Default `06:00`. */
  expiryTime?: string;
  now?: () => number;
}

/** What `status()` reports, without revealing the token. */
export interface TokenStatus {
  state: 'missing' | 'expired' | 'valid';
  userId?: string;
  expiresAt?: number;
}

interface StoredFile {
  format: string;
  version: number;
  userId: string;
  savedAt: number;
  expiresAt: number;
  iv: string;
  tag: string;
  ciphertext: string;
}

/**
 * The day's Kite access token, encrypted at rest with AES-256-GCM. The file holds the user id and
 * the expiry in the clear (authenticated, so they cannot be changed) and the token, API key and
 * login time encrypted; it is written with mode 0600 through a temporary file and a rename. A
 * stored token is used until the daily boundary (06:00 IST by default), after which `load()`
 * returns `undefined` and you log in again.
 *
 * @example
 * const store = new TokenStore(); // key from BROKERKIT_TOKEN_KEY
 * await store.save(await exchangeRequestToken({ apiKey, apiSecret, requestToken }));
 * const session = await store.load(); // later, the same day
 */
export class TokenStore {
  readonly path: string;
  readonly #options: TokenStoreOptions;
  readonly #expiryTimeOfDayMs: number;
  readonly #now: () => number;

  constructor(options: TokenStoreOptions = {}) {
    this.path = options.path ?? DEFAULT_TOKEN_FILE;
    this.#options = options;
    this.#expiryTimeOfDayMs = parseIstTimeOfDay(
      options.expiryTime ?? DEFAULT_TOKEN_EXPIRY_TIME,
      'expiryTime',
    );
    this.#now = options.now ?? Date.now;
  }

  /** Encrypts and writes the session; returns it with its expiry. */
  async save(session: SessionToSave): Promise<StoredSession> {
    const key = this.#key();
    const now = this.#now();
    const loginTime = session.loginTime ?? now;
    const stored: StoredSession = {
      accessToken: Secret.isSecret(session.accessToken)
        ? session.accessToken
        : new Secret(session.accessToken),
      userId: session.userId,
      apiKey: session.apiKey,
      loginTime,
      savedAt: now,
      expiresAt: nextIstBoundary(loginTime, this.#expiryTimeOfDayMs),
    };
    const header = {
      format: FORMAT,
      version: VERSION,
      userId: stored.userId,
      savedAt: stored.savedAt,
      expiresAt: stored.expiresAt,
    };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(associatedData(header)));
    const plaintext = JSON.stringify({
      accessToken: stored.accessToken.reveal(),
      apiKey: stored.apiKey,
      loginTime: stored.loginTime,
    });
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const file: StoredFile = {
      ...header,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, this.path);
    return stored;
  }

  /**
   * Today's session, or `undefined` when nothing is stored or the stored token has expired. With
   * `apiKey`, a token saved for another API key also gives `undefined`. Throws AuthenticationError
   * when the file was changed or the key is wrong (it cannot be decrypted), InvalidConfigError when
   * the key is missing or malformed.
   */
  async load(options: { apiKey?: string } = {}): Promise<StoredSession | undefined> {
    const file = await this.#read();
    if (file === undefined) return undefined;
    const session = this.#decrypt(file);
    if (this.#now() >= session.expiresAt) return undefined;
    if (options.apiKey !== undefined && options.apiKey !== session.apiKey) return undefined;
    return session;
  }

  /** Whether a valid token is stored, without decrypting it (the header is checked on `load`). */
  async status(): Promise<TokenStatus> {
    const file = await this.#read();
    if (file === undefined) return { state: 'missing' };
    return {
      state: this.#now() >= file.expiresAt ? 'expired' : 'valid',
      userId: file.userId,
      expiresAt: file.expiresAt,
    };
  }

  /** Deletes the stored token (log out). */
  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }

  #key(): Buffer {
    const env = this.#options.env ?? process.env;
    return parseTokenKey(this.#options.key ?? env[TOKEN_KEY_VARIABLE]);
  }

  async #read(): Promise<StoredFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let file: Partial<StoredFile>;
    try {
      file = JSON.parse(text) as Partial<StoredFile>;
    } catch {
      throw tampered(this.path, 'it is not valid JSON');
    }
    if (
      file.format !== FORMAT ||
      file.version !== VERSION ||
      typeof file.userId !== 'string' ||
      typeof file.savedAt !== 'number' ||
      typeof file.expiresAt !== 'number' ||
      typeof file.iv !== 'string' ||
      typeof file.tag !== 'string' ||
      typeof file.ciphertext !== 'string'
    ) {
      throw tampered(this.path, 'it is not a brokerkit session file');
    }
    return file as StoredFile;
  }

  #decrypt(file: StoredFile): StoredSession {
    const key = this.#key();
    let plaintext: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.iv, 'base64'));
      decipher.setAAD(Buffer.from(associatedData(file)));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      plaintext = Buffer.concat([
        decipher.update(Buffer.from(file.ciphertext, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw tampered(
        this.path,
        `its integrity check failed (the file was changed, or ${TOKEN_KEY_VARIABLE} is not the key it was saved with)`,
      );
    }
    const inner = JSON.parse(plaintext) as { accessToken: string; apiKey: string; loginTime: number };
    return {
      accessToken: new Secret(inner.accessToken),
      userId: file.userId,
      apiKey: inner.apiKey,
      loginTime: inner.loginTime,
      savedAt: file.savedAt,
      expiresAt: file.expiresAt,
    };
  }
}

/** The authenticated (not encrypted) part of the file, in a fixed key order. */
function associatedData(header: Pick<StoredFile, 'userId' | 'savedAt' | 'expiresAt'>): string {
  return JSON.stringify([FORMAT, VERSION, header.userId, header.savedAt, header.expiresAt]);
}

function tampered(path: string, why: string): AuthenticationError {
  return new AuthenticationError({
    message: `zerodha: the stored session in ${path} cannot be used: ${why}`,
    hint: 'log in again (brokerkit zerodha login) to store a new token',
    broker: 'zerodha',
  });
}
