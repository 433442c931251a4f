import { FieldFormatError, type FieldReader } from '../../wire/fields.js';
import { type ComboLegFields, type ContractFields, isBag, readContractFields } from './contract-fields.js';

/** A tag/value pair (algo parameters, smart-combo routing parameters). */
export interface TagValue {
  tag: string;
  value: string;
}

/**
 * The order fields of PLACE_ORDER at server version 193, named as IB's `Order` names them.
 * Numbers are `undefined` when the client left them unset (empty, `2147483647` or
 * `1.7976931348623157E308`); booleans are `undefined` when the field was empty.
 */
export interface OrderFields {
  action: string;
  totalQuantity: number | undefined;
  orderType: string;
  lmtPrice: number | undefined;
  auxPrice: number | undefined;
  tif: string;
  ocaGroup: string;
  account: string;
  openClose: string;
  origin: number | undefined;
  orderRef: string;
  /** Unset (`undefined`) means "do not transmit", exactly as TWS reads it. */
  transmit: boolean | undefined;
  parentId: number | undefined;
  blockOrder: boolean | undefined;
  sweepToFill: boolean | undefined;
  displaySize: number | undefined;
  triggerMethod: number | undefined;
  outsideRth: boolean | undefined;
  hidden: boolean | undefined;
  discretionaryAmt: number | undefined;
  goodAfterTime: string;
  goodTillDate: string;
  faGroup: string;
  faMethod: string;
  faPercentage: string;
  modelCode: string;
  shortSaleSlot: number | undefined;
  designatedLocation: string;
  exemptCode: number | undefined;
  ocaType: number | undefined;
  rule80A: string;
  settlingFirm: string;
  allOrNone: boolean | undefined;
  minQty: number | undefined;
  percentOffset: number | undefined;
  eTradeOnly: boolean | undefined;
  firmQuoteOnly: boolean | undefined;
  nbboPriceCap: number | undefined;
  auctionStrategy: number | undefined;
  startingPrice: number | undefined;
  stockRefPrice: number | undefined;
  delta: number | undefined;
  stockRangeLower: number | undefined;
  stockRangeUpper: number | undefined;
  overridePercentageConstraints: boolean | undefined;
  volatility: number | undefined;
  volatilityType: number | undefined;
  deltaNeutralOrderType: string;
  deltaNeutralAuxPrice: number | undefined;
  continuousUpdate: boolean | undefined;
  referencePriceType: number | undefined;
  trailStopPrice: number | undefined;
  trailingPercent: number | undefined;
  scaleInitLevelSize: number | undefined;
  scaleSubsLevelSize: number | undefined;
  scalePriceIncrement: number | undefined;
  scaleTable: string;
  activeStartTime: string;
  activeStopTime: string;
  hedgeType: string;
  hedgeParam: string;
  optOutSmartRouting: boolean | undefined;
  clearingAccount: string;
  clearingIntent: string;
  notHeld: boolean | undefined;
  algoStrategy: string;
  algoParams: TagValue[];
  algoId: string;
  whatIf: boolean | undefined;
  orderMiscOptions: string;
  solicited: boolean | undefined;
  randomizeSize: boolean | undefined;
  randomizePrice: boolean | undefined;
  /** Number of order conditions (their contents are read and dropped: conditions are not simulated). */
  conditionsCount: number;
  adjustedOrderType: string;
  triggerPrice: number | undefined;
  lmtPriceOffset: number | undefined;
  adjustedStopPrice: number | undefined;
  adjustedStopLimitPrice: number | undefined;
  adjustedTrailingAmount: number | undefined;
  adjustableTrailingUnit: number | undefined;
  extOperator: string;
  softDollarTierName: string;
  softDollarTierValue: string;
  cashQty: number | undefined;
  mifid2DecisionMaker: string;
  mifid2DecisionAlgo: string;
  mifid2ExecutionTrader: string;
  mifid2ExecutionAlgo: string;
  dontUseAutoPriceForHedge: boolean | undefined;
  isOmsContainer: boolean | undefined;
  discretionaryUpToLimitPrice: boolean | undefined;
  usePriceMgmtAlgo: boolean | undefined;
  duration: number | undefined;
  postToAts: number | undefined;
  autoCancelParent: boolean | undefined;
  advancedErrorOverride: string;
  manualOrderTime: string;
  minTradeQty: number | undefined;
  minCompeteSize: number | undefined;
  competeAgainstBestOffset: number | undefined;
  midOffsetAtWhole: number | undefined;
  midOffsetAtHalf: number | undefined;
  customerAccount: string;
  professionalCustomer: boolean | undefined;
  includeOvernight: boolean | undefined;
  manualOrderIndicator: number | undefined;
}

