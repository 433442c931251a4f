import { describe, expect, test } from 'vitest';
import {
  FieldFormatError,
  FieldReader,
  formatDecimal,
  formatJavaDouble,
  formatNumberOrEmpty,
  MessageUnderrunError,
  UNSET_DOUBLE_TEXT,
} from './fields.js';

describe('server-side number formats', () => {
  test.each([
    [0, '0.0'],
    [1, '1.0'],
    [196.52, '196.52'],
    [-2.78, '-2.78'],
    [15841.63, '15841.63'],
    [1e7, '1.0E7'],
    [123456789.5, '1.234567895E8'],
    [0.0001, '1.0E-4'],
    [undefined, UNSET_DOUBLE_TEXT],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
  ])('Java Double.toString(%s) is %s', (value, expected) => {
    expect(formatJavaDouble(value)).toBe(expected);
  });

  test('decimals are plain text without exponent', () => {
    expect(formatDecimal(100)).toBe('100');
    expect(formatDecimal(0.5)).toBe('0.5');
    expect(formatDecimal(0.00000001)).toBe('0.00000001');
    expect(formatDecimal(undefined)).toBe('');
  });

  test('plain numbers leave unset values empty', () => {
    expect(formatNumberOrEmpty(0)).toBe('0');
    expect(formatNumberOrEmpty(Number.MAX_VALUE)).toBe('');
  });
});

describe('FieldReader', () => {
  test('empty, Integer.MAX_VALUE and Double.MAX_VALUE read as unset', () => {
    const reader = new FieldReader([
      '',
      '2147483647',
      '',
      '1.7976931348623157E308',
      '',
      '7',
      '150.5',
      '1',
      '0',
    ]);
    expect(reader.int()).toBeUndefined();
    expect(reader.int()).toBeUndefined();
    expect(reader.double()).toBeUndefined();
    expect(reader.double()).toBeUndefined();
    expect(reader.bool()).toBeUndefined();
    expect(reader.int()).toBe(7);
    expect(reader.double()).toBe(150.5);
    expect(reader.bool()).toBe(true);
    expect(reader.bool()).toBe(false);
    expect(reader.remaining).toBe(0);
  });

  test('a malformed number names the text and its field index', () => {
    const reader = new FieldReader(['3', 'abc'], 1);
    expect(() => reader.int()).toThrowError(new FieldFormatError('abc', 1));
    expect(() => new FieldReader(['x1.5']).double()).toThrow(FieldFormatError);
  });

  test('reading past the end is an underrun, optional tails are not', () => {
    const reader = new FieldReader(['1']);
    reader.string();
    expect(reader.optionalString()).toBeUndefined();
    expect(() => reader.string()).toThrow(MessageUnderrunError);
  });
});
