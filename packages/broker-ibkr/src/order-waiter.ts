import type { OrderStatus } from '@brokerkit/core';
import type { OrderState } from '@stoqey/ib';
import type { OrderEntry } from './order-store.js';

/** A call waiting on TWS's answers about one order: its placement, a cancel, a modify or a what-if. */
export interface OrderWaiter {
  /** False while the call's message waits for the pacer: a dropped connection means "not sent" then. */
  sent: boolean;
  /** `status`: the entry's brokerkit status when it was just computed (else undefined). */
  onEntry?(entry: OrderEntry, status: OrderStatus | undefined): void;
  onWhatIf?(state: OrderState): void;
  onError(code: number, message: string): void;
  onConnectionLost(): void;
}
