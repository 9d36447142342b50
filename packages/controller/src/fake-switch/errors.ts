// The OpenFlow errors the fake sends, by the names ovs-ofctl prints (@weir/openflow's
// `errorName` turns the numbers back into these names). Which check raises which error, and
// when (as a bundle message is added, or only as the bundle is committed), was read off a real
// ovs-vswitchd 3.1; see README.md.
import { NX_VENDOR_ID, ONF_VENDOR_ID, type OpenFlowMessage } from '@weir/openflow';

export interface OfErrorCode {
  readonly errorType: number;
  readonly code: number;
  readonly experimenter?: number;
}

const std = (errorType: number, code: number): OfErrorCode => ({ errorType, code });
const onf = (code: number): OfErrorCode => ({ errorType: 0xffff, code, experimenter: ONF_VENDOR_ID });
const nx = (code: number): OfErrorCode => ({ errorType: 0xffff, code, experimenter: NX_VENDOR_ID });

export const OFPERR = {
  OFPHFC_INCOMPATIBLE: std(0, 0),
  OFPBRC_BAD_VERSION: std(1, 0),
  OFPBRC_BAD_TYPE: std(1, 1),
  OFPBRC_BAD_STAT: std(1, 2),
  OFPBRC_BAD_VENDOR: std(1, 3),
  OFPBRC_BAD_SUBTYPE: std(1, 4),
  OFPBRC_EPERM: std(1, 5),
  OFPBRC_BAD_LEN: std(1, 6),
  OFPBRC_BUFFER_UNKNOWN: std(1, 8),
  OFPBRC_IS_SECONDARY: std(1, 10),
  OFPBAC_BAD_TYPE: std(2, 0),
  OFPBAC_BAD_OUT_PORT: std(2, 4),
  OFPBAC_BAD_ARGUMENT: std(2, 5),
  OFPBAC_BAD_OUT_GROUP: std(2, 9),
  OFPBAC_MATCH_INCONSISTENT: std(2, 10),
  OFPBAC_BAD_SET_TYPE: std(2, 13),
  OFPBIC_UNSUP_INST: std(3, 1),
  OFPBIC_BAD_TABLE_ID: std(3, 2),
  OFPBIC_DUP_INST: onf(2600),
  OFPBMC_BAD_FIELD: std(4, 6),
  OFPBMC_BAD_VALUE: std(4, 7),
  OFPBMC_BAD_MASK: std(4, 8),
  OFPBMC_BAD_PREREQ: std(4, 9),
  OFPBMC_DUP_FIELD: std(4, 10),
  OFPFMFC_OVERLAP: std(5, 3),
  OFPFMFC_BAD_TABLE_ID: std(5, 2),
  OFPGMFC_GROUP_EXISTS: std(6, 0),
  OFPGMFC_INVALID_GROUP: std(6, 1),
  OFPGMFC_UNKNOWN_GROUP: std(6, 8),
  OFPRRFC_STALE: std(11, 0),
  OFPMMFC_INVALID_METER: std(12, 2),
  OFPBFC_BAD_ID: onf(2302),
  OFPBFC_BUNDLE_CLOSED: onf(2304),
  OFPBFC_BAD_TYPE: onf(2306),
  OFPBFC_BAD_FLAGS: onf(2307),
  OFPBFC_MSG_UNSUP: onf(2310),
  OFPBFC_MSG_FAILED: onf(2313),
  NXR_STALE: nx(35),
} as const satisfies Record<string, OfErrorCode>;

export type OfErrorName = keyof typeof OFPERR;

/** A request the switch refuses: carries the error to send back. */
export class Refusal extends Error {
  constructor(
    readonly error: OfErrorName,
    detail: string,
  ) {
    super(`${error}: ${detail}`);
    this.name = 'Refusal';
  }
}

/** Largest quotation that keeps the error message under OpenFlow's 65,535-byte limit. */
const MAX_QUOTE = 0xffff - 16;

/** The ERROR message for a refused request; like OVS, it quotes the whole request. */
export function errorMessage(name: OfErrorName, request: Buffer): OpenFlowMessage {
  const e: OfErrorCode = OFPERR[name];
  const data = request.length > MAX_QUOTE ? request.subarray(0, MAX_QUOTE) : request;
  return e.experimenter === undefined
    ? { type: 'error', errorType: e.errorType, code: e.code, data }
    : { type: 'error', errorType: e.errorType, code: e.code, experimenter: e.experimenter, data };
}
