import { generateClientOrderId, isFinalStatus, type OrderRecord, OrderRejectedError } from '@brokerkit/core';
import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { commandAction, type ProgramState } from '../command-action.js';
import { confirmOrderAction } from '../confirm.js';
import { addOrderFlags, type OrderFlagValues, orderRequestFromFlags, withFlagHints } from '../order-flags.js';
import { OrderWatcher } from '../order-watcher.js';
import { formatPrice, formatQuantity } from '../output/format-values.js';
import { renderFill, renderOrder, renderPlacement, withoutRaw } from '../output/record-views.js';

interface PlaceFlags extends OrderFlagValues {
  wait?: string;
  yes?: boolean;
}

/**
 * `brokerkit order place <symbol> <side> [quantity]`: validates the order locally, then places it.
 * With `--wait <seconds>` it follows the order to a final status, printing fills as they arrive.
 *
 * JSON: `{ "broker", "order": { "orderId", "clientOrderId", "status", "createdAt", ... }, "fills": [] }`;
 * without `--wait`, `order` is the acknowledgement; with it, the order's full record.
 */
export function registerOrderPlaceCommand(order: Command, state: ProgramState): void {
  addOrderFlags(order.command('place').description('place an order'))
    .option('-w, --wait <seconds>', 'wait up to this long for the order to fill, cancel or be rejected')
    .option('-y, --yes', 'do not ask for confirmation (asked only on a terminal, never for the mock)')
    .addHelpText(
      'after',
      `
Examples:
  brokerkit order place AAPL buy 100                          market order
  brokerkit order place AAPL buy 100 -t limit -l 180 --tif gtc
  brokerkit order place GC buy 1 --sec-type FUT --exchange NYMEX --expiry 202412
  brokerkit order place SPY buy 1 --sec-type OPT --expiry 20241220 --strike 450 --right C --multiplier 100
  brokerkit order place BTC buy --cash-qty 10000 --sec-type CRYPTO --exchange PAXOS
  brokerkit -b zerodha order place RELIANCE buy 10 --exchange NSE --product CNC

The order is sent once. Exit code 10 means it was sent but no answer came: do not re-send;
look for it with "brokerkit orders" (its client order id is printed).`,
    )
    .action(
      commandAction<PlaceFlags>(state, async (context, args, flags) => {
        const [symbol, side, quantity] = args as [string, string, string | undefined];
        const request = orderRequestFromFlags(symbol, side, quantity, flags);
        const waitMs = parseWaitSeconds(flags.wait);
        // Known before sending, so the fill can be matched even if it arrives before the acknowledgement.
        request.clientOrderId ??= generateClientOrderId();
        const { plugin } = await context.brokerConfig();
        await confirmOrderAction(context, plugin.id, describeOrder(request), flags.yes);

        return context.withBroker({ readonly: false }, async ({ broker }) => {
          const { output } = context;
          const watcher =
            waitMs === undefined
              ? undefined
              : new OrderWatcher(broker, request.clientOrderId!, (fill) =>
                  output.note(renderFill(fill, output.errorColors)),
                );
          try {
            const placed = await context
              .waitFor('placing the order', () => broker.placeOrder(request))
              .catch((error: unknown) => {
                throw withFlagHints(error);
              });
            if (watcher === undefined || waitMs === undefined) {
              output.printJson({ broker: plugin.id, order: withoutRaw(placed), fills: [] });
              output.print(`${output.colors.bold('Order placed')} ${output.colors.dim(`(${plugin.id})`)}`);
              output.print(renderPlacement(placed, output.colors));
              if (plugin.id === 'mock') {
                output.note(
                  'note: the mock lives only as long as this command, so this order ends with it; add --wait <seconds> to see it fill',
                );
              }
              return checkRejected(placed.status, placed.orderId, plugin.id, undefined);
            }
            if (!isFinalStatus(placed.status)) {
              output.note(
                `order ${placed.orderId} placed (${placed.status}, client order id ${placed.clientOrderId}); waiting up to ${waitMs / 1000} s for it to finish`,
              );
            }
            const result = await context.waitFor(`waiting for order ${placed.orderId}`, () =>
              watcher.waitForFinal(placed.orderId, waitMs),
            );
            output.printJson({
              broker: plugin.id,
              order: withoutRaw(result.order),
              fills: result.fills.map(withoutRaw),
            });
            output.print(`${output.colors.bold('Order placed')} ${output.colors.dim(`(${plugin.id})`)}`);
            output.print(renderOrder(result.order, output.colors));
            if (result.timedOut) {
              output.note(
                `note: order ${placed.orderId} is still ${result.order.status} after ${waitMs / 1000} s`,
              );
            }
            return checkRejected(result.order.status, placed.orderId, plugin.id, result.order);
          } finally {
            watcher?.stop();
          }
        });
      }),
    );
}

/** An order that ends REJECTED is a failure for scripts (exit code 4), even after it was acknowledged. */
function checkRejected(
  status: string,
  orderId: string,
  broker: string,
  order: OrderRecord | undefined,
): undefined {
  if (status !== 'REJECTED') return undefined;
  const reason = order?.statusMessage ?? 'the broker gave no reason';
  throw new OrderRejectedError({
    message: `order ${orderId} was rejected: ${reason}`,
    reason,
    orderId,
    broker,
  });
}

function parseWaitSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(seconds > 0)) {
    throw usageError(`--wait must be a positive number of seconds, got "${text}"`);
  }
  return Math.round(seconds * 1000);
}

/** `BUY 100 AAPL LIMIT @ 180.00 GTC`: how the confirmation question and headers name an order. */
export function describeOrder(request: {
  side: string;
  symbol: string;
  quantity?: number | undefined;
  cashQty?: number | undefined;
  orderType: string;
  limitPrice?: number | undefined;
  stopPrice?: number | undefined;
  tif?: string | undefined;
}): string {
  const amount =
    request.quantity === undefined
      ? `cash ${formatPrice(request.cashQty)} of`
      : formatQuantity(request.quantity);
  const prices = [
    request.stopPrice === undefined ? '' : `stop ${formatPrice(request.stopPrice)}`,
    request.limitPrice === undefined ? '' : `@ ${formatPrice(request.limitPrice)}`,
  ].filter(Boolean);
  return [request.side, amount, request.symbol, request.orderType, ...prices, request.tif ?? 'DAY'].join(' ');
}
