import { inputError, invalidParameter } from '../http/kite-api-error.js';
import { KITE_EXCHANGES } from '../instruments/instrument-table.js';
import { historicalCandles } from '../market/historical-candles.js';
import { fullQuotes, ltpQuotes, ohlcQuotes, QUOTE_LIMITS, resolveInstruments } from '../market/quotes.js';
import { parseIstDateTime } from '../time/ist-time.js';
import { CsvResponse, type KiteRoute } from './route-context.js';

/** Instrument dumps, quotes and historical candles. */
export const MARKET_ROUTES: KiteRoute[] = [
  {
    method: 'GET',
    pattern: '/instruments',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ services }) => new CsvResponse(services.instrumentCsv(undefined)),
  },
  {
    method: 'GET',
    pattern: '/instruments/:exchange',
    rateClass: 'other',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) => {
      const exchange = params.path('exchange');
      if (!KITE_EXCHANGES.has(exchange)) throw invalidParameter('exchange');
      return new CsvResponse(services.instrumentCsv(exchange));
    },
  },
  {
    method: 'GET',
    pattern: '/quote',
    rateClass: 'quote',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) =>
      fullQuotes(
        resolveInstruments(params.getAll('i'), services.table, QUOTE_LIMITS.full),
        services.market,
        services.simulator.clock.now(),
      ),
  },
  {
    method: 'GET',
    pattern: '/quote/ohlc',
    rateClass: 'quote',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) =>
      ohlcQuotes(resolveInstruments(params.getAll('i'), services.table, QUOTE_LIMITS.ohlc), services.market),
  },
  {
    method: 'GET',
    pattern: '/quote/ltp',
    rateClass: 'quote',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) =>
      ltpQuotes(resolveInstruments(params.getAll('i'), services.table, QUOTE_LIMITS.ltp), services.market),
  },
  {
    method: 'GET',
    pattern: '/instruments/historical/:instrument_token/:interval',
    rateClass: 'historical',
    authenticated: true,
    body: 'none',
    handler: ({ params, services }) => {
      const token = params.path('instrument_token');
      const row = /^\d+$/.test(token) ? services.table.byToken(Number(token)) : undefined;
      if (row === undefined) throw invalidParameter('instrument_token');
      const fromText = params.get('from');
      const toText = params.get('to');
      if (fromText === undefined) throw invalidParameter('from');
      if (toText === undefined) throw invalidParameter('to');
      const from = parseIstDateTime(fromText);
      const to = parseIstDateTime(toText);
      if (from === undefined) throw inputError('Invalid `from` date format.');
      if (to === undefined) throw inputError('Invalid `to` date format.');
      const oi = params.get('oi') === '1' || params.get('oi') === 'true';
      return {
        candles: historicalCandles(
          row,
          params.path('interval'),
          from,
          to,
          services.simulator.clock.now(),
          oi,
        ),
      };
    },
  },
];