/** PLACE_ORDER (3): no version field at server version >= 145; layout in protocol doc 2.2. */
export interface PlaceOrderMessage {
  type: 'PLACE_ORDER';
  orderId: number;
  contract: ContractFields & { secIdType: string; secId: string };
  comboLegs: ComboLegFields[];
  order: OrderFields;
}

const isPegBench = (orderType: string) => orderType === 'PEG BENCH' || orderType === 'PEGBENCH';
const isPegBest = (orderType: string) => orderType === 'PEG BEST' || orderType === 'PEGBEST';
const isPegMid = (orderType: string) => orderType === 'PEG MID' || orderType === 'PEGMID';

/** Fields after `type | conjunction` for each order condition type (Price 1 ... PercentChange 7). */
const CONDITION_FIELD_COUNTS: Readonly<Record<number, number>> = { 1: 5, 3: 2, 4: 2, 5: 3, 6: 4, 7: 4 };

function skipConditions(reader: FieldReader, count: number): void {
  for (let condition = 0; condition < count; condition++) {
    const typeIndex = reader.position;
    const conditionType = reader.int() ?? 0;
    const fieldCount = CONDITION_FIELD_COUNTS[conditionType];
    if (fieldCount === undefined) throw new FieldFormatError(String(conditionType), typeIndex);
    reader.skip(1 + fieldCount); // conjunction + the type's own fields
  }
  reader.skip(2); // conditionsIgnoreRth, conditionsCancelOrder
}

/**
 * Parses PLACE_ORDER after its id, following the conditional blocks exactly as the client
 * writes them: BAG legs, delta-neutral (+8), scale (+7), hedge (+1), delta-neutral contract
 * (+3), algo params, PEG BENCH (+5), conditions, IBKRATS / PEG BEST / PEG MID offsets.
 */
