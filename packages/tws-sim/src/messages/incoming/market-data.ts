import type { FieldReader } from '../../wire/fields.js';
import { type ComboLegFields, type ContractFields, isBag, readContractFields } from './contract-fields.js';

/**
 * REQ_MKT_DATA (1): `11 | reqId | <contract> | [BAG legs] | deltaNeutral (0/1 [+3]) |
 * genericTickList | snapshot | regulatorySnapshot | mktDataOptions`.
 */
export interface MarketDataRequestMessage {
  type: 'REQ_MKT_DATA';
  reqId: number;
  contract: ContractFields;
  comboLegs: ComboLegFields[];
  genericTickList: string;
  snapshot: boolean;
  regulatorySnapshot: boolean;
}

/** CANCEL_MKT_DATA (2): `1 | reqId`. */
export interface CancelMarketDataMessage {
  type: 'CANCEL_MKT_DATA';
  reqId: number;
}

/** REQ_MARKET_DATA_TYPE (59): `1 | type` (1 live, 2 frozen, 3 delayed, 4 delayed-frozen). */
export interface MarketDataTypeMessage {
  type: 'REQ_MARKET_DATA_TYPE';
  marketDataType: number;
}

/** Parses REQ_MKT_DATA after its id. */
export function parseMarketDataRequest(reader: FieldReader): MarketDataRequestMessage {
  reader.skip(); // version
  const reqId = reader.int() ?? 0;
  const contract = readContractFields(reader);
  const comboLegs: ComboLegFields[] = [];
  if (isBag(contract)) {
    const count = reader.int() ?? 0;
    for (let leg = 0; leg < count; leg++) {
      comboLegs.push({
        conId: reader.int(),
        ratio: reader.int(),
        action: reader.string(),
        exchange: reader.string(),
      });
    }
  }
  if (reader.bool()) reader.skip(3); // delta-neutral contract: conId, delta, price
  const genericTickList = reader.string();
  const snapshot = reader.bool() ?? false;
  const regulatorySnapshot = reader.bool() ?? false;
  return { type: 'REQ_MKT_DATA', reqId, contract, comboLegs, genericTickList, snapshot, regulatorySnapshot };
}

/** Parses CANCEL_MKT_DATA after its id. */
export function parseCancelMarketData(reader: FieldReader): CancelMarketDataMessage {
  reader.skip(); // version
  return { type: 'CANCEL_MKT_DATA', reqId: reader.int() ?? 0 };
}

/** Parses REQ_MARKET_DATA_TYPE after its id. */
export function parseMarketDataType(reader: FieldReader): MarketDataTypeMessage {
  reader.skip(); // version
  return { type: 'REQ_MARKET_DATA_TYPE', marketDataType: reader.int() ?? 1 };
}
