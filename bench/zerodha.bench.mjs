#!/usr/bin/env node
/**
 * Zerodha plugin benchmarks, against kite-sim on loopback, in one run:
 *
 * 1. placeOrder latency through @brokerkit/broker-zerodha vs the raw `kiteconnect` client on the same
 *    simulator, interleaved sample by sample. Target: median ratio <= 1.10. The simulator's rate
 *    limits are off and the plugin's limiter is raised, so that both sides measure round trips (the
 *    limiter still runs on every order).
 * 2. A batch of 300 orders with kite-sim enforcing Kite's 10 orders/s (and 400/min): achieved rate
 *    >= 95% of the limit and zero 429s.
 *
 * Run: pnpm --filter @brokerkit/broker-zerodha... run build && node bench/zerodha.bench.mjs
 * Options: --samples=<n> (default 1000), --batch=<n> (default 300), --json (JSON only).
 * Prints a table and a JSON line; exits 1 when a target is missed.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, '').split('=');
    return [key, value ?? 'true'];
  }),
);
const SAMPLES = Number(args.samples ?? 1000);
const WARMUP = 50;
const BATCH = Number(args.batch ?? 300);
const ORDER_LIMIT = 10;

/**
 * Imports a package from the bench's own dependencies, or else through the plugin's, so that this
 * file runs whether or not bench/package.json lists them.
 */
async function load(name) {
  try {
    return await import(name);
  } catch {
    const fromPlugin = createRequire(new URL('../packages/broker-zerodha/package.json', import.meta.url));
    const resolved =
      name === '@brokerkit/broker-zerodha'
        ? new URL('../packages/broker-zerodha/dist/index.js', import.meta.url).href
        : pathToFileURL(fromPlugin.resolve(name)).href;
    return import(resolved);
  }
}

const { plugin } = await load('@brokerkit/broker-zerodha');
const { startKiteSim } = await load('@brokerkit/kite-sim');
const kiteconnect = await load('kiteconnect');
const KiteConnect = kiteconnect.KiteConnect ?? kiteconnect.default?.KiteConnect;

const API_KEY = 'bench_api_key';
const ACCESS_TOKEN = 'bench_access_token';

function simOptions(rateLimits) {
  return {
    apiKey: API_KEY,
    apiSecret: 'bench_api_secret',
    accessToken: ACCESS_TOKEN,
    tokenExpiryTime: false,
    rateLimits,
    cash: 1e12,
    simulatorOptions: { priceStepMs: 0, randomWalk: false },
    onError: () => {},
  };
}

