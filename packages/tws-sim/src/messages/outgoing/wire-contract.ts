/**
 * A contract as the server writes it back (in OPEN_ORDER, EXECUTION_DATA, POSITION_DATA,
 * PORTFOLIO_VALUE, CONTRACT_DATA). Text fields are written as they are.
 */
export interface WireContract {
  conId: number;
  symbol: string;
  secType: string;
  /** `YYYYMMDD` (options, futures with a known expiry) or `YYYYMM`; empty for stocks, FX, crypto. */
  lastTradeDateOrContractMonth: string;
  /** 0 when the contract has no strike. */
  strike: number;
  /** `C`, `P` or empty. */
  right: string;
  /** Empty for multiplier 1 (stocks, FX, crypto), as TWS sends it. */
  multiplier: string;
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
}
