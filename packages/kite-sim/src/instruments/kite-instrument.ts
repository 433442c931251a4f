import type { Instrument } from '@brokerkit/exchange-sim';

/** Kite's instrument types in the dump. */
export type KiteInstrumentType = 'EQ' | 'FUT' | 'CE' | 'PE';

/** One row of the Kite instrument dump, linked to the engine's instrument. */
export interface KiteInstrument {
  /** `exchange_token << 8 | segment code`: what the ticker subscribes to. */
  readonly instrumentToken: number;
  readonly exchangeToken: number;
  readonly tradingsymbol: string;
  readonly name: string;
  /** NSE, BSE, NFO, BFO, MCX, CDS, BCD. Indices are listed under NSE. */
  readonly exchange: string;
  /** NSE, BSE, NFO-FUT, NFO-OPT, ..., INDICES. */
  readonly segment: string;
  readonly instrumentType: KiteInstrumentType;
  /** `YYYY-MM-DD`, or `''`. */
  readonly expiry: string;
  /** 0 unless an option. */
  readonly strike: number;
  readonly tickSize: number;
  readonly lotSize: number;
  /** Indices carry prices but cannot be traded. */
  readonly isIndex: boolean;
  /** The engine's instrument behind this row. */
  readonly instrument: Instrument;
}
