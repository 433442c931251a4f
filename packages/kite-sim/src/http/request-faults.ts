/** What an injected fault does to a request. */
export type RequestFaultKind =
  /** Answer with an error status (default 503 NetworkException, or an HTML page for `html: true`). */
  | 'error'
  /** Never answer and do not process: the client times out (ECONNABORTED). */
  | 'timeout'
  /** Reset the connection before processing (ECONNRESET / "socket hang up"). */
  | 'drop'
  /** Process, then answer after `delayMs`. */
  | 'delay'
  /** Process (the order is placed), then never answer: a lost response. */
  | 'lose';

/** A fault to inject into the next matching request(s). */
export interface RequestFault {
  kind: RequestFaultKind;
  /** How many matching requests it applies to. Default 1. */
  count?: number;
  /** Only requests with this method (`POST`). */
  method?: string;
  /** Only requests whose path starts with this (`/orders`) or matches this expression. */
  path?: string | RegExp;
  /** `error`: HTTP status. Default 503. */
  status?: number;
  /** `error`: the envelope's error_type. Default NetworkException. */
  errorType?: string;
  /** `error`: the envelope's message. Default by status. */
  message?: string;
  /** `error`: answer with an HTML page instead of the JSON envelope (a gateway error). */
  html?: boolean;
  /** `delay`: milliseconds (real time). */
  delayMs?: number;
  /** `lose`: `hang` keeps the connection open (client timeout), `reset` closes it. Default `hang`. */
  lose?: 'hang' | 'reset';
}

interface ArmedFault {
  fault: RequestFault;
  remaining: number;
}

/** Default messages per status for injected errors (Kite's error table, kite-connect-api.md section 4). */
export const DEFAULT_FAULT_MESSAGES: Readonly<Record<number, string>> = {
  500: 'Something unexpected went wrong',
  502: 'Request failed (kitetrade-oms)',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/** A queue of request faults; each request takes the first armed fault that matches it. */
export class RequestFaults {
  readonly #armed: ArmedFault[] = [];

  /** Arms a fault. */
  inject(fault: RequestFault): void {
    const count = fault.count ?? 1;
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`fault count must be a whole number >= 1, got ${count}`);
    if (fault.kind === 'delay' && !(typeof fault.delayMs === 'number' && fault.delayMs >= 0)) {
      throw new RangeError('a delay fault needs delayMs >= 0');
    }
    if (fault.kind === 'error' && fault.status !== undefined && (fault.status < 400 || fault.status > 599)) {
      throw new RangeError(`an error fault needs a 4xx or 5xx status, got ${fault.status}`);
    }
    this.#armed.push({ fault, remaining: count });
  }

  /** True when no fault is armed (the fast path skips matching). */
  get empty(): boolean {
    return this.#armed.length === 0;
  }

  /** Armed faults left. */
  get pending(): number {
    let count = 0;
    for (const armed of this.#armed) count += armed.remaining;
    return count;
  }

  /** Takes the fault for a request, if one matches. */
  take(method: string, path: string): RequestFault | undefined {
    for (let index = 0; index < this.#armed.length; index++) {
      const armed = this.#armed[index]!;
      const { fault } = armed;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method) continue;
      if (fault.path !== undefined) {
        const matches = typeof fault.path === 'string' ? path.startsWith(fault.path) : fault.path.test(path);
        if (!matches) continue;
      }
      armed.remaining--;
      if (armed.remaining === 0) this.#armed.splice(index, 1);
      return fault;
    }
    return undefined;
  }

  /** Disarms every fault. */
  clear(): void {
    this.#armed.length = 0;
  }
}
