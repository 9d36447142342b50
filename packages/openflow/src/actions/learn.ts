// Nicira learn (NXAST_LEARN, and NXAST_LEARN2 when a limit or result bit is used).
// After the fixed part come flow_mod_specs: a u16 header (src type bit 13, dst type bits 11-12,
// n_bits bits 0-10), the source (field header + offset, or an immediate padded to 16-bit units),
// the destination for match/load (field header + offset), terminated by padding zeros.
import type { Reader, Writer } from '../bytes.js';
import { NXAST } from '../constants.js';
import { OpenFlowError, invalid } from '../errors.js';
import { beginNx, endAction } from './header.js';
import { checkSubfield, makeSubfield, readSubfieldField, writeSubfieldHeader } from './subfield.js';
import type { LearnAction, LearnSpec, Subfield } from './types.js';

const F_SEND_FLOW_REM = 1;
const F_DELETE_LEARNED = 2;
const F_WRITE_RESULT = 4;
const SRC_IMMEDIATE = 1 << 13;
const DST_LOAD = 1 << 11;
const DST_OUTPUT = 2 << 11;

export function encodeLearn(w: Writer, a: LearnAction): void {
  const v2 = (a.limit ?? 0) !== 0 || a.resultDst !== undefined;
  const start = beginNx(w, v2 ? NXAST.LEARN2 : NXAST.LEARN);
  w.u16(a.idleTimeout ?? 0, 'learn idle_timeout');
  w.u16(a.hardTimeout ?? 0, 'learn hard_timeout');
  w.u16(a.priority ?? 0x8000, 'learn priority');
  w.u64(a.cookie ?? 0n, 'learn cookie');
  w.u16(
    (a.sendFlowRem ? F_SEND_FLOW_REM : 0) |
      (a.deleteLearned ? F_DELETE_LEARNED : 0) |
      (a.resultDst ? F_WRITE_RESULT : 0),
  );
  if (a.table < 0 || a.table > 254) throw invalid(`learn table ${a.table} is not 0..254`);
  w.u8(a.table);
  w.u8(0);
  w.u16(a.finIdleTimeout ?? 0, 'learn fin_idle_timeout');
  w.u16(a.finHardTimeout ?? 0, 'learn fin_hard_timeout');
  if (v2) {
    w.u32(a.limit ?? 0, 'learn limit');
    w.u16(a.resultDst?.start ?? 0);
    w.u16(0);
    if (a.resultDst) {
      checkSubfield(a.resultDst, 'learn result_dst');
      if (a.resultDst.nBits !== 1) throw invalid(`learn result_dst is one bit, not ${a.resultDst.nBits}`);
      writeSubfieldHeader(w, a.resultDst);
    }
  }
  for (const spec of a.specs) encodeSpec(w, spec);
  endAction(w, start);
}

function encodeSpec(w: Writer, s: LearnSpec): void {
  const src: Subfield | undefined = 'src' in s ? s.src : undefined;
  const nBits = s.kind === 'output' ? s.src.nBits : s.dst.nBits;
  if (nBits < 1 || nBits > 0x7ff) throw invalid(`learn spec width ${nBits}`);
  if (src && src.nBits !== nBits)
    throw invalid(`learn spec source is ${src.nBits} bits, destination ${nBits}`);
  const dstType = s.kind === 'match' ? 0 : s.kind === 'load' ? DST_LOAD : DST_OUTPUT;
  w.u16(nBits | dstType | (src ? 0 : SRC_IMMEDIATE));
  if (src) {
    checkSubfield(src, 'learn source');
    writeSubfieldHeader(w, src);
    w.u16(src.start);
  } else if ('value' in s) {
    const units = Math.ceil(nBits / 16);
    if (typeof s.value !== 'bigint') throw invalid(`learn immediate must be a bigint, got ${typeof s.value}`);
    if (s.value < 0n || s.value >> BigInt(nBits) !== 0n)
      throw invalid(`learn immediate ${s.value} does not fit ${nBits} bits`);
    for (let i = units - 1; i >= 0; i--) w.u16(Number((s.value >> BigInt(i * 16)) & 0xffffn));
  }
  if (s.kind !== 'output') {
    checkSubfield(s.dst, 'learn destination');
    writeSubfieldHeader(w, s.dst);
    w.u16(s.dst.start);
  }
}

export function decodeLearn(r: Reader, v2: boolean): LearnAction {
  const idleTimeout = r.u16('learn idle_timeout');
  const hardTimeout = r.u16('learn hard_timeout');
  const priority = r.u16('learn priority');
  const cookie = r.u64('learn cookie');
  const flags = r.u16('learn flags');
  const table = r.u8('learn table');
  r.skip(1);
  const finIdleTimeout = r.u16('learn fin_idle_timeout');
  const finHardTimeout = r.u16('learn fin_hard_timeout');
  let limit = 0;
  let resultDst: Subfield | undefined;
  if (v2) {
    limit = r.u32('learn2 limit');
    const ofs = r.u16('learn2 result_dst_ofs');
    r.skip(2);
    if (flags & F_WRITE_RESULT) {
      const at = r.offset;
      resultDst = makeSubfield(readSubfieldField(r, 'learn result_dst'), ofs, 1, at, 'learn result_dst');
    }
  }
  const specs: LearnSpec[] = [];
  while (r.remaining >= 2) {
    const at = r.offset;
    const header = r.u16('learn spec');
    if (header === 0) break; // padding
    const nBits = header & 0x7ff;
    const immediate = (header & SRC_IMMEDIATE) !== 0;
    const dstType = (header >> 11) & 3;
    if (dstType === 3 || nBits === 0)
      throw new OpenFlowError('OF_BAD_VALUE', `learn spec header 0x${header.toString(16)}`, at);
    let src: Subfield | undefined;
    let value = 0n;
    if (immediate) {
      for (let i = 0; i < Math.ceil(nBits / 16); i++)
        value = (value << 16n) | BigInt(r.u16('learn immediate'));
    } else {
      const spec = readSubfieldField(r, 'learn source');
      src = makeSubfield(spec, r.u16('learn source offset'), nBits, at, 'learn source');
    }
    if (dstType === 2) {
      if (!src) throw new OpenFlowError('OF_BAD_VALUE', 'learn output spec with an immediate source', at);
      specs.push({ kind: 'output', src });
      continue;
    }
    const dspec = readSubfieldField(r, 'learn destination');
    const dst = makeSubfield(dspec, r.u16('learn destination offset'), nBits, at, 'learn destination');
    if (dstType === 0) specs.push(src ? { kind: 'match', dst, src } : { kind: 'match', dst, value });
    else specs.push(src ? { kind: 'load', dst, src } : { kind: 'load', dst, value });
  }
  return {
    type: 'learn',
    table,
    ...(idleTimeout ? { idleTimeout } : {}),
    ...(hardTimeout ? { hardTimeout } : {}),
    ...(finIdleTimeout ? { finIdleTimeout } : {}),
    ...(finHardTimeout ? { finHardTimeout } : {}),
    ...(priority !== 0x8000 ? { priority } : {}),
    ...(cookie ? { cookie } : {}),
    ...(flags & F_SEND_FLOW_REM ? { sendFlowRem: true } : {}),
    ...(flags & F_DELETE_LEARNED ? { deleteLearned: true } : {}),
    ...(limit ? { limit } : {}),
    ...(resultDst ? { resultDst } : {}),
    specs,
  };
}
