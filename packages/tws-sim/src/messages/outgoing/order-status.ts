import { formatDecimal, formatNumberOrEmpty } from '../../wire/fields.js';
import { ServerMessageId } from '../catalogue.js';

/** What ORDER_STATUS reports. */
export interface OrderStatusView {
  orderId: number;
  status: string;
  filled: number;
  remaining: number;
  avgFillPrice: number;
  permId: number;
  parentId: number;
  lastFillPrice: number;
  clientId: number;
  whyHeld: string;
  mktCapPrice: number;
}

/**
 * ORDER_STATUS (3), no version field since server version 131: `orderId | status | filled |
 * remaining | avgFillPrice | permId | parentId | lastFillPrice | clientId | whyHeld | mktCapPrice`.
 * Numbers as real TWS writes them here: `0`, `100`, `196.52`.
 */
export function encodeOrderStatus(view: OrderStatusView): string[] {
  return [
    String(ServerMessageId.ORDER_STATUS),
    String(view.orderId),
    view.status,
    formatDecimal(view.filled),
    formatDecimal(view.remaining),
    formatNumberOrEmpty(view.avgFillPrice),
    String(view.permId),
    String(view.parentId),
    formatNumberOrEmpty(view.lastFillPrice),
    String(view.clientId),
    view.whyHeld,
    formatNumberOrEmpty(view.mktCapPrice),
  ];
}
