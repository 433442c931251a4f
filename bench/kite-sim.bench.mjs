// kite-sim benchmark: HTTP requests per second the Kite Connect simulator serves on loopback.
//
//   pnpm --filter @brokerkit/kite-sim build && node bench/kite-sim.bench.mjs
//
// The simulator runs as its own process (the built `kite-sim` bin, as users run it: real clock,
// rate limits off, frozen prices), the client in this one with a keep-alive http.Agent and a
// fixed number of requests in flight, as an adapter benchmark would drive it. Each request is a
// complete authenticated Kite call answered with the JSON envelope:
//
//   ltp:        GET /quote/ltp?i=NSE:INFY           (the cheapest market-data read)
//   margins:    GET /user/margins                   (account figures from the engine)
//   positions:  GET /portfolio/positions
//   place:      POST /orders/regular                (a resting LIMIT order, form-encoded)
//   modify:     PUT /orders/regular/:order_id       (price change of a resting order)
//
// Target: >= 5,000 requests/s for ltp with 32 in flight, so the simulator is never what an
// adapter benchmark measures. Exit code 1 when missed.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const TARGET_REQUESTS_PER_SECOND = 5_000;
const API_KEY = 'bench_key';
const ACCESS_TOKEN = 'bench_token';
const packageDir = fileURLToPath(new URL('../packages/kite-sim/', import.meta.url));

function startSimulator() {
  const child = spawn(
    process.execPath,
    [
      `${packageDir}dist/bin.js`,
      '--port',
      '0',
      '--api-key',
      API_KEY,
      '--access-token',
      ACCESS_TOKEN,
      '--no-rate-limits',
      '--price-step-ms',
      '0',
      '--token-expiry',
      'none',
      '--cash',
      '100000000000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /root http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match !== null) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`kite-sim exited with ${code}: ${output}`)));
  });
}

const { child, port } = await startSimulator();
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const headers = { Authorization: `token ${API_KEY}:${ACCESS_TOKEN}`, 'X-Kite-Version': '3' };

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers:
          body === undefined
            ? headers
            : {
                ...headers,
                'Content-Type': 'application/x-www-form-urlencoded',
                'Content-Length': Buffer.byteLength(body),
              },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200)
            reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks)}`));
          else resolve(Buffer.concat(chunks));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `count` requests made by `next(index)` with `window` in flight; returns requests/s and latency. */
async function run(name, { count, window, next }) {
  const latencies = new Float64Array(count);
  let issued = 0;
  const started = performance.now();
  async function lane() {
    while (issued < count) {
      const index = issued++;
      const [method, path, body] = next(index);
      const t0 = performance.now();
      await call(method, path, body);
      latencies[index] = performance.now() - t0;
    }
  }
  await Promise.all(Array.from({ length: window }, lane));
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name,
    inFlight: window,
    requests: count,
    requestsPerSecond: Math.round(count / seconds),
    p50Ms: Number(sorted[Math.floor(count * 0.5)].toFixed(3)),
    p99Ms: Number(sorted[Math.floor(count * 0.99)].toFixed(3)),
  };
}

const ORDER_BODY =
  'exchange=NSE&tradingsymbol=INFY&transaction_type=BUY&quantity=1&product=CNC&order_type=LIMIT&price=1500&validity=DAY&variety=regular';
const ltp = () => ['GET', '/quote/ltp?i=NSE%3AINFY'];

try {
  // Warm-up (JIT on both sides), not reported.
  await run('warm-up', { count: 5_000, window: 32, next: ltp });
  const orderIds = [];
  const place = () => ['POST', '/orders/regular', ORDER_BODY];
  const placed = await run('place (POST /orders/regular)', {
    count: 10_000,
    window: 32,
    next: place,
  });
  const book = JSON.parse(await call('GET', '/orders'));
  for (const order of book.data) orderIds.push(order.order_id);
  const results = [
    await run('ltp (GET /quote/ltp)', { count: 50_000, window: 32, next: ltp }),
    await run('ltp, 1 in flight', { count: 5_000, window: 1, next: ltp }),
    await run('margins (GET /user/margins)', {
      count: 20_000,
      window: 32,
      next: () => ['GET', '/user/margins'],
    }),
    await run('positions (GET /portfolio/positions)', {
      count: 20_000,
      window: 32,
      next: () => ['GET', '/portfolio/positions'],
    }),
    placed,
    await run('modify (PUT /orders/regular/:id)', {
      count: 10_000,
      window: 32,
      next: (index) => [
        'PUT',
        `/orders/regular/${orderIds[index % orderIds.length]}`,
        `price=${(1499 - (index % 100) * 0.05).toFixed(2)}`,
      ],
    }),
  ];
  console.table(results);
  const headline = results[0].requestsPerSecond;
  const verdict = {
    benchmark: 'kite-sim',
    node: process.version,
    target: { requestsPerSecond: TARGET_REQUESTS_PER_SECOND },
    headlineRequestsPerSecond: headline,
    ratioToTarget: Number((headline / TARGET_REQUESTS_PER_SECOND).toFixed(2)),
    meetsTarget: headline >= TARGET_REQUESTS_PER_SECOND,
    results,
  };
  console.log(JSON.stringify(verdict, null, 2));
  if (!verdict.meetsTarget) process.exitCode = 1;
} finally {
  agent.destroy();
  child.kill('SIGTERM');
}
