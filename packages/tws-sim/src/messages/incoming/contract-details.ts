import type { FieldReader } from '../../wire/fields.js';
import { type ContractFields, readContractFields } from './contract-fields.js';

/**
 * REQ_CONTRACT_DATA (9): `8 | reqId | <contract> | includeExpired | secIdType | secId | issuerId`.
 */
export interface ContractDetailsRequestMessage {
  type: 'REQ_CONTRACT_DATA';
  reqId: number;
  contract: ContractFields;
  includeExpired: boolean;
  secIdType: string;
  secId: string;
  issuerId: string;
}

/** Parses REQ_CONTRACT_DATA after its id. */
export function parseContractDetailsRequest(reader: FieldReader): ContractDetailsRequestMessage {
  reader.skip(); // version
  const reqId = reader.int() ?? 0;
  const contract = readContractFields(reader);
  const includeExpired = reader.bool() ?? false;
  const secIdType = reader.string();
  const secId = reader.string();
  const issuerId = reader.optionalString() ?? '';
  return { type: 'REQ_CONTRACT_DATA', reqId, contract, includeExpired, secIdType, secId, issuerId };
}
