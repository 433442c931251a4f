/** A seed: a number (any finite value) or a string (hashed). */
export type Seed = number | string;

/**
 * 32-bit FNV-1a hash of a string. Used to turn string seeds and instrument keys into numbers, so
 * that each instrument gets its own random stream whatever else exists.
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function seedToNumber(seed: Seed): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number or a string, got ${seed}`);
  // Fold the integer and fractional parts so that 1 and 1.5 differ.
  return (Math.trunc(seed) ^ Math.round((seed % 1) * 0x7fffffff)) >>> 0;
}

/** splitmix32: spreads one 32-bit seed over the generator's state words. */
function splitmix32(state: number): () => number {
  let value = state >>> 0;
  return () => {
    value = (value + 0x9e3779b9) >>> 0;
    let mixed = value;
    mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad);
    mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97);
    return (mixed ^ (mixed >>> 15)) >>> 0;
  };
}

/**
 * A seeded pseudo-random generator (sfc32: small, fast, passes PractRand to 2^40). The same seed
 * gives the same sequence on every platform and Node version, which is what makes the simulator's
 * price paths, random rejections and ids reproducible byte for byte.
 *
 * @example
 * const random = new SeededRandom(42);
 * random.next();     // 0..1
 * random.normal();   // standard normal
 * const forInstrument = random.fork('SMART:AAPL'); // an independent stream
 */
export class SeededRandom {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  readonly #seed: number;

  constructor(seed: Seed = 1) {
    this.#seed = seedToNumber(seed);
    const mix = splitmix32(this.#seed);
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix();
    // Warm up so that similar seeds diverge at once.
    for (let index = 0; index < 12; index++) this.nextUint32();
  }

  /** The numeric seed this generator started from. */
  get seed(): number {
    return this.#seed;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [0, bound). */
  nextInt(bound: number): number {
    if (!(bound > 0) || !Number.isInteger(bound))
      throw new RangeError(`bound must be a positive integer, got ${bound}`);
    return Math.floor(this.next() * bound);
  }

  /** A standard normal deviate (Box-Muller; uses two draws, keeps none for later, so streams stay simple). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability `probability` (0..1). */
  chance(probability: number): boolean {
    if (probability <= 0) return false;
    if (probability >= 1) return true;
    return this.next() < probability;
  }

  /**
   * An independent generator derived from this one's seed and `stream`, without consuming from
   * this one: the same (seed, stream) pair always gives the same sequence.
   */
  fork(stream: string): SeededRandom {
    return new SeededRandom((this.#seed ^ hashString(stream)) >>> 0 || 0x9e3779b9);
  }
}
