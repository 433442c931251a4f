import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrokerLogger } from '@brokerkit/core';
import { nextIstBoundary, previousIstBoundary } from '../time/ist-clock.js';
import { type KiteInstrument, toInstruments } from './kite-instrument.js';

/** Options of an `InstrumentCache`. */
export interface InstrumentCacheOptions {
  /** Downloads one exchange's dump (`GET /instruments/:exchange`). */
  download: (exchange: string) => Promise<unknown>;
  /** IST time of day (ms after midnight) after which the day's dump replaces the previous one. */
  refreshTimeOfDayMs: number;
  now: () => number;
  /** Keep dumps on disk here, valid until the next refresh time. */
  cacheDir?: string;
  /** Part of the disk cache's file names, so that dumps of different servers never mix. */
  sourceId: string;
  logger: BrokerLogger;
}

interface ExchangeDump {
  bySymbol: Map<string, KiteInstrument>;
  downloadedAt: number;
  /** When the dump must be downloaded again (the next refresh time after the download). */
  validUntil: number;
}

/** A symbol missing from a dump triggers a fresh download at most this often (new contracts listed intraday). */
const MISS_REFRESH_MS = 15 * 60_000;

/**
 * Kite's instrument dumps, one per exchange, downloaded on first use, kept for the day and
 * downloaded again after the daily refresh time (the dump is regenerated each morning). Lot and
 * tick sizes always come from here, never from constants.
 */
export class InstrumentCache {
  readonly #options: InstrumentCacheOptions;
  readonly #dumps = new Map<string, ExchangeDump>();
  readonly #loading = new Map<string, Promise<ExchangeDump>>();

  constructor(options: InstrumentCacheOptions) {
    this.#options = options;
  }

  /** The instrument, downloading the exchange's dump when it is missing or out of date. */
  async lookup(exchange: string, tradingsymbol: string): Promise<KiteInstrument | undefined> {
    const now = this.#options.now();
    let dump = this.#dumps.get(exchange);
    if (dump === undefined || now >= dump.validUntil) dump = await this.#load(exchange, dump === undefined);
    const found = dump.bySymbol.get(tradingsymbol);
    if (found !== undefined || now - dump.downloadedAt < MISS_REFRESH_MS) return found;
    dump = await this.#load(exchange, false);
    return dump.bySymbol.get(tradingsymbol);
  }

  /** The instrument when today's dump is already loaded and lists it (no download, no await). */
  current(exchange: string, tradingsymbol: string): KiteInstrument | undefined {
    const dump = this.#dumps.get(exchange);
    if (dump === undefined || this.#options.now() >= dump.validUntil) return undefined;
    return dump.bySymbol.get(tradingsymbol);
  }

  /** The instrument if its dump is already here (no download). */
  peek(exchange: string, tradingsymbol: string): KiteInstrument | undefined {
    return this.#dumps.get(exchange)?.bySymbol.get(tradingsymbol);
  }

  /** Exchanges (other than `exchange`) whose loaded dumps list `tradingsymbol`, for error hints. */
  listedElsewhere(exchange: string, tradingsymbol: string): string[] {
    return [...this.#dumps]
      .filter(([other, dump]) => other !== exchange && dump.bySymbol.has(tradingsymbol))
      .map(([other]) => other);
  }

  #load(exchange: string, tryDisk: boolean): Promise<ExchangeDump> {
    const pending = this.#loading.get(exchange);
    if (pending !== undefined) return pending;
    const loading = (async () => {
      const fromDisk = tryDisk ? await this.#readDisk(exchange) : undefined;
      const dump = fromDisk ?? (await this.#download(exchange));
      this.#dumps.set(exchange, dump);
      return dump;
    })().finally(() => this.#loading.delete(exchange));
    this.#loading.set(exchange, loading);
    return loading;
  }

  async #download(exchange: string): Promise<ExchangeDump> {
    const downloadedAt = this.#options.now();
    const instruments = toInstruments(await this.#options.download(exchange));
    this.#options.logger.debug('zerodha: instrument dump downloaded', { exchange, rows: instruments.length });
    const dump = this.#dumpOf(instruments, downloadedAt);
    await this.#writeDisk(exchange, instruments, downloadedAt);
    return dump;
  }

  #dumpOf(instruments: KiteInstrument[], downloadedAt: number): ExchangeDump {
    return {
      bySymbol: new Map(instruments.map((instrument) => [instrument.tradingsymbol, instrument])),
      downloadedAt,
      validUntil: nextIstBoundary(downloadedAt, this.#options.refreshTimeOfDayMs),
    };
  }

  #file(exchange: string): string | undefined {
    const dir = this.#options.cacheDir;
    if (dir === undefined) return undefined;
    const source = createHash('sha256').update(this.#options.sourceId).digest('hex').slice(0, 12);
    return join(dir, `kite-instruments-${exchange}-${source}.json`);
  }

  async #readDisk(exchange: string): Promise<ExchangeDump | undefined> {
    const file = this.#file(exchange);
    if (file === undefined) return undefined;
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as {
        downloadedAt?: unknown;
        instruments?: unknown;
      };
      const downloadedAt = Number(stored.downloadedAt);
      const now = this.#options.now();
      // Valid when it was downloaded after the last refresh time (the dump of today).
      if (!(downloadedAt >= previousIstBoundary(now, this.#options.refreshTimeOfDayMs)) || downloadedAt > now)
        return undefined;
      if (!Array.isArray(stored.instruments)) return undefined;
      const instruments = (stored.instruments as KiteInstrument[]).filter(
        (row) =>
          typeof row?.tradingsymbol === 'string' &&
          typeof row.exchange === 'string' &&
          Number.isFinite(row.lotSize) &&
          Number.isFinite(row.tickSize),
      );
      if (instruments.length !== stored.instruments.length) return undefined;
      return this.#dumpOf(instruments, downloadedAt);
    } catch {
      return undefined;
    }
  }

  async #writeDisk(exchange: string, instruments: KiteInstrument[], downloadedAt: number): Promise<void> {
    const file = this.#file(exchange);
    if (file === undefined) return;
    try {
      await mkdir(this.#options.cacheDir!, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify({ downloadedAt, instruments }));
      await rename(temporary, file);
    } catch (error) {
      this.#options.logger.warn('zerodha: could not write the instrument cache', {
        exchange,
        reason: (error as Error).message,
      });
    }
  }
}
