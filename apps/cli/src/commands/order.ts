import type { Command } from 'commander';
import type { ProgramState } from '../command-action.js';
import { registerOrderCancelCommand } from './order-cancel.js';
import { registerOrderModifyCommand } from './order-modify.js';
import { registerOrderPlaceCommand } from './order-place.js';
import { registerOrderStatusCommand } from './order-status.js';

/** `brokerkit order place|status|cancel|modify`. */
export function registerOrderCommands(program: Command, state: ProgramState): void {
  const order = program.command('order').description('place, inspect, cancel or modify an order');
  registerOrderPlaceCommand(order, state);
  registerOrderStatusCommand(order, state);
  registerOrderCancelCommand(order, state);
  registerOrderModifyCommand(order, state);
}
