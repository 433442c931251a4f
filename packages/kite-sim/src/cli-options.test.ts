import { describe, expect, it } from 'vitest';
import { optionsFromArgs } from './cli-options.js';

describe('bin flags', () => {
  it('maps the documented flags to startKiteSim options', () => {
    const options = optionsFromArgs([
      '--port',
      '9090',
      '--api-key',
      'KEY',
      '--access-token',
      'TOKEN',
      '--api-secret',
      'SECRET',
      '--no-rate-limits',
      '--clock',
      'virtual',
      '--token-expiry',
      'none',
      '--holding',
      'NSE:INFY=10@1500.5',
      '--margin-rejection',
      'http',
      '--seed',
      '3',
      '--allow-unprotected-market',
    ]);
    expect(options).toMatchObject({
      port: 9090,
      host: '127.0.0.1',
      apiKey: 'KEY',
      accessToken: 'TOKEN',
      apiSecret: 'SECRET',
      rateLimits: false,
      clock: 'virtual',
      tokenExpiryTime: false,
      holdings: [{ exchange: 'NSE', tradingsymbol: 'INFY', quantity: 10, averagePrice: 1500.5 }],
      marginRejection: 'http',
      requireMarketProtection: false,
      admin: true,
      simulatorOptions: { seed: 3 },
    });
    expect(optionsFromArgs([])).toMatchObject({
      port: 8080,
      rateLimits: true,
      requireMarketProtection: true,
    });
    expect(optionsFromArgs(['--help'])).toBe('help');
  });

  it('names the bad flag', () => {
    expect(() => optionsFromArgs(['--port', 'http'])).toThrow('--port');
    expect(() => optionsFromArgs(['--clock', 'fast'])).toThrow('--clock');
    expect(() => optionsFromArgs(['--token-expiry', '25:00'])).toThrow('--token-expiry');
    expect(() => optionsFromArgs(['--holding', 'INFY'])).toThrow('--holding');
    expect(() => optionsFromArgs(['--nope'])).toThrow();
  });
});
