import type { BrokerLogger } from '@brokerkit/core';

/** A logger that keeps every line, for tests that check what would be logged. */
export function capturingLogger(): BrokerLogger & {
  lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
  text(): string;
} {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  return {
    lines,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    text: () => JSON.stringify(lines),
  };
}

/** Waits until `check` holds, polling every 20 ms; fails after `timeoutMs`. */
export async function waitUntil(
  description: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting until ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
