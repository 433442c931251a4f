/**
 * The parameters of one request, merged the way the Kite API reads them: path parameters first,
 * then the form-encoded body (POST/PUT), then the query string. kiteconnect repeats path
 * parameters in the body or query (`variety=regular&order_id=…`); the path wins if they differ.
 *
 * An empty string counts as absent: kiteconnect sends `null` values as `price=`.
 */
export class RequestParams {
  readonly #path: Record<string, string>;
  readonly #body: URLSearchParams | undefined;
  readonly #query: URLSearchParams;

  constructor(pathParams: Record<string, string>, query: URLSearchParams, body: URLSearchParams | undefined) {
    this.#path = pathParams;
    this.#query = query;
    this.#body = body;
  }

  /** The value of `name`, or `undefined` when absent or empty. */
  get(name: string): string | undefined {
    const fromPath = this.#path[name];
    if (fromPath !== undefined && fromPath !== '') return fromPath;
    const fromBody = firstNonEmpty(this.#body, name);
    if (fromBody !== undefined) return fromBody;
    return firstNonEmpty(this.#query, name);
  }

  /** Every non-empty value of `name` (repeated keys such as `i=NSE:INFY&i=NSE:SBIN`), body then query. */
  getAll(name: string): string[] {
    const values: string[] = [];
    if (this.#body !== undefined)
      for (const value of this.#body.getAll(name)) if (value !== '') values.push(value);
    for (const value of this.#query.getAll(name)) if (value !== '') values.push(value);
    return values;
  }

  /** True when `name` has a non-empty value. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** A path parameter, as matched by the router. */
  path(name: string): string {
    return this.#path[name] ?? '';
  }
}

function firstNonEmpty(source: URLSearchParams | undefined, name: string): string | undefined {
  if (source === undefined) return undefined;
  for (const value of source.getAll(name)) if (value !== '') return value;
  return undefined;
}

/**
 * Parses an `application/x-www-form-urlencoded` body. Malformed percent escapes are kept as
 * written (URLSearchParams never throws), so a bad body becomes a bad value, answered with the
 * API's own 400 for that field.
 */
export function parseFormBody(body: string): URLSearchParams {
  return new URLSearchParams(body);
}
