import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { renderOrder, withoutRaw } from '../output/record-views.js';

/**
 * `brokerkit order status <orderId>`: the order's full record (status, fills, prices).
 *
 * JSON: `{ "broker", "order": OrderRecord }`.
 */
export function registerOrderStatusCommand(order: Command, state: ProgramState): void {
  order
    .command('status')
    .description("show an order's status, fills and prices")
    .argument('<orderId>', "the broker's order id (as printed by order place)")
    .addHelpText(
      'after',
      `
Mock broker: each brokerkit command runs its own in-process mock that keeps no state, so an
order placed by an earlier command is unknown here (exit code 7). Use "order place --wait" to
follow an order in one command, or "brokerkit demo" for a whole session.`,
    )
    .action(
      commandAction(state, async (context, [orderId]) => {
        await context.withBroker({ readonly: true }, async ({ broker, plugin }) => {
          const record = await context.waitFor(`reading order ${orderId}`, () => broker.getOrder(orderId!));
          const { output } = context;
          output.printJson({ broker: plugin.id, order: withoutRaw(record) });
          output.print(renderOrder(record, output.colors));
        });
      }),
    );
}