function brokerFor(sim, extra = {}, options = {}) {
  const config = plugin.configSchema.parse({
    apiKey: API_KEY,
    accessToken: ACCESS_TOKEN,
    root: sim.root,
    tickerRoot: sim.tickerRoot,
    ...extra,
  });
  return plugin.create(config, options);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const ms = (ns) => Number(ns) / 1e6;

async function latency() {
  const sim = await startKiteSim(simOptions(false));
  const broker = brokerFor(sim, {
    rateLimits: {
      ordersPerSecond: 100_000,
      ordersPerMinute: 1_000_000,
      ordersPerDay: 10_000_000,
      othersPerSecond: 100_000,
    },
  });
  await broker.connect();
  const kite = new KiteConnect({ api_key: API_KEY, access_token: ACCESS_TOKEN, root: sim.root });
  const limitPrice = Math.round(sim.control.price('NSE:INFY') * 0.9);
  const order = {
    symbol: 'INFY',
    exchange: 'NSE',
    product: 'CNC',
    side: 'BUY',
    quantity: 1,
    orderType: 'LIMIT',
    limitPrice,
  };
  const params = {
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    transaction_type: 'BUY',
    quantity: 1,
    product: 'CNC',
    order_type: 'LIMIT',
    validity: 'DAY',
    price: limitPrice,
  };
  const ours = [];
  const raw = [];
  for (let index = 0; index < WARMUP + SAMPLES; index++) {
    // Alternate which side goes first, so that neither always meets a warmer server.
    const sides = index % 2 === 0 ? ['ours', 'raw'] : ['raw', 'ours'];
    for (const side of sides) {
      const started = process.hrtime.bigint();
      if (side === 'ours') await broker.placeOrder(order);
      else await kite.placeOrder('regular', { ...params, tag: `raw${index}` });
      const elapsed = ms(process.hrtime.bigint() - started);
      if (index >= WARMUP) (side === 'ours' ? ours : raw).push(elapsed);
    }
  }
  await broker.disconnect();
  await sim.close();
  const oursMedian = median(ours);
  const rawMedian = median(raw);
  return {
    samples: SAMPLES,
    oursMedianMs: round(oursMedian),
    rawMedianMs: round(rawMedian),
    oursP90Ms: round(percentile(ours, 0.9)),
    rawP90Ms: round(percentile(raw, 0.9)),
    ratio: round(oursMedian / rawMedian, 3),
    target: 1.1,
  };
}

async function throughput() {
  const sim = await startKiteSim(simOptions(true));
  // The whole batch is handed over at once: let orders wait their turn in the queue for up to two
  // minutes instead of the default 10 s placeOrder timeout.
  const broker = brokerFor(sim, {}, { timeouts: { placeOrder: 120_000 } });
  await broker.connect();
  const limitPrice = Math.round(sim.control.price('NSE:INFY') * 0.9);
  // Load the instrument dump first, so the batch measures orders only.
  await broker.getOrderMarginImpact({
    symbol: 'INFY',
    exchange: 'NSE',
    side: 'BUY',
    quantity: 1,
    orderType: 'LIMIT',
    limitPrice,
  });
  let rateLimited = 0;
  let queueRefusals = 0;
  let failed = 0;
  const failures = new Map();
  const acks = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: BATCH }, async (_, index) => {
      try {
        await broker.placeOrder({
          symbol: 'INFY',
          exchange: 'NSE',
          product: 'CNC',
          side: 'BUY',
          quantity: 1,
          orderType: 'LIMIT',
          limitPrice,
          clientOrderId: `batch-${index}`,
        });
        acks.push(performance.now());
      } catch (error) {
        // A 429 from kite-sim is mapped to RateLimitError with the HTTP status in brokerCode; the
        // client-side queue refuses with RateLimitError too, but says the request was not sent.
        if (error?.code === 'RATE_LIMITED' && /not sent/.test(error.message)) queueRefusals++;
        else if (error?.code === 'RATE_LIMITED') rateLimited++;
        else {
          failed++;
          failures.set(error?.message, (failures.get(error?.message) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const placed = sim.control.orders().filter((order) => order.tag?.startsWith('batch-')).length;
  await broker.disconnect();
  await sim.close();
  acks.sort((a, b) => a - b);
  // Steady state: the orders after the first window, over the time after the first window.
  const steadyRate = (acks.length - ORDER_LIMIT) / ((acks.at(-1) - acks[ORDER_LIMIT - 1]) / 1000);
  const achievedRate = placed / (elapsedMs / 1000);
  return {
    orders: BATCH,
    placed,
    elapsedMs: Math.round(elapsedMs),
    achievedRate: round(achievedRate),
    steadyStateRate: round(steadyRate),
    limitPerSecond: ORDER_LIMIT,
    percentOfLimit: round((100 * Math.min(achievedRate, steadyRate)) / ORDER_LIMIT, 1),
    http429: rateLimited,
    queueRefusals,
    otherErrors: failed,
    ...(failures.size === 0 ? {} : { failures: Object.fromEntries(failures) }),
    target: { percentOfLimit: 95, http429: 0 },
  };
}

function round(value, digits = 2) {
  return Number(value.toFixed(digits));
}

const latencyResult = await latency();
const throughputResult = await throughput();
const ok =
  latencyResult.ratio <= latencyResult.target &&
  throughputResult.percentOfLimit >= 95 &&
  throughputResult.http429 === 0 &&
  throughputResult.queueRefusals === 0 &&
  throughputResult.otherErrors === 0 &&
  throughputResult.placed === BATCH;

if (args.json !== 'true') {
  console.log('zerodha bench (kite-sim on loopback)');
  console.table({
    'placeOrder median (ms)': {
      'broker-zerodha': latencyResult.oursMedianMs,
      kiteconnect: latencyResult.rawMedianMs,
    },
    'placeOrder p90 (ms)': { 'broker-zerodha': latencyResult.oursP90Ms, kiteconnect: latencyResult.rawP90Ms },
  });
  console.log(
    `median ratio ${latencyResult.ratio} (target <= ${latencyResult.target}) over ${latencyResult.samples} interleaved samples`,
  );
  console.log(
    `batch of ${throughputResult.orders} at ${ORDER_LIMIT}/s: ${throughputResult.placed} placed in ${throughputResult.elapsedMs} ms, ` +
      `${throughputResult.achievedRate}/s overall, ${throughputResult.steadyStateRate}/s steady state ` +
      `(${throughputResult.percentOfLimit}% of the limit, target >= 95%), 429s: ${throughputResult.http429}, other errors: ${throughputResult.otherErrors}`,
  );
}
console.log(JSON.stringify({ bench: 'zerodha', ok, latency: latencyResult, throughput: throughputResult }));
process.exitCode = ok ? 0 : 1;
