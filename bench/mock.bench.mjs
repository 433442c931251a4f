// Mock broker benchmark: placeOrder -> acknowledgement latency, sustained orders/s placed AND
// filled, and heap use over 1,000,000 orders. Virtual clock, one core, built packages (run
// `pnpm --filter @brokerkit/broker-mock... build` first, or `pnpm bench` at the root).
//
//   node --expose-gc bench/mock.bench.mjs
//
// The spec quotes 1-2 ms for a mock order placement; the ratios below compare with its 1 ms
// (the faster end). Targets: p50 <= 20 us, >= 50,000 orders/s per CPU second (process CPU time,
// so a busy machine does not distort it; wall-clock orders/s is printed too), heap growth 100k -> 1M orders
// <= 32 MB (everything the broker and the simulator keep is bounded by their retention limits:
// 10,000 closed orders and 10,000 executions).
import { MockBroker } from '@brokerkit/broker-mock';

const SPEC_PLACEMENT_MS = 1;
const TARGET_P50_US = 20;
const TARGET_ORDERS_PER_SECOND = 50_000;
const HEAP_GROWTH_BOUND_MB = 32;

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const config = {
  clock: 'virtual',
  fillDelaySeconds: 0,
  randomWalk: false,
  priceStepMs: 0,
  initialBalance: 1_000_000_000,
};

async function newBroker(overrides = {}) {
  const broker = new MockBroker({ ...config, ...overrides });
  await broker.connect();
  return broker;
}

/** One order; alternating sides keep the position (and the margin check) flat. */
function order(index) {
  return { symbol: 'AAPL', side: index % 2 === 0 ? 'BUY' : 'SELL', quantity: 100, orderType: 'MARKET' };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency({ samples, warmup, fillDelaySeconds }) {
  const broker = await newBroker({ fillDelaySeconds });
  const clock = broker.simulator.clock;
  let fills = 0;
  broker.on('fill', () => fills++);
  const times = new Float64Array(samples);
  for (let index = 0; index < warmup + samples; index++) {
    const started = process.hrtime.bigint();
    const ack = await broker.placeOrder(order(index));
    const elapsed = Number(process.hrtime.bigint() - started) / 1_000;
    if (index >= warmup) times[index - warmup] = elapsed;
    if (fillDelaySeconds === 0 && ack.status !== 'FILLED')
      throw new Error(`order ${index} not filled at once: ${ack.status}`);
    // With a fill delay, let market time pass every 1,000 orders so that they fill in batches.
    if (fillDelaySeconds > 0 && index % 1_000 === 999) clock.advance(fillDelaySeconds * 1_000);
  }
  if (fillDelaySeconds > 0) clock.advance(fillDelaySeconds * 1_000);
  if (fills !== warmup + samples) throw new Error(`expected ${warmup + samples} fills, got ${fills}`);
  times.sort();
  return {
    samples,
    p50Us: percentile(times, 50),
    p90Us: percentile(times, 90),
    p99Us: percentile(times, 99),
    p999Us: percentile(times, 99.9),
    meanUs: times.reduce((sum, value) => sum + value, 0) / samples,
  };
}

async function throughput(total) {
  const broker = await newBroker();
  let fills = 0;
  broker.on('fill', () => fills++);
  for (let index = 0; index < 20_000; index++) await broker.placeOrder(order(index));
  fills = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let index = 0; index < total; index++) await broker.placeOrder(order(index));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  // User + system time of every thread of the process (GC helpers included): what the orders cost
  // in CPU, whatever else the machine is running.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (fills !== total) throw new Error(`expected ${total} fills, got ${fills}`);
  return {
    orders: total,
    filled: fills,
    seconds,
    cpuSeconds,
    ordersPerSecond: total / seconds,
    ordersPerCpuSecond: total / cpuSeconds,
  };
}

function heapMb() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed / 1_048_576;
}

