import { EventName } from '@stoqey/ib';
import { describe, expect, test } from 'vitest';
import { HELP, optionsFromArgs, runCli } from './cli-options.js';
import { IbHarness } from './test-support/ib-harness.js';

const sink = () => {
  const chunks: string[] = [];
  return { chunks, write: (text: string) => chunks.push(text) };
};

describe('tws-sim command line', () => {
  test('defaults: port 4002, account DU123456, pacing 50/s, real clock', () => {
    expect(optionsFromArgs([])).toMatchObject({
      port: 4002,
      accounts: ['DU123456'],
      clock: 'real',
      pacing: { maxMessagesPerSecond: 50, disconnectOnViolation: false },
      replayOpenOrdersOnConnect: false,
    });
  });

  test('every flag', () => {
    expect(
      optionsFromArgs([
        '--port=0',
        '--account',
        'DU1,DU2',
        '--account',
        'DU3',
        '--cash',
        '5000',
        '--seed',
        '7',
        '--price',
        'AAPL=190.25',
        '--fill-delay-ms',
        '100',
        '--price-step-ms',
        '0',
        '--first-order-id',
        '1',
        '--max-messages-per-second',
        '0',
        '--pacing-disconnect',
        '--replay-open-orders',
        '--client-id-hold-ms',
        '250',
        '--admin-port',
        '0',
      ]),
    ).toMatchObject({
      port: 0,
      accounts: ['DU1', 'DU2', 'DU3'],
      cash: 5000,
      simulatorOptions: { seed: 7, prices: { AAPL: 190.25 }, fillDelayMs: 100, priceStepMs: 0 },
      firstOrderId: 1,
      pacing: { maxMessagesPerSecond: false, disconnectOnViolation: true },
      replayOpenOrdersOnConnect: true,
      clientIdHoldMs: 250,
      adminPort: 0,
    });
  });

  test('bad flags name themselves and exit 2; --help prints the usage and exits 0', async () => {
    expect(() => optionsFromArgs(['--port', 'abc'])).toThrow('--port must be a whole number >= 0, got abc');
    expect(() => optionsFromArgs(['--price', 'AAPL'])).toThrow('--price takes SYMBOL=PRICE, got AAPL');
    const stderr = sink();
    expect(await runCli(['--bogus'], sink(), stderr)).toBe(2);
    expect(stderr.chunks.join('')).toContain("Unknown option '--bogus'");
    const stdout = sink();
    expect(await runCli(['--help'], stdout, sink())).toBe(0);
    expect(stdout.chunks.join('')).toBe(HELP);
  });

  test('starts a server a real client can use and says where', async () => {
    const stdout = sink();
    const sim = await runCli(
      ['--port', '0', '--account', 'DU7', '--admin-port', '0', '--price-step-ms', '0'],
      stdout,
      sink(),
    );
    if (typeof sim === 'number') throw new Error(`exit code ${sim}`);
    try {
      expect(stdout.chunks.join('')).toBe(
        `tws-sim listening on 127.0.0.1:${sim.port} (server version 193, accounts DU7)\ntws-sim admin endpoint on http://127.0.0.1:${sim.adminPort}/\n`,
      );
      const client = await IbHarness.connect(sim, 1);
      expect(client.events.find((event) => event.name === EventName.managedAccounts)?.args).toEqual(['DU7']);
      client.disconnect();
    } finally {
      await sim.close();
    }
  });
});
