import type { CommandContext } from '../command-context.js';

/**
 * Tells a human why the mock shows nothing: each command runs its own in-process mock, so orders
 * and positions from an earlier command are gone. Silent with `--json` and on other brokers.
 */
export function noteMockHasNoState(context: CommandContext, brokerId: string): void {
  if (brokerId !== 'mock') return;
  context.output.note(
    'note: the mock broker starts empty in every brokerkit command (it keeps no state between commands); run "brokerkit demo" for a whole session',
  );
}
