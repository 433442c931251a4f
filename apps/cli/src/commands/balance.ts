import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { renderBalance, withoutRaw } from '../output/record-views.js';

/**
 * `brokerkit balance`: the account's balances and buying power.
 *
 * JSON: `{ "broker": "mock", "balance": { "currency", "equity", "cash", "buyingPower", "marginUsed",
 * "marginAvailable", ... } }`.
 */
export function registerBalanceCommand(program: Command, state: ProgramState): void {
  program
    .command('balance')
    .description('show account balances and buying power')
    .action(
      commandAction(state, async (context) => {
        await context.withBroker({ readonly: true }, async ({ broker, plugin }) => {
          const balance = await context.waitFor('reading the balance', () => broker.getAccountBalance());
          const { output } = context;
          output.printJson({ broker: plugin.id, balance: withoutRaw(balance) });
          output.print(`${output.colors.bold(`Account balance`)} ${output.colors.dim(`(${plugin.id})`)}`);
          output.print(renderBalance(balance, output.colors));
        });
      }),
    );
}
