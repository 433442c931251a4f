// IBKR plugin benchmark: placeOrder -> Submitted latency through @brokerkit/broker-ibkr versus the
// raw @stoqey/ib IBApi, on the same tws-sim in the same run, samples interleaved (raw, plugin,
// raw, ...) so both see the same conditions. Built packages (run
// `pnpm --filter @brokerkit/broker-ibkr... build` first, or `pnpm bench` at the root).
//
//   node --expose-gc bench/ibkr.bench.mjs
//
// tws-sim runs in a worker thread (as TWS runs in its own process), so the main thread measures
// the client side only. Orders are resting GTC limits (acknowledged Submitted, never filled) sent
// one every 30 ms: below both @stoqey/ib's 40/s limiter and the plugin's 45/s pacer, so neither
// queues and the numbers are the layer's own cost, not pacing. Target: median ratio <= 1.10.
import { isMainThread, parentPort, Worker } from 'node:worker_threads';

const SAMPLES = 300;
const WARMUP = 30;
const SPACING_MS = 30;
const TARGET_RATIO = 1.1;
const ACCOUNT = 'DU123456';

if (!isMainThread) {
  const { startTwsSim } = await import('@brokerkit/tws-sim');
  const sim = await startTwsSim({
    clock: 'real',
    accounts: ACCOUNT,
    cash: 100_000_000,
    simulatorOptions: { randomWalk: false, priceStepMs: 0 },
  });
  parentPort.postMessage({ host: sim.host, port: sim.port });
  parentPort.on('message', async (message) => {
    if (message === 'close') {
      await sim.close();
      parentPort.postMessage('closed');
    }
  });
} else {
  await main();
}

async function main() {
  const { EventName, IBApi } = await import('@stoqey/ib');
  const { createBroker, BrokerRegistry } = await import('@brokerkit/core');
  const { plugin } = await import('@brokerkit/broker-ibkr');

  const worker = new Worker(new URL(import.meta.url));
  const { host, port } = await new Promise((resolve) => worker.once('message', resolve));

  // --- raw IBApi client -----------------------------------------------------------------------
  const ib = new IBApi({ host, port });
  let nextId = 0;
  const waiting = new Map();
  ib.on(EventName.orderStatus, (orderId, status) => {
    if (status !== 'Submitted' && status !== 'PreSubmitted') return;
    const resolve = waiting.get(orderId);
    if (resolve !== undefined) {
      waiting.delete(orderId);
      resolve();
    }
  });
  ib.on(EventName.error, (error, code, id) => {
    if (id !== -1) console.error('raw client error', code, error.message);
  });
  await new Promise((resolve) => {
    ib.once(EventName.nextValidId, (id) => {
      nextId = id;
      resolve();
    });
    ib.connect(2);
  });
  const contract = await new Promise((resolve, reject) => {
    const rows = [];
    ib.on(EventName.contractDetails, (_reqId, details) => rows.push(details.contract));
    ib.once(EventName.contractDetailsEnd, () => resolve({ ...rows[0], exchange: 'SMART' }));
    ib.once(EventName.error, (error) => reject(error));
    ib.reqContractDetails(1, { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' });
  });
  const limitPrice = 100;
  async function rawPlace(index) {
    const orderId = nextId++;
    const started = process.hrtime.bigint();
    const acknowledged = new Promise((resolve) => waiting.set(orderId, resolve));
    ib.placeOrder(orderId, contract, {
      action: 'BUY',
      orderType: 'LMT',
      totalQuantity: 1,
      lmtPrice: limitPrice,
      tif: 'GTC',
      orderRef: `raw-${index}`,
      account: ACCOUNT,
      transmit: true,
    });
    await acknowledged;
    return Number(process.hrtime.bigint() - started) / 1_000;
  }

  // --- the plugin -----------------------------------------------------------------------------
  const registry = new BrokerRegistry().register(plugin);
  const broker = await createBroker(
    { broker: 'ibkr', host, port, clientId: 1, accountId: ACCOUNT },
    { registry },
  );
  await broker.connect();
  async function pluginPlace() {
    const started = process.hrtime.bigint();
    const ack = await broker.placeOrder({
      symbol: 'AAPL',
      side: 'BUY',
      quantity: 1,
      orderType: 'LIMIT',
      limitPrice,
      tif: 'GTC',
    });
    const elapsed = Number(process.hrtime.bigint() - started) / 1_000;
    if (ack.status !== 'SUBMITTED') throw new Error(`expected SUBMITTED, got ${ack.status}`);
    return elapsed;
  }

  const raw = [];
  const layered = [];
  const pause = () => new Promise((resolve) => setTimeout(resolve, SPACING_MS));
  for (let index = 0; index < WARMUP + SAMPLES; index++) {
    // Alternate which goes first so neither always follows the other's garbage.
    const rawFirst = index % 2 === 0;
    const a = rawFirst ? await rawPlace(index) : await pluginPlace();
    await pause();
    const b = rawFirst ? await pluginPlace() : await rawPlace(index);
    await pause();
    if (index < WARMUP) continue;
    raw.push(rawFirst ? a : b);
    layered.push(rawFirst ? b : a);
  }

  await broker.disconnect();
  ib.disconnect();
  worker.postMessage('close');
  await new Promise((resolve) => worker.once('message', resolve));
  await worker.terminate();

  const stats = (values) => {
    const sorted = [...values].sort((x, y) => x - y);
    const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    return { medianUs: at(0.5), p90Us: at(0.9), p99Us: at(0.99) };
  };
  const rawStats = stats(raw);
  const pluginStats = stats(layered);
  const ratio = pluginStats.medianUs / rawStats.medianUs;
  const round = (value) => Math.round(value * 10) / 10;
  console.log('placeOrder -> Submitted latency on tws-sim (microseconds)');
  console.table({
    'raw @stoqey/ib IBApi': {
      median: round(rawStats.medianUs),
      p90: round(rawStats.p90Us),
      p99: round(rawStats.p99Us),
    },
    '@brokerkit/broker-ibkr': {
      median: round(pluginStats.medianUs),
      p90: round(pluginStats.p90Us),
      p99: round(pluginStats.p99Us),
    },
  });
  const report = {
    benchmark: 'ibkr placeOrder -> Submitted',
    samples: SAMPLES,
    spacingMs: SPACING_MS,
    raw: rawStats,
    plugin: pluginStats,
    medianRatio: Math.round(ratio * 1000) / 1000,
    target: TARGET_RATIO,
    pass: ratio <= TARGET_RATIO,
  };
  console.log(`median ratio plugin/raw: ${report.medianRatio} (target <= ${TARGET_RATIO})`);
  console.log(JSON.stringify(report));
  process.exitCode = report.pass ? 0 : 1;
}
