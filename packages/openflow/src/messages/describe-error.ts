// Turns an OpenFlow ERROR message into the name ovs-ofctl would print (OFPBAC_BAD_OUT_PORT…)
// and, where the error quotes the failing request, a short description of that request.
import { NX_VENDOR_ID, ONF_VENDOR_ID } from '../constants.js';
import { NX_ERROR_NAMES, ONF_ERROR_NAMES, STANDARD_ERROR_NAMES } from './error-names.js';

export interface ErrorInfo {
  readonly errorType: number;
  readonly code: number;
  readonly experimenter?: number;
}

export function errorName(e: ErrorInfo): string {
  if (e.experimenter === NX_VENDOR_ID) return NX_ERROR_NAMES.get(e.code) ?? `NXERR(${e.code})`;
  if (e.experimenter === ONF_VENDOR_ID) return ONF_ERROR_NAMES.get(e.code) ?? `ONFERR(${e.code})`;
  if (e.experimenter !== undefined) return `EXPERIMENTER(0x${e.experimenter.toString(16)},${e.code})`;
  return STANDARD_ERROR_NAMES.get(`${e.errorType},${e.code}`) ?? `OFPET(${e.errorType},${e.code})`;
}
