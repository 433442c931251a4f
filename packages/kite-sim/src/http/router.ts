/** Which rate-limit budget a route draws from (Kite's published classes). */
export type RateClass = 'quote' | 'historical' | 'orders' | 'other';

/** How a route's body is read. */
export type BodyKind = 'none' | 'form' | 'json';

/** A route of the simulated API. */
export interface RouteDefinition<H> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/orders/:variety/:order_id`: literal segments and `:name` parameters. */
  pattern: string;
  rateClass: RateClass;
  /** False for the session endpoints, which authenticate by api_key + checksum instead. */
  authenticated: boolean;
  body: BodyKind;
  handler: H;
}

/** A matched route and its path parameters. */
export interface RouteMatch<H> {
  route: RouteDefinition<H>;
  params: Record<string, string>;
}

/** The outcome of a lookup: a match, a known path with another method (405), or nothing (404). */
export type RouteLookup<H> =
  | { kind: 'match'; match: RouteMatch<H> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

interface CompiledRoute<H> {
  definition: RouteDefinition<H>;
  /** Literal text per segment, or `undefined` for a parameter. */
  literals: (string | undefined)[];
  names: (string | undefined)[];
}

/**
 * A small method + path router. Literal segments beat parameters (`/orders/:order_id/trades`
 * and `/instruments/historical/...` are matched before `/orders/:variety/:order_id`), so the
 * table's order does not matter.
 */
export class Router<H> {
  readonly #bySegmentCount = new Map<number, CompiledRoute<H>[]>();

  constructor(routes: readonly RouteDefinition<H>[]) {
    for (const definition of routes) {
      const segments = splitPath(definition.pattern);
      const compiled: CompiledRoute<H> = {
        definition,
        literals: segments.map((segment) => (segment.startsWith(':') ? undefined : segment)),
        names: segments.map((segment) => (segment.startsWith(':') ? segment.slice(1) : undefined)),
      };
      const list = this.#bySegmentCount.get(segments.length) ?? [];
      list.push(compiled);
      // More literal segments first, so the most specific pattern wins.
      list.sort((a, b) => countLiterals(b) - countLiterals(a));
      this.#bySegmentCount.set(segments.length, list);
    }
  }

  /** Finds the route for a method and a path (without the query string). */
  lookup(method: string, pathname: string): RouteLookup<H> {
    const segments = splitPath(pathname);
    const candidates = this.#bySegmentCount.get(segments.length);
    if (candidates === undefined) return { kind: 'not-found' };
    let pathMatched = false;
    for (const candidate of candidates) {
      const params = matchSegments(candidate, segments);
      if (params === undefined) continue;
      if (candidate.definition.method !== method) {
        pathMatched = true;
        continue;
      }
      return { kind: 'match', match: { route: candidate.definition, params } };
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}

function countLiterals(route: CompiledRoute<unknown>): number {
  let count = 0;
  for (const literal of route.literals) if (literal !== undefined) count++;
  return count;
}

function matchSegments<H>(route: CompiledRoute<H>, segments: string[]): Record<string, string> | undefined {
  let params: Record<string, string> | undefined;
  for (let index = 0; index < segments.length; index++) {
    const literal = route.literals[index];
    const segment = segments[index]!;
    if (literal !== undefined) {
      if (literal !== segment) return undefined;
      continue;
    }
    if (segment === '') return undefined;
    params ??= {};
    params[route.names[index]!] = decodeSegment(segment);
  }
  return params ?? {};
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `/a/b/` -> ['a', 'b']; repeated slashes are kept as empty segments (no route matches them). */
function splitPath(path: string): string[] {
  let trimmed = path;
  if (trimmed.startsWith('/')) trimmed = trimmed.slice(1);
  if (trimmed.endsWith('/')) trimmed = trimmed.slice(0, -1);
  return trimmed === '' ? [] : trimmed.split('/');
}
