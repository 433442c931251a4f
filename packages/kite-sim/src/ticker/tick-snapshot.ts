/** One level of market depth. */
export interface DepthLevel {
  price: number;
  quantity: number;
  orders: number;
}

/** What a tick says about one instrument, in rupees and units; the encoder writes the wire form. */
export interface TickSnapshot {
  instrumentToken: number;
  /** Index (segment 9): encoded as the 28/32-byte index packets. */
  isIndex: boolean;
  lastPrice: number;
  lastQuantity: number;
  averagePrice: number;
  volume: number;
  totalBuyQuantity: number;
  totalSellQuantity: number;
  open: number;
  high: number;
  low: number;
  /** Previous close. */
  close: number;
  /** Epoch seconds. */
  lastTradeTime: number;
  oi: number;
  oiDayHigh: number;
  oiDayLow: number;
  /** Epoch seconds. */
  exchangeTimestamp: number;
  /** Five levels each side. */
  buyDepth: readonly DepthLevel[];
  sellDepth: readonly DepthLevel[];
}

/** Subscription modes of the ticker. */
export type TickerMode = 'ltp' | 'quote' | 'full';
