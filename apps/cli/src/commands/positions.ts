import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { renderPositions, withoutRaw } from '../output/record-views.js';
import { noteMockHasNoState } from './mock-note.js';

/**
 * `brokerkit positions`: open positions.
 *
 * JSON: `{ "broker": "mock", "positions": [{ "symbol", "currency", "quantity", "averagePrice", ... }] }`.
 */
export function registerPositionsCommand(program: Command, state: ProgramState): void {
  program
    .command('positions')
    .description('list open positions')
    .action(
      commandAction(state, async (context) => {
        await context.withBroker({ readonly: true }, async ({ broker, plugin }) => {
          const positions = await context.waitFor('reading positions', () => broker.getOpenPositions());
          const { output } = context;
          output.printJson({ broker: plugin.id, positions: positions.map(withoutRaw) });
          if (positions.length === 0) {
            output.print('No open positions.');
            noteMockHasNoState(context, plugin.id);
            return;
          }
          output.print(renderPositions(positions, output.colors));
        });
      }),
    );
}
