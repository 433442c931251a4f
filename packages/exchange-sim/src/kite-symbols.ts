import type { OptionRight } from '@brokerkit/core';

/**
 * Zerodha (Kite) trading symbols of NSE F&O contracts, the scheme the instrument dump uses:
 *
 * | contract | pattern | example |
 * |---|---|---|
 * | monthly future | `ROOT YY MON FUT` | `NIFTY24NOVFUT` |
 * | monthly option | `ROOT YY MON STRIKE CE/PE` | `NIFTY24NOV24000CE` |
 * | weekly option | `ROOT YY M DD STRIKE CE/PE`, M = 1-9 for Jan-Sep, O/N/D for Oct-Dec | `NIFTY2411924000CE` (2024-01-19), `NIFTY24N2124000PE` (2024-11-21) |
 *
 * Monthly contracts expire on the last Thursday of the month (the rule for 2024-era contracts;
 * exchange holidays and later weekday changes are not modelled).
 */
export interface KiteDerivativeSymbol {
  root: string;
  secType: 'FUT' | 'OPT';
  /** `YYYYMM`. */
  contractMonth: string;
  /** `YYYYMMDD`. */
  expiry: string;
  weekly: boolean;
  strike: number | undefined;
  right: OptionRight | undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKLY_MONTH_CODES = '123456789OND';
const FUTURE = /^([A-Z]+)(\d{2})(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)FUT$/;
const MONTHLY_OPTION =
  /^([A-Z]+)(\d{2})(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)(\d+(?:\.\d+)?)(CE|PE)$/;
const WEEKLY_OPTION = /^([A-Z]+)(\d{2})([1-9OND])(\d{2})(\d+(?:\.\d+)?)(CE|PE)$/;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYYMMDD` of the last Thursday of a month (`month` 1-12). */
export function lastThursday(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0));
  const back = (last.getUTCDay() - 4 + 7) % 7;
  return `${year}${pad(month)}${pad(last.getUTCDate() - back)}`;
}

/** True for a real calendar date written `YYYYMMDD`. */
export function isValidDate(yyyymmdd: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function formatStrike(strike: number): string {
  return Number.isInteger(strike) ? String(strike) : String(Number(strike.toFixed(2)));
}

/** Parses a Kite F&O trading symbol; `undefined` when it does not follow the scheme. */
export function parseKiteSymbol(symbol: string): KiteDerivativeSymbol | undefined {
  let match = FUTURE.exec(symbol);
  if (match !== null) {
    const year = 2000 + Number(match[2]);
    const month = MONTHS.indexOf(match[3]!) + 1;
    return {
      root: match[1]!,
      secType: 'FUT',
      contractMonth: `${year}${pad(month)}`,
      expiry: lastThursday(year, month),
      weekly: false,
      strike: undefined,
      right: undefined,
    };
  }
  match = MONTHLY_OPTION.exec(symbol);
  if (match !== null) {
    const year = 2000 + Number(match[2]);
    const month = MONTHS.indexOf(match[3]!) + 1;
    return {
      root: match[1]!,
      secType: 'OPT',
      contractMonth: `${year}${pad(month)}`,
      expiry: lastThursday(year, month),
      weekly: false,
      strike: Number(match[4]),
      right: match[5] === 'CE' ? 'C' : 'P',
    };
  }
  match = WEEKLY_OPTION.exec(symbol);
  if (match !== null) {
    const year = 2000 + Number(match[2]);
    const month = WEEKLY_MONTH_CODES.indexOf(match[3]!) + 1;
    const expiry = `${year}${pad(month)}${match[4]}`;
    if (!isValidDate(expiry)) return undefined;
    return {
      root: match[1]!,
      secType: 'OPT',
      contractMonth: expiry.slice(0, 6),
      expiry,
      weekly: true,
      strike: Number(match[5]),
      right: match[6] === 'CE' ? 'C' : 'P',
    };
  }
  return undefined;
}

/** `NIFTY24NOVFUT` for root NIFTY and contract month `202411`. */
export function formatKiteFuture(root: string, contractMonth: string): string {
  const year = contractMonth.slice(2, 4);
  const month = MONTHS[Number(contractMonth.slice(4, 6)) - 1];
  if (month === undefined) throw new RangeError(`contract month must be YYYYMM, got ${contractMonth}`);
  return `${root}${year}${month}FUT`;
}

/**
 * The Kite symbol of an option: the monthly form when `expiry` is the month's last Thursday, the
 * weekly form otherwise.
 */
export function formatKiteOption(root: string, expiry: string, strike: number, right: OptionRight): string {
  if (!isValidDate(expiry)) throw new RangeError(`expiry must be a date YYYYMMDD, got ${expiry}`);
  const year = Number(expiry.slice(0, 4));
  const month = Number(expiry.slice(4, 6));
  const suffix = `${formatStrike(strike)}${right === 'C' ? 'CE' : 'PE'}`;
  if (expiry === lastThursday(year, month))
    return `${root}${expiry.slice(2, 4)}${MONTHS[month - 1]}${suffix}`;
  return `${root}${expiry.slice(2, 4)}${WEEKLY_MONTH_CODES[month - 1]}${expiry.slice(6, 8)}${suffix}`;
}
