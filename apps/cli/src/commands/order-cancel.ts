import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { confirmOrderAction } from '../confirm.js';

interface CancelFlags {
  yes?: boolean;
}

/**
 * `brokerkit order cancel <orderId>`: asks the broker to cancel a working order.
 *
 * JSON: `{ "broker", "orderId", "cancelled": true }`; `cancelled` is false when the order was
 * already final (filled, cancelled, rejected), so there was nothing to cancel.
 */
export function registerOrderCancelCommand(order: Command, state: ProgramState): void {
  order
    .command('cancel')
    .description('cancel a working order')
    .argument('<orderId>', "the broker's order id")
    .option('-y, --yes', 'do not ask for confirmation (asked only on a terminal, never for the mock)')
    .action(
      commandAction<CancelFlags>(state, async (context, [orderId], flags) => {
        const { plugin } = await context.brokerConfig();
        await confirmOrderAction(context, plugin.id, `Cancel order ${orderId}`, flags.yes);
        await context.withBroker({ readonly: false }, async ({ broker }) => {
          const cancelled = await context.waitFor(`cancelling order ${orderId}`, () =>
            broker.cancelOrder(orderId!),
          );
          const { output } = context;
          output.printJson({ broker: plugin.id, orderId, cancelled });
          output.print(
            cancelled
              ? `Cancel of order ${orderId} accepted.`
              : `Order ${orderId} was already filled, cancelled or rejected; nothing to cancel.`,
          );
        });
      }),
    );
}
