import { parseArgs } from 'node:util';
import type { HoldingSeed, KiteSimOptions } from './kite-sim.js';

/** The bin's usage text. */
export const HELP = `kite-sim: a Kite Connect v3 simulator (HTTP API + ticker WebSocket) for kiteconnect clients

Usage: kite-sim [options]

  --port <n>                      TCP port (default 8080; 0 = any free port)
  --host <address>                address to listen on (default 127.0.0.1)
  --api-key <key>                 the app's api_key (default kite_sim_api_key)
  --api-secret <secret>           the app's api_secret, for session checksums (default kite_sim_api_secret)
  --access-token <token>          an access token accepted at once (the request-token login works too)
  --user-id <id>                  the Kite user id (default AB1234)
  --cash <rupees>                 starting cash (default 1000000)
  --holding <EX:SYMBOL=QTY@PRICE> a starting delivery holding, repeatable (e.g. NSE:INFY=10@1500)
  --seed <n>                      seed of the price paths (default 1)
  --clock <real|virtual>          wall-clock time (default) or virtual time moved by the admin endpoint
  --price-step-ms <ms>            price path step, 0 freezes prices (default 1000)
  --fill-delay-ms <ms>            time from acceptance to the matching engine (default 0)
  --no-rate-limits                turn Kite's rate limits off
  --token-expiry <HH:MM|none>     IST time at which access tokens expire daily (default 06:00)
  --allow-unprotected-market      accept MARKET / SL-M orders without market_protection
  --margin-rejection <order|http> unaffordable orders: REJECTED order (default) or HTTP 400 MarginException
  --redirect-url <url>            where /connect/login redirects with request_token (default: JSON answer)
  --no-admin                      do not serve the loopback admin endpoint under /__kite-sim/
  --help                          show this help

Point kiteconnect at it with { root: "http://127.0.0.1:<port>" } and KiteTicker with
{ root: "ws://127.0.0.1:<port>/" }. Log in without a browser: GET /connect/login?api_key=<key>&v=3
returns a request_token for generateSession().

Admin endpoint (loopback clients only), JSON bodies, Kite envelopes back:
  GET  /__kite-sim/health | /__kite-sim/orders
  POST /__kite-sim/price {"instrument":"NSE:INFY","price":1500}
  POST /__kite-sim/clock/advance {"ms":60000}          (with --clock virtual)
  POST /__kite-sim/request-token | /__kite-sim/access-token {"access_token":"..."}
  POST /__kite-sim/tokens/expire
  POST /__kite-sim/orders/reject-next {"reason":"...","count":1}
  POST /__kite-sim/faults {"kind":"error|timeout|drop|delay|lose","status":503,"path":"/orders","method":"POST","count":1,"delay_ms":500,"lose":"hang|reset","html":false}
  DELETE /__kite-sim/faults
  POST /__kite-sim/connections/drop
  POST /__kite-sim/rate-limits {"enabled":false}
  POST /__kite-sim/deposit {"amount":100000}
`;

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a whole number >= 0, got ${value}`);
  return parsed;
}

function amount(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new Error(`--${name} must be a number >= 0, got ${value}`);
  return parsed;
}

function holding(value: string): HoldingSeed {
  const match = /^(?:(NSE|BSE):)?([A-Z0-9&_-]+)=(\d+)@(\d+(?:\.\d+)?)$/.exec(value);
  if (match === null) throw new Error(`--holding must look like NSE:INFY=10@1500, got ${value}`);
  return {
    exchange: (match[1] ?? 'NSE') as 'NSE' | 'BSE',
    tradingsymbol: match[2]!,
    quantity: Number(match[3]),
    averagePrice: Number(match[4]),
  };
}

/** Turns the command line into options for `startKiteSim`; throws with a message naming the bad flag. */
export function optionsFromArgs(args: string[]): KiteSimOptions | 'help' {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'api-secret': { type: 'string' },
      'access-token': { type: 'string' },
      'user-id': { type: 'string' },
      cash: { type: 'string' },
      holding: { type: 'string', multiple: true },
      seed: { type: 'string' },
      clock: { type: 'string' },
      'price-step-ms': { type: 'string' },
      'fill-delay-ms': { type: 'string' },
      'no-rate-limits': { type: 'boolean' },
      'token-expiry': { type: 'string' },
      'allow-unprotected-market': { type: 'boolean' },
      'margin-rejection': { type: 'string' },
      'redirect-url': { type: 'string' },
      'no-admin': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return 'help';
  const clock = values.clock ?? 'real';
  if (clock !== 'real' && clock !== 'virtual')
    throw new Error(`--clock must be real or virtual, got ${clock}`);
  const marginRejection = values['margin-rejection'] ?? 'order';
  if (marginRejection !== 'order' && marginRejection !== 'http') {
    throw new Error(`--margin-rejection must be order or http, got ${marginRejection}`);
  }
  const tokenExpiry = values['token-expiry'];
  if (tokenExpiry !== undefined && tokenExpiry !== 'none' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(tokenExpiry)) {
    throw new Error(`--token-expiry must be HH:MM (IST) or none, got ${tokenExpiry}`);
  }
  const port = wholeNumber('port', values.port) ?? 8080;
  if (port > 65_535) throw new Error(`--port must be at most 65535, got ${port}`);
  const seed = wholeNumber('seed', values.seed);
  const priceStepMs = amount('price-step-ms', values['price-step-ms']);
  const fillDelayMs = amount('fill-delay-ms', values['fill-delay-ms']);
  const options: KiteSimOptions = {
    port,
    host: values.host ?? '127.0.0.1',
    clock,
    rateLimits: values['no-rate-limits'] !== true,
    requireMarketProtection: values['allow-unprotected-market'] !== true,
    marginRejection,
    admin: values['no-admin'] !== true,
    simulatorOptions: {
      ...(seed === undefined ? {} : { seed }),
      ...(priceStepMs === undefined ? {} : { priceStepMs }),
      ...(fillDelayMs === undefined ? {} : { fillDelayMs }),
    },
  };
  if (values['api-key'] !== undefined) options.apiKey = values['api-key'];
  if (values['api-secret'] !== undefined) options.apiSecret = values['api-secret'];
  if (values['access-token'] !== undefined) options.accessToken = values['access-token'];
  if (values['user-id'] !== undefined) options.userId = values['user-id'];
  const cash = amount('cash', values.cash);
  if (cash !== undefined) options.cash = cash;
  if (values.holding !== undefined) options.holdings = values.holding.map(holding);
  if (tokenExpiry !== undefined) options.tokenExpiryTime = tokenExpiry === 'none' ? false : tokenExpiry;
  if (values['redirect-url'] !== undefined) options.redirectUrl = values['redirect-url'];
  return options;
}
