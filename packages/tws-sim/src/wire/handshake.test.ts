import { describe, expect, test } from 'vitest';
import { formatConnectionTime, negotiateVersion, parseVersionRange, SERVER_VERSION } from './handshake.js';

describe('version negotiation', () => {
  test('stoqey asks v100..193 and gets 193', () => {
    const range = parseVersionRange('v100..193');
    expect(range).toEqual({ min: 100, max: 193, connectOptions: '' });
    expect(negotiateVersion(range!)).toBe(SERVER_VERSION);
  });

  test('official clients append a space and connect options', () => {
    expect(parseVersionRange('v100..200 +PACEAPI')).toEqual({
      min: 100,
      max: 200,
      connectOptions: '+PACEAPI',
    });
    expect(negotiateVersion(parseVersionRange('v100..200 ')!)).toBe(193);
  });

  test('a client that cannot speak 193 is refused', () => {
    expect(negotiateVersion(parseVersionRange('v176..176 ')!)).toBeUndefined();
    expect(negotiateVersion(parseVersionRange('v194..200')!)).toBeUndefined();
  });

  test('text that is not a range is rejected', () => {
    expect(parseVersionRange('hello')).toBeUndefined();
    expect(parseVersionRange('v200..100')).toBeUndefined();
    expect(parseVersionRange('v150')).toEqual({ min: 150, max: 150, connectOptions: '' });
  });

  test('connection time reads like TWS: yyyyMMdd HH:mm:ss zone', () => {
    expect(formatConnectionTime(Date.UTC(2025, 0, 1, 12, 0, 0))).toBe('20250101 12:00:00 UTC');
  });
});
