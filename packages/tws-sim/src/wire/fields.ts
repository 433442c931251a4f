/**
 * Field-level conventions of the TWS socket protocol (protocol doc 1.6): every field is text,
 * an unset field is the empty string, an unset double is Java's `Double.MAX_VALUE`, an unset int
 * is `Integer.MAX_VALUE`, booleans are `0`/`1`.
 */

/** Java's `Double.MAX_VALUE`: TWS's marker for "no value" in double fields. */
export const UNSET_DOUBLE = Number.MAX_VALUE;
/** `Double.MAX_VALUE` as TWS writes it on the wire. */
export const UNSET_DOUBLE_TEXT = '1.7976931348623157E308';
/** Java's `Integer.MAX_VALUE`: TWS's marker for "no value" in int fields. */
export const UNSET_INTEGER = 2147483647;
/** `Integer.MAX_VALUE` as written on the wire. */
export const UNSET_INTEGER_TEXT = '2147483647';

/**
 * Formats a double as Java's `Double.toString` does, which is what TWS uses for most doubles:
 * `0.0`, `1.0`, `196.52`, `1.0E7`, `1.7976931348623157E308`. `undefined` gives the unset marker.
 */
export function formatJavaDouble(value: number | undefined): string {
  if (value === undefined || value === UNSET_DOUBLE) return UNSET_DOUBLE_TEXT;
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    // JS only switches to exponent notation below 1e-6 or from 1e21, so this is plain text.
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`;
}

/** A double as plain JS text (`0`, `150.5`), or the empty field when unset. */
export function formatNumberOrEmpty(value: number | undefined): string {
  if (value === undefined || value === UNSET_DOUBLE || !Number.isFinite(value)) return '';
  return formatDecimal(value);
}

/**
 * A decimal quantity (shares, contracts, coins) as TWS writes it: plain text without exponent
 * (`100`, `0.5`, `0.00000001`). `undefined` gives the empty field.
 */
export function formatDecimal(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  if (Number.isInteger(value) || Math.abs(value) >= 1e-6) return String(value);
  return value.toFixed(12).replace(/0+$/, '');
}

/** An integer field; `undefined` gives `2147483647` (Integer.MAX_VALUE, TWS's unset int). */
export function formatIntOrUnset(value: number | undefined): string {
  return value === undefined ? UNSET_INTEGER_TEXT : String(Math.trunc(value));
}

/** A boolean field: `1` or `0`. */
export function formatBool(value: boolean | undefined): string {
  return value ? '1' : '0';
}

/** Raised when a client field cannot be read as the type the message layout says. */
export class FieldFormatError extends Error {
  override readonly name = 'FieldFormatError';
  constructor(
    /** The offending text. */
    readonly text: string,
    /** Index of the field in the message (0 is the message id). */
    readonly index: number,
  ) {
    super(`For input string: "${text}"`);
  }
}

/** Raised when a client message has fewer fields than its layout needs. */
export class MessageUnderrunError extends Error {
  override readonly name = 'MessageUnderrunError';
  constructor(readonly needed: number) {
    super(`message ended after ${needed} fields`);
  }
}

const INTEGER = /^[+-]?\d+$/;

/**
 * Reads the fields of one client message in order, with TWS's parsing rules: the empty field is
 * "unset" for every type; `2147483647` and `1.7976931348623157E308` are unset too. Malformed
 * numbers throw {@link FieldFormatError}; running out of fields throws {@link MessageUnderrunError}.
 */
export class FieldReader {
  #index: number;

  constructor(
    readonly fields: readonly string[],
    start = 0,
  ) {
    this.#index = start;
  }

  /** Index of the next field. */
  get position(): number {
    return this.#index;
  }

  /** Fields not read yet. */
  get remaining(): number {
    return this.fields.length - this.#index;
  }

  /** Next field as text (the empty string when unset). */
  string(): string {
    const value = this.fields[this.#index];
    if (value === undefined) throw new MessageUnderrunError(this.#index + 1);
    this.#index++;
    return value;
  }

  /** Next field as text, or `undefined` when the message has no more fields (optional tails). */
  optionalString(): string | undefined {
    if (this.#index >= this.fields.length) return undefined;
    return this.string();
  }

  /** Skips `count` fields. */
  skip(count = 1): void {
    for (let step = 0; step < count; step++) this.string();
  }

  /** Next field as an integer; `undefined` when empty or `2147483647`. */
  int(): number | undefined {
    const index = this.#index;
    const text = this.string().trim();
    if (text === '') return undefined;
    if (!INTEGER.test(text)) throw new FieldFormatError(text, index);
    const value = Number(text);
    return value === UNSET_INTEGER ? undefined : value;
  }

  /** Next field as an integer, `fallback` when unset. */
  intOr(fallback: number): number {
    return this.int() ?? fallback;
  }

  /** Next field as a double; `undefined` when empty or Double.MAX_VALUE. */
  double(): number | undefined {
    const index = this.#index;
    const text = this.string().trim();
    if (text === '') return undefined;
    const value = Number(text.replaceAll(',', ''));
    if (Number.isNaN(value) && text !== 'NaN') throw new FieldFormatError(text, index);
    return value === UNSET_DOUBLE ? undefined : value;
  }

  /** Next field as a boolean (`0`/`1`, any non-zero integer is true); `undefined` when empty. */
  bool(): boolean | undefined {
    const index = this.#index;
    const text = this.string().trim();
    if (text === '') return undefined;
    if (text === 'true') return true;
    if (text === 'false') return false;
    if (!INTEGER.test(text)) throw new FieldFormatError(text, index);
    return Number(text) !== 0;
  }
}
