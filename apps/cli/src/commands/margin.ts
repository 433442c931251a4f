import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { addOrderFlags, type OrderFlagValues, orderRequestFromFlags, withFlagHints } from '../order-flags.js';
import { renderMarginImpact, withoutRaw } from '../output/record-views.js';
import { describeOrder } from './order-place.js';

/**
 * `brokerkit margin <symbol> <side> [quantity] [order flags]`: the margin an order would need,
 * computed by the broker without placing it (IB what-if, Kite order margins).
 *
 * JSON: `{ "broker", "order": OrderRequest, "marginImpact": { "currency", "initialMargin",
 * "maintenanceMargin", "before"?, "change"?, "after"?, "commission"?, "breakdown"?, "warnings" } }`.
 */
export function registerMarginCommand(program: Command, state: ProgramState): void {
  addOrderFlags(
    program.command('margin').description('show the margin impact of an order without placing it'),
  ).action(
    commandAction<OrderFlagValues>(state, async (context, args, flags) => {
      const [symbol, side, quantity] = args as [string, string, string | undefined];
      const request = orderRequestFromFlags(symbol, side, quantity, flags);
      // Not read-only: IB computes margin with a what-if order message, which a read-only IBKR
      // broker refuses. This command only ever calls getOrderMarginImpact; nothing is placed.
      await context.withBroker({ readonly: false }, async ({ broker, plugin }) => {
        const impact = await context
          .waitFor('computing margin impact', () => broker.getOrderMarginImpact(request))
          .catch((error: unknown) => {
            throw withFlagHints(error);
          });
        const { output } = context;
        output.printJson({ broker: plugin.id, order: request, marginImpact: withoutRaw(impact) });
        output.print(
          `${output.colors.bold('Margin impact')} of ${describeOrder(request)} ${output.colors.dim(`(${plugin.id}; not placed)`)}`,
        );
        output.print(renderMarginImpact(impact, output.colors));
      });
    }),
  );
}
