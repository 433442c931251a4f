// tws-sim benchmark: order round trips per second on loopback with the raw @stoqey/ib IBApi.
//
//   pnpm --filter @brokerkit/tws-sim build && node bench/tws-sim.bench.mjs
//
// The simulator runs as its own process (the built `tws-sim` bin, as users run it: real clock,
// pacing off, frozen prices), the client in this one, as a strategy talks to IB Gateway. A round
// trip is PLACE_ORDER -> the ORDER_STATUS that settles it:
//
//   market: a MKT order (alternating BUY/SELL, so the position stays flat) until ORDER_STATUS
//           Filled; the simulator sends 6 messages per order (OPEN_ORDER + ORDER_STATUS
//           PreSubmitted, EXECUTION_DATA, OPEN_ORDER + ORDER_STATUS Filled, COMMISSION_REPORT).
//   resting: a LMT order away from the market until ORDER_STATUS Submitted (4 messages).
//
// Sustained: a window of orders in flight (like a strategy firing a batch), completions per
// second. Latency: one order at a time, p50 / p99. Target: >= 5,000 round trips/s sustained.
// CPU per round trip is reported for both processes (Linux /proc; null elsewhere): the client
// library's share bounds the end-to-end rate as much as the simulator's does.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const TARGET_ROUND_TRIPS_PER_SECOND = 5_000;
const packageDir = fileURLToPath(new URL('../packages/tws-sim/', import.meta.url));
// @stoqey/ib is a dev dependency of @brokerkit/tws-sim; resolve it from there.
const require = createRequire(`${packageDir}package.json`);
const { IBApi, EventName, OrderAction, OrderType, SecType, TimeInForce } = require('@stoqey/ib');

const AAPL = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

function startSimulator() {
  const child = spawn(
    process.execPath,
    [
      `${packageDir}dist/bin.js`,
      '--port',
      '0',
      '--price-step-ms',
      '0',
      '--max-messages-per-second',
      '0',
      '--cash',
      '1000000000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`tws-sim exited with ${code}: ${output}`)));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on ([\d.]+):(\d+)/.exec(output);
      if (match) resolve({ child, host: match[1], port: Number(match[2]) });
    });
  });
}

function connect(host, port, clientId) {
  const ib = new IBApi({ host, port, maxReqPerSec: 1_000_000 });
  return new Promise((resolve, reject) => {
    ib.once(EventName.nextValidId, (orderId) => resolve({ ib, nextOrderId: orderId }));
    ib.once(EventName.error, (error, code) => reject(new Error(`${code}: ${error.message}`)));
    ib.connect(clientId);
  });
}

const marketOrder = (index) => ({
  action: index % 2 === 0 ? OrderAction.BUY : OrderAction.SELL,
  totalQuantity: 100,
  orderType: OrderType.MKT,
  tif: TimeInForce.DAY,
  transmit: true,
});
const restingOrder = (index) => ({
  action: OrderAction.BUY,
  totalQuantity: 1,
  orderType: OrderType.LMT,
  lmtPrice: 100 + (index % 50) / 100,
  tif: TimeInForce.DAY,
  transmit: true,
});

/**
 * Places `count` orders keeping `window` in flight; resolves with per-order latencies (ms) and
 * the elapsed time. `settles(status)` says which ORDER_STATUS ends a round trip.
 */
function run(client, { count, window, order, settles }) {
  const { ib } = client;
  const sentAt = new Map();
  const latencies = new Float64Array(count);
  let sent = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const onStatus = (orderId, status) => {
      const at = sentAt.get(orderId);
      if (at === undefined || !settles(status)) return;
      sentAt.delete(orderId);
      latencies[done++] = performance.now() - at;
      if (done === count) {
        ib.off(EventName.orderStatus, onStatus);
        ib.off(EventName.error, onError);
        resolve({ latencies, elapsedMs: performance.now() - started });
        return;
      }
      if (sent < count) place();
    };
    const onError = (error, code, reqId) => reject(new Error(`order ${reqId}: ${code} ${error.message}`));
    const place = () => {
      const orderId = client.nextOrderId++;
      sentAt.set(orderId, performance.now());
      ib.placeOrder(orderId, AAPL, order(sent++));
    };
    ib.on(EventName.orderStatus, onStatus);
    ib.on(EventName.error, onError);
    for (let index = 0; index < Math.min(window, count); index++) place();
  });
}

/** CPU ms the simulator process has used (utime + stime from /proc, 100 ticks/s), or undefined off Linux. */
function childCpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Runs a scenario and measures CPU on both sides. */
async function measure(name, client, pid, options) {
  const simulatorBefore = childCpuMs(pid);
  const clientBefore = process.cpuUsage();
  const result = await run(client, options);
  const clientCpu = process.cpuUsage(clientBefore);
  const simulatorAfter = childCpuMs(pid);
  const perOrder = (ms) => (ms === undefined ? null : Math.round((ms * 1000) / options.count));
  return {
    ...summarize(name, result),
    simulatorCpuUsPerOrder: simulatorBefore === undefined ? null : perOrder(simulatorAfter - simulatorBefore),
    clientCpuUsPerOrder: perOrder((clientCpu.user + clientCpu.system) / 1000),
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(name, { latencies, elapsedMs }) {
  const sorted = Float64Array.from(latencies).sort();
  return {
    scenario: name,
    orders: latencies.length,
    roundTripsPerSecond: Math.round((latencies.length / elapsedMs) * 1000),
    p50Ms: Number(percentile(sorted, 50).toFixed(3)),
    p99Ms: Number(percentile(sorted, 99).toFixed(3)),
  };
}

const { child, host, port } = await startSimulator();
try {
  const market = await connect(host, port, 1);
  const resting = await connect(host, port, 2);
  const filled = (status) => status === 'Filled';
  const submitted = (status) => status === 'Submitted';
  // Warm-up (JIT on both sides), not reported.
  await run(market, { count: 5_000, window: 100, order: marketOrder, settles: filled });
  const pid = child.pid;
  const results = [
    await measure('market, 100 in flight', market, pid, {
      count: 50_000,
      window: 100,
      order: marketOrder,
      settles: filled,
    }),
    await measure('market, 1 in flight', market, pid, {
      count: 5_000,
      window: 1,
      order: marketOrder,
      settles: filled,
    }),
    await measure('resting, 100 in flight', resting, pid, {
      count: 20_000,
      window: 100,
      order: restingOrder,
      settles: submitted,
    }),
    await measure('resting, 1 in flight', resting, pid, {
      count: 5_000,
      window: 1,
      order: restingOrder,
      settles: submitted,
    }),
  ];
  market.ib.disconnect();
  resting.ib.disconnect();
  console.table(results);
  const sustained = results[0].roundTripsPerSecond;
  const verdict = {
    benchmark: 'tws-sim',
    node: process.version,
    target: { roundTripsPerSecond: TARGET_ROUND_TRIPS_PER_SECOND },
    sustainedRoundTripsPerSecond: sustained,
    // What one core running only the simulator could serve (market orders, 6 messages each).
    simulatorCapacityPerCore:
      results[0].simulatorCpuUsPerOrder === null
        ? null
        : Math.round(1_000_000 / results[0].simulatorCpuUsPerOrder),
    ratioToTarget: Number((sustained / TARGET_ROUND_TRIPS_PER_SECOND).toFixed(2)),
    meetsTarget: sustained >= TARGET_ROUND_TRIPS_PER_SECOND,
    results,
  };
  console.log(JSON.stringify(verdict, null, 2));
  if (!verdict.meetsTarget) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
}
