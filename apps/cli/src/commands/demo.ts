import {
  type AccountBalance,
  createBroker,
  type MarginImpact,
  type OrderRecord,
  type PlaceOrderResult,
  type Position,
} from '@brokerkit/core';
import type { Command } from 'commander';
import { commandAction, type ProgramState } from '../command-action.js';
import { type DemoStep, runDemoScript } from '../demo/demo-script.js';
import { demoTargetFor } from '../demo/demo-targets.js';
import type { Colors } from '../output/colors.js';
import { formatMoney, formatPrice, formatQuantity, formatStatus } from '../output/format-values.js';
import { renderBalance, renderFill, renderPositions } from '../output/record-views.js';
import { addCleanup } from '../shutdown.js';

/**
 * `brokerkit demo`: a whole scripted session in a few seconds, on the mock by default. It never
 * reads your config or credentials: `--broker ibkr` / `--broker zerodha` run the same script
 * against the loopback simulators (tws-sim, kite-sim) once those packages are installed.
 *
 * JSON: `{ "broker": "mock", "ok": true, "durationMs", "steps": [{ "step": "connect", "durationMs" },
 * { "step": "balance", "balance" }, { "step": "placeMarketOrder", "request", "order" },
 * { "step": "watchFill", "order", "fills" }, { "step": "positions", "positions" },
 * { "step": "placeLimitOrder", "request", "order" }, { "step": "marginImpact", "request", "marginImpact" },
 * { "step": "modifyLimitOrder", "order" }, { "step": "cancelLimitOrder", "cancelled", "order" },
 * { "step": "disconnect" }] }`.
 */
export function registerDemoCommand(program: Command, state: ProgramState): void {
  program
    .command('demo')
    .description(
      'run a scripted session: balance, orders, fills, positions, margin, modify, cancel (mock by default)',
    )
    .addHelpText(
      'after',
      `
The demo never touches a real account and ignores your config: on the mock (default) it runs
in-process; --broker ibkr and --broker zerodha run it against the loopback simulators
(@brokerkit/tws-sim, @brokerkit/kite-sim) and need those packages plus the broker plugin.`,
    )
    .action(
      commandAction(state, async (context) => {
        const target = demoTargetFor(context.globals.broker ?? 'mock');
        const { output } = context;
        const environment = await context.waitFor(`preparing the ${target.brokerId} demo`, () =>
          target.start({
            resolvePlugin: (name) => context.resolver.resolve(name),
            searchDirs: context.resolver.searchDirs,
          }),
        );
        context.errorContext.brokerId = target.brokerId;
        const removeCleanup = addCleanup(() => environment.stop());
        const started = performance.now();
        try {
          const broker = await createBroker(environment.config, {
            registry: context.resolver.registry,
            cwd: context.io.cwd,
            timeouts: context.timeouts(),
          });
          const removeDisconnect = addCleanup(() => broker.disconnect());
          output.print(
            `${output.colors.bold(`brokerkit demo on ${target.brokerId}`)}: ${environment.description}\n`,
          );
          const steps = await runDemoScript(broker, environment.instrument, {
            step: (step) => output.print(describeStep(step, output.colors)),
            fill: (fill) => output.print(`  ${renderFill(fill, output.colors)}`),
          }).finally(removeDisconnect);
          const durationMs = Math.round(performance.now() - started);
          output.printJson({ broker: target.brokerId, ok: true, durationMs, steps });
          output.print(
            `\nDemo finished in ${(durationMs / 1000).toFixed(1)} s. Next: "brokerkit balance", "brokerkit order place AAPL buy 10 --wait 5", "brokerkit doctor".`,
          );
        } finally {
          removeCleanup();
          await environment.stop();
        }
      }),
    );
}

/** The human line(s) for one finished step. */
function describeStep(step: DemoStep, colors: Colors): string {
  const mark = colors.green('✔');
  const took = colors.dim(`(${step.durationMs} ms)`);
  const indent = (text: string) =>
    text
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n');
  switch (step.step) {
    case 'connect':
      return `${mark} connected ${took}`;
    case 'balance':
      return `${mark} balance ${took}\n${indent(renderBalance(step.balance as AccountBalance, colors))}`;
    case 'placeMarketOrder':
    case 'placeLimitOrder': {
      const order = step.order as PlaceOrderResult;
      const request = step.request as {
        side: string;
        quantity: number;
        symbol: string;
        orderType: string;
        limitPrice?: number;
      };
      const price = request.limitPrice === undefined ? '' : ` @ ${formatPrice(request.limitPrice)}`;
      const resting = step.step === 'placeLimitOrder' ? ' (resting, well below the market)' : '';
      return `${mark} placed ${request.orderType} ${request.side} ${formatQuantity(request.quantity)} ${request.symbol}${price}: order ${order.orderId} ${formatStatus(order.status, colors)}${resting} ${took}`;
    }
    case 'watchFill': {
      const order = step.order as OrderRecord;
      return `${mark} order ${order.orderId} ${formatStatus(order.status, colors)}: ${formatQuantity(order.filledQuantity)} @ ${formatPrice(order.averageFillPrice)}, seen through fill events ${took}`;
    }
    case 'positions': {
      const positions = step.positions as Position[];
      return `${mark} positions ${took}\n${indent(renderPositions(positions, colors))}`;
    }
    case 'marginImpact': {
      const impact = step.marginImpact as MarginImpact;
      const request = step.request as { quantity: number; symbol: string; limitPrice: number };
      return `${mark} margin impact of BUY ${formatQuantity(request.quantity)} ${request.symbol} @ ${formatPrice(request.limitPrice)} (not placed): initial ${formatMoney(impact.initialMargin)} ${impact.currency}, maintenance ${formatMoney(impact.maintenanceMargin)} ${impact.currency} ${took}`;
    }
    case 'modifyLimitOrder': {
      const order = step.order as OrderRecord;
      return `${mark} modified order ${order.orderId}: limit now ${formatPrice(order.limitPrice)}, ${formatStatus(order.status, colors)} ${took}`;
    }
    case 'cancelLimitOrder': {
      const order = step.order as OrderRecord;
      return `${mark} cancelled order ${order.orderId}: ${formatStatus(order.status, colors)} ${took}`;
    }
    case 'disconnect':
      return `${mark} disconnected ${took}`;
  }
}
