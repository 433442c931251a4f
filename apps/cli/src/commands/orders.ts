import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { renderOrders, withoutRaw } from '../output/record-views.js';
import { noteMockHasNoState } from './mock-note.js';

/**
 * `brokerkit orders`: working (open) orders.
 *
 * JSON: `{ "broker": "mock", "orders": [OrderRecord, ...] }`.
 */
export function registerOrdersCommand(program: Command, state: ProgramState): void {
  program
    .command('orders')
    .description('list open (working) orders')
    .action(
      commandAction(state, async (context) => {
        await context.withBroker({ readonly: true }, async ({ broker, plugin }) => {
          const orders = await context.waitFor('reading open orders', () => broker.getOpenOrders());
          const { output } = context;
          output.printJson({ broker: plugin.id, orders: orders.map(withoutRaw) });
          if (orders.length === 0) {
            output.print('No open orders.');
            noteMockHasNoState(context, plugin.id);
            return;
          }
          output.print(renderOrders(orders, output.colors));
        });
      }),
    );
}
