import { commissionFor, commissionScheduleOf } from '@brokerkit/exchange-sim';
import type { KiteInstrument } from '../instruments/kite-instrument.js';
import { engineProduct, type KiteProduct } from '../orders/kite-order-types.js';

/** The `charges` object of order margins, basket margins and the virtual contract note. */
export interface KiteChargesJson {
  transaction_tax: number;
  transaction_tax_type: string;
  exchange_turnover_charge: number;
  sebi_turnover_charge: number;
  brokerage: number;
  stamp_duty: number;
  gst: { igst: number; cgst: number; sgst: number; total: number };
  total: number;
}

/**
 * Statutory rates as fractions of turnover (Zerodha's charges page, rates in force from
 * 1 October 2024). `stt*` apply to the buy and sell side as noted; stamp duty to buys only.
 */
export const CHARGE_RATES = Object.freeze({
  delivery: { sttBuy: 0.001, sttSell: 0.001, exchange: 0.0000297, stamp: 0.00015 },
  intraday: { sttBuy: 0, sttSell: 0.00025, exchange: 0.0000297, stamp: 0.00003 },
  futures: { sttBuy: 0, sttSell: 0.0002, exchange: 0.0000173, stamp: 0.00002 },
  options: { sttBuy: 0, sttSell: 0.001, exchange: 0.0003503, stamp: 0.00003 },
  /** SEBI turnover fee: 10 rupees per crore. */
  sebi: 0.000001,
  /** GST on brokerage, exchange and SEBI charges (charged as IGST). */
  gst: 0.18,
});

const round = (value: number) => Number(value.toFixed(6));

/** Charges of one executed order of `quantity` at `price`. Brokerage is the engine's commission schedule. */
export function computeCharges(
  row: KiteInstrument,
  product: KiteProduct,
  side: 'BUY' | 'SELL',
  quantity: number,
  price: number,
): KiteChargesJson {
  const turnover = quantity * price * row.instrument.multiplier;
  const rates =
    row.instrumentType === 'FUT'
      ? CHARGE_RATES.futures
      : row.instrumentType === 'CE' || row.instrumentType === 'PE'
        ? CHARGE_RATES.options
        : product === 'MIS'
          ? CHARGE_RATES.intraday
          : CHARGE_RATES.delivery;
  const transactionTax = turnover * (side === 'BUY' ? rates.sttBuy : rates.sttSell);
  const exchangeCharge = turnover * rates.exchange;
  const sebiCharge = turnover * CHARGE_RATES.sebi;
  const brokerage =
    quantity > 0
      ? commissionFor(commissionScheduleOf(row.instrument, engineProduct(product)), quantity, turnover)
      : 0;
  const stampDuty = side === 'BUY' ? turnover * rates.stamp : 0;
  const gst = (brokerage + exchangeCharge + sebiCharge) * CHARGE_RATES.gst;
  return {
    transaction_tax: round(transactionTax),
    transaction_tax_type: 'stt',
    exchange_turnover_charge: round(exchangeCharge),
    sebi_turnover_charge: round(sebiCharge),
    brokerage: round(brokerage),
    stamp_duty: round(stampDuty),
    gst: { igst: round(gst), cgst: 0, sgst: 0, total: round(gst) },
    total: round(transactionTax + exchangeCharge + sebiCharge + brokerage + stampDuty + gst),
  };
}

/** Charges with every amount 0 (the basket's initial / final blocks). */
export function zeroCharges(): KiteChargesJson {
  return {
    transaction_tax: 0,
    transaction_tax_type: '',
    exchange_turnover_charge: 0,
    sebi_turnover_charge: 0,
    brokerage: 0,
    stamp_duty: 0,
    gst: { igst: 0, cgst: 0, sgst: 0, total: 0 },
    total: 0,
  };
}

/** Adds `charges` into `into` (basket totals). */
export function addCharges(into: KiteChargesJson, charges: KiteChargesJson): void {
  into.transaction_tax = round(into.transaction_tax + charges.transaction_tax);
  into.exchange_turnover_charge = round(into.exchange_turnover_charge + charges.exchange_turnover_charge);
  into.sebi_turnover_charge = round(into.sebi_turnover_charge + charges.sebi_turnover_charge);
  into.brokerage = round(into.brokerage + charges.brokerage);
  into.stamp_duty = round(into.stamp_duty + charges.stamp_duty);
  into.gst.igst = round(into.gst.igst + charges.gst.igst);
  into.gst.total = round(into.gst.total + charges.gst.total);
  into.total = round(into.total + charges.total);
}