export function parsePlaceOrder(reader: FieldReader): PlaceOrderMessage {
  const orderId = reader.int() ?? 0;
  const baseContract = readContractFields(reader);
  const contract = { ...baseContract, secIdType: reader.string(), secId: reader.string() };
  const action = reader.string();
  const totalQuantity = reader.double();
  const orderType = reader.string();
  const lmtPrice = reader.double();
  const auxPrice = reader.double();
  const tif = reader.string();
  const ocaGroup = reader.string();
  const account = reader.string();
  const openClose = reader.string();
  const origin = reader.int();
  const orderRef = reader.string();
  const transmit = reader.bool();
  const parentId = reader.int();
  const blockOrder = reader.bool();
  const sweepToFill = reader.bool();
  const displaySize = reader.int();
  const triggerMethod = reader.int();
  const outsideRth = reader.bool();
  const hidden = reader.bool();
  const comboLegs: ComboLegFields[] = [];
  if (isBag(contract)) {
    const legCount = reader.int() ?? 0;
    for (let leg = 0; leg < legCount; leg++) {
      comboLegs.push({
        conId: reader.int(),
        ratio: reader.int(),
        action: reader.string(),
        exchange: reader.string(),
      });
      reader.skip(3); // openClose, shortSaleSlot, designatedLocation
      reader.skip(); // exemptCode
    }
    const orderComboLegCount = reader.int() ?? 0;
    reader.skip(orderComboLegCount); // per-leg prices
    const routingParamCount = reader.int() ?? 0;
    reader.skip(routingParamCount * 2);
  }
  reader.skip(); // sharesAllocation (deprecated, always empty)
  const discretionaryAmt = reader.double();
  const goodAfterTime = reader.string();
  const goodTillDate = reader.string();
  const faGroup = reader.string();
  const faMethod = reader.string();
  const faPercentage = reader.string();
  const modelCode = reader.string();
  const shortSaleSlot = reader.int();
  const designatedLocation = reader.string();
  const exemptCode = reader.int();
  const ocaType = reader.int();
  const rule80A = reader.string();
  const settlingFirm = reader.string();
  const allOrNone = reader.bool();
  const minQty = reader.int();
  const percentOffset = reader.double();
  const eTradeOnly = reader.bool();
  const firmQuoteOnly = reader.bool();
  const nbboPriceCap = reader.double();
  const auctionStrategy = reader.int();
  const startingPrice = reader.double();
  const stockRefPrice = reader.double();
  const delta = reader.double();
  const stockRangeLower = reader.double();
  const stockRangeUpper = reader.double();
  const overridePercentageConstraints = reader.bool();
  const volatility = reader.double();
  const volatilityType = reader.int();
  const deltaNeutralOrderType = reader.string();
  const deltaNeutralAuxPrice = reader.double();
  // conId, settlingFirm, clearingAccount, clearingIntent, openClose, shortSale, shortSaleSlot, location
  if (deltaNeutralOrderType !== '') reader.skip(8);
  const continuousUpdate = reader.bool();
  const referencePriceType = reader.int();
  const trailStopPrice = reader.double();
  const trailingPercent = reader.double();
  const scaleInitLevelSize = reader.int();
  const scaleSubsLevelSize = reader.int();
  const scalePriceIncrementText = reader.fields[reader.position] ?? '';
  const scalePriceIncrement = reader.double();
  // adjust value, adjust interval, profit offset, auto reset, init position, init fill qty, random percent
  if (scalePriceIncrementText !== '') reader.skip(7);
  const scaleTable = reader.string();
  const activeStartTime = reader.string();
  const activeStopTime = reader.string();
  const hedgeType = reader.string();
  const hedgeParam = hedgeType !== '' ? reader.string() : '';
  const optOutSmartRouting = reader.bool();
  const clearingAccount = reader.string();
  const clearingIntent = reader.string();
  const notHeld = reader.bool();
  if (reader.bool()) reader.skip(3); // delta-neutral contract: conId, delta, price
  const algoStrategy = reader.string();
  const algoParams: TagValue[] = [];
  if (algoStrategy !== '') {
    const count = reader.int() ?? 0;
    for (let param = 0; param < count; param++)
      algoParams.push({ tag: reader.string(), value: reader.string() });
  }
  const algoId = reader.string();
  const whatIf = reader.bool();
  const orderMiscOptions = reader.string();
  const solicited = reader.bool();
  const randomizeSize = reader.bool();
  const randomizePrice = reader.bool();
  // referenceContractId, isPeggedChangeAmountDecrease, peggedChangeAmount, referenceChangeAmount, exchange
  if (isPegBench(orderType)) reader.skip(5);
  const conditionsCount = reader.int() ?? 0;
  if (conditionsCount > 0) skipConditions(reader, conditionsCount);
  const adjustedOrderType = reader.string();
  const triggerPrice = reader.double();
  const lmtPriceOffset = reader.double();
  const adjustedStopPrice = reader.double();
  const adjustedStopLimitPrice = reader.double();
  const adjustedTrailingAmount = reader.double();
  const adjustableTrailingUnit = reader.int();
  const extOperator = reader.string();
  const softDollarTierName = reader.string();
  const softDollarTierValue = reader.string();
  const cashQty = reader.double();
  const mifid2DecisionMaker = reader.string();
  const mifid2DecisionAlgo = reader.string();
  const mifid2ExecutionTrader = reader.string();
  const mifid2ExecutionAlgo = reader.string();
  const dontUseAutoPriceForHedge = reader.bool();
  const isOmsContainer = reader.bool();
  const discretionaryUpToLimitPrice = reader.bool();
  const usePriceMgmtAlgo = reader.bool();
  const duration = reader.int();
  const postToAts = reader.int();
  const autoCancelParent = reader.bool();
  const advancedErrorOverride = reader.string();
  const manualOrderTime = reader.string();
  let minTradeQty: number | undefined;
  let minCompeteSize: number | undefined;
  let competeAgainstBestOffset: number | undefined;
  let midOffsetAtWhole: number | undefined;
  let midOffsetAtHalf: number | undefined;
  if (contract.exchange === 'IBKRATS') minTradeQty = reader.int();
  let midOffsets = isPegMid(orderType);
  if (isPegBest(orderType)) {
    minCompeteSize = reader.int();
    competeAgainstBestOffset = reader.double();
    // "Up to mid" is Infinity on the client side, and then both mid offsets follow.
    midOffsets = competeAgainstBestOffset === Number.POSITIVE_INFINITY;
  }
  if (midOffsets) {
    midOffsetAtWhole = reader.double();
    midOffsetAtHalf = reader.double();
  }
  const customerAccount = reader.string();
  const professionalCustomer = reader.bool();
  const includeOvernight = reader.bool();
  const manualOrderIndicator = reader.int();
  return {
    type: 'PLACE_ORDER',
    orderId,
    contract,
    comboLegs,
    order: {
      action,
      totalQuantity,
      orderType,
      lmtPrice,
      auxPrice,
      tif,
      ocaGroup,
      account,
      openClose,
      origin,
      orderRef,
      transmit,
      parentId,
      blockOrder,
      sweepToFill,
      displaySize,
      triggerMethod,
      outsideRth,
      hidden,
      discretionaryAmt,
      goodAfterTime,
      goodTillDate,
      faGroup,
      faMethod,
      faPercentage,
      modelCode,
      shortSaleSlot,
      designatedLocation,
      exemptCode,
      ocaType,
      rule80A,
      settlingFirm,
      allOrNone,
      minQty,
      percentOffset,
      eTradeOnly,
      firmQuoteOnly,
      nbboPriceCap,
      auctionStrategy,
      startingPrice,
      stockRefPrice,
      delta,
      stockRangeLower,
      stockRangeUpper,
      overridePercentageConstraints,
      volatility,
      volatilityType,
      deltaNeutralOrderType,
      deltaNeutralAuxPrice,
      continuousUpdate,
      referencePriceType,
      trailStopPrice,
      trailingPercent,
      scaleInitLevelSize,
      scaleSubsLevelSize,
      scalePriceIncrement,
      scaleTable,
      activeStartTime,
      activeStopTime,
      hedgeType,
      hedgeParam,
      optOutSmartRouting,
      clearingAccount,
      clearingIntent,
      notHeld,
      algoStrategy,
      algoParams,
      algoId,
      whatIf,
      orderMiscOptions,
      solicited,
      randomizeSize,
      randomizePrice,
      conditionsCount,
      adjustedOrderType,
      triggerPrice,
      lmtPriceOffset,
      adjustedStopPrice,
      adjustedStopLimitPrice,
      adjustedTrailingAmount,
      adjustableTrailingUnit,
      extOperator,
      softDollarTierName,
      softDollarTierValue,
      cashQty,
      mifid2DecisionMaker,
      mifid2DecisionAlgo,
      mifid2ExecutionTrader,
      mifid2ExecutionAlgo,
      dontUseAutoPriceForHedge,
      isOmsContainer,
      discretionaryUpToLimitPrice,
      usePriceMgmtAlgo,
      duration,
      postToAts,
      autoCancelParent,
      advancedErrorOverride,
      manualOrderTime,
      minTradeQty,
      minCompeteSize,
      competeAgainstBestOffset,
      midOffsetAtWhole,
      midOffsetAtHalf,
      customerAccount,
      professionalCustomer,
      includeOvernight,
      manualOrderIndicator,
    },
  };
}
