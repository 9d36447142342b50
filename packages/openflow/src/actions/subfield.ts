// Subfields ("NXM_NX_REG0[0..15]") as Nicira actions encode them: an NXM header plus an
// ofs_nbits word ((start << 6) | (nBits - 1)) or separate offset/width fields.
import type { Reader, Writer } from '../bytes.js';
import { OpenFlowError, invalid } from '../errors.js';
import { subfieldSpecByName, type FieldSpec } from '../fields/registry.js';
import type { FieldName } from '../fields/types.js';
import { readFieldHeader, writeFieldHeader } from '../match/oxm.js';
import type { Subfield } from './types.js';

export function subfieldSpec(sf: Subfield): FieldSpec {
  const spec = subfieldSpecByName(sf.field);
  if (!spec) throw invalid(`unknown field ${sf.field}`);
  return spec;
}

export function checkSubfield(sf: Subfield, what: string): FieldSpec {
  const spec = subfieldSpec(sf);
  const width = spec.bits;
  if (
    !Number.isInteger(sf.start) ||
    !Number.isInteger(sf.nBits) ||
    sf.nBits < 1 ||
    sf.start < 0 ||
    sf.start + sf.nBits > width
  ) {
    throw invalid(
      `${what} ${sf.field}[${sf.start}..${sf.start + sf.nBits - 1}] is outside the ${width}-bit field`,
    );
  }
  return spec;
}

/** The whole field as a subfield. */
export function wholeField(field: FieldName): Subfield {
  const spec = subfieldSpecByName(field);
  if (!spec) throw invalid(`unknown field ${field}`);
  return { field, start: 0, nBits: spec.bits };
}

/** (start << 6) | (nBits - 1): at most 64 bits, starting below bit 1024. */
export function ofsNbits(sf: Subfield, what = 'subfield'): number {
  if (sf.nBits > 64 || sf.start > 1023) {
    throw invalid(
      `${what} ${sf.field}[${sf.start}..${sf.start + sf.nBits - 1}] is wider than the 64 bits this action can address`,
    );
  }
  return (sf.start << 6) | (sf.nBits - 1);
}

/** Writes the NXM header of the subfield's field (value length, no mask), as actions use it. */
export function writeSubfieldHeader(w: Writer, sf: Subfield): void {
  const spec = subfieldSpec(sf);
  writeFieldHeader(w, spec.nxm, spec.bytes);
}

/** Reads an NXM header and returns the field it names. */
export function readSubfieldField(r: Reader, what: string): FieldSpec {
  const at = r.offset;
  const { spec, hasMask } = readFieldHeader(r);
  if (!spec) throw new OpenFlowError('OF_UNSUPPORTED', `unknown field in ${what}`, at);
  if (hasMask) throw new OpenFlowError('OF_BAD_VALUE', `masked field header in ${what}`, at);
  return spec;
}

export function makeSubfield(
  spec: FieldSpec,
  start: number,
  nBits: number,
  at: number,
  what: string,
): Subfield {
  const sf: Subfield = { field: spec.name as FieldName, start, nBits };
  if (start + nBits > spec.bits || nBits < 1) {
    throw new OpenFlowError('OF_BAD_VALUE', `${what}: bits ${start}+${nBits} outside ${spec.name}`, at);
  }
  return sf;
}
