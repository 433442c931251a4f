import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { confirmOrderAction } from '../confirm.js';
import { type ModifyFlagValues, orderUpdateFromFlags, withFlagHints } from '../order-flags.js';
import { renderOrder, withoutRaw } from '../output/record-views.js';

interface ModifyFlags extends ModifyFlagValues {
  yes?: boolean;
}

/**
 * `brokerkit order modify <orderId> [--quantity n] [--limit p] [--stop p] [--type t] [--tif t]`.
 *
 * JSON: `{ "broker", "order": OrderRecord }` (the order after the change).
 */
export function registerOrderModifyCommand(order: Command, state: ProgramState): void {
  order
    .command('modify')
    .description('change the quantity, prices, type or time in force of a working order')
    .argument('<orderId>', "the broker's order id")
    .option('-q, --quantity <n>', 'new total quantity')
    .option('-l, --limit <price>', 'new limit price')
    .option('-s, --stop <price>', 'new stop price')
    .option('-t, --type <type>', 'new order type: market, limit, stop, stop-limit')
    .option('--tif <tif>', 'new time in force: day, gtc, ioc, fok')
    .option('-y, --yes', 'do not ask for confirmation (asked only on a terminal, never for the mock)')
    .action(
      commandAction<ModifyFlags>(state, async (context, [orderId], flags) => {
        const update = orderUpdateFromFlags(flags);
        const { plugin } = await context.brokerConfig();
        const changes = Object.entries(update)
          .map(([field, value]) => `${field} ${String(value)}`)
          .join(', ');
        await confirmOrderAction(context, plugin.id, `Modify order ${orderId}: ${changes}`, flags.yes);
        await context.withBroker({ readonly: false }, async ({ broker }) => {
          const record = await context
            .waitFor(`modifying order ${orderId}`, () => broker.modifyOrder(orderId!, update))
            .catch((error: unknown) => {
              throw withFlagHints(error);
            });
          const { output } = context;
          output.printJson({ broker: plugin.id, order: withoutRaw(record) });
          output.print(`${output.colors.bold('Order modified')} ${output.colors.dim(`(${plugin.id})`)}`);
          output.print(renderOrder(record, output.colors));
        });
      }),
    );
}