async function memory(total) {
  const broker = await newBroker();
  let fills = 0;
  broker.on('fill', () => fills++);
  const before = heapMb();
  let at100k = 0;
  for (let index = 0; index < total; index++) {
    await broker.placeOrder(order(index));
    if (index + 1 === 100_000) at100k = heapMb();
  }
  const at1m = heapMb();
  if (fills !== total) throw new Error(`expected ${total} fills, got ${fills}`);
  const health = broker.health();
  return {
    orders: total,
    heapBeforeMb: before,
    heapAt100kMb: at100k,
    heapAt1mMb: at1m,
    growthMb: at1m - at100k,
    boundMb: HEAP_GROWTH_BOUND_MB,
    trackedOrders: health.trackedOrders,
    simulatorOrdersRetained:
      broker.simulator.getOrder(broker.accountId, '1') === undefined ? 'oldest forgotten' : 'kept',
  };
}

const immediate = await latency({ samples: 100_000, warmup: 20_000, fillDelaySeconds: 0 });
const delayed = await latency({ samples: 100_000, warmup: 20_000, fillDelaySeconds: 1 });
const rate = await throughput(300_000);
const heap = await memory(1_000_000);

const specUs = SPEC_PLACEMENT_MS * 1_000;
const rows = [
  [
    'ack latency p50 (fill delay 0, ack is FILLED)',
    `${immediate.p50Us.toFixed(2)} us`,
    `<= ${TARGET_P50_US} us`,
    `${(specUs / immediate.p50Us).toFixed(0)}x faster`,
  ],
  [
    'ack latency p99 (fill delay 0)',
    `${immediate.p99Us.toFixed(2)} us`,
    '',
    `${(specUs / immediate.p99Us).toFixed(0)}x faster`,
  ],
  [
    'ack latency p50 (fill delay 1 s, ack is SUBMITTED)',
    `${delayed.p50Us.toFixed(2)} us`,
    `<= ${TARGET_P50_US} us`,
    `${(specUs / delayed.p50Us).toFixed(0)}x faster`,
  ],
  [
    'ack latency p99 (fill delay 1 s)',
    `${delayed.p99Us.toFixed(2)} us`,
    '',
    `${(specUs / delayed.p99Us).toFixed(0)}x faster`,
  ],
  [
    'orders placed and filled per CPU second (one core)',
    rate.ordersPerCpuSecond.toFixed(0),
    `>= ${TARGET_ORDERS_PER_SECOND}`,
    `${(rate.ordersPerCpuSecond / (1_000 / SPEC_PLACEMENT_MS)).toFixed(0)}x the spec's 1,000/s`,
  ],
  [
    'orders placed and filled per wall-clock second',
    rate.ordersPerSecond.toFixed(0),
    '(load-dependent)',
    `${(rate.ordersPerSecond / (1_000 / SPEC_PLACEMENT_MS)).toFixed(0)}x the spec's 1,000/s`,
  ],
  [
    'heap growth 100k -> 1M orders',
    `${heap.growthMb.toFixed(2)} MB`,
    `<= ${HEAP_GROWTH_BOUND_MB} MB`,
    `heap ${heap.heapAt100kMb.toFixed(1)} -> ${heap.heapAt1mMb.toFixed(1)} MB`,
  ],
];
const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column].length), 8));
const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
console.log(`mock broker benchmark (node ${process.version}, ${process.platform}/${process.arch})`);
console.log(line(['metric', 'measured', 'target', 'vs spec (1 ms per placement)']));
console.log(line(widths.map((width) => '-'.repeat(width))));
for (const row of rows) console.log(line(row));

const pass =
  immediate.p50Us <= TARGET_P50_US &&
  delayed.p50Us <= TARGET_P50_US &&
  rate.ordersPerCpuSecond >= TARGET_ORDERS_PER_SECOND &&
  heap.growthMb <= HEAP_GROWTH_BOUND_MB;
const report = {
  benchmark: 'mock',
  node: process.version,
  spec: { placementMs: [1, 2] },
  targets: {
    p50Us: TARGET_P50_US,
    ordersPerSecond: TARGET_ORDERS_PER_SECOND,
    heapGrowthMb: HEAP_GROWTH_BOUND_MB,
  },
  latencyFillDelay0: immediate,
  latencyFillDelay1s: delayed,
  throughput: rate,
  memory: heap,
  ratios: {
    p50VsSpec: specUs / immediate.p50Us,
    p99VsSpec: specUs / immediate.p99Us,
    throughputVsSpec: rate.ordersPerCpuSecond / (1_000 / SPEC_PLACEMENT_MS),
  },
  pass,
};
console.log(JSON.stringify(report, null, 2));
process.exitCode = pass ? 0 : 1;
