// Small lexical helpers for the ovs-ofctl flow syntax: splitting at top-level separators
// (not inside parentheses or brackets) and reading numbers the way ovs-ofctl does.
import { OpenFlowError } from '../errors.js';

export function parseError(message: string): OpenFlowError {
  return new OpenFlowError('OF_PARSE', message);
}

/** Splits at any of `separators` that is outside (), [] and {}. Empty pieces are dropped. */
export function splitTopLevel(text: string, separators: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth < 0) throw parseError(`unbalanced '${c}' in "${text}"`);
    } else if (depth === 0 && separators.includes(c)) {
      const piece = text.slice(start, i).trim();
      if (piece) out.push(piece);
      start = i + 1;
    }
  }
  if (depth !== 0) throw parseError(`unbalanced parentheses in "${text}"`);
  const last = text.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/** "name=value" or "name:value" → [name, value]; a bare word → [word, undefined]. */
export function keyValue(token: string, separators = '=:'): [string, string | undefined] {
  for (let i = 0; i < token.length; i++) {
    const c = token[i] as string;
    if (c === '(' || c === '[') break;
    if (separators.includes(c)) return [token.slice(0, i).trim(), token.slice(i + 1).trim()];
  }
  return [token.trim(), undefined];
}

/** "f(args)" → ["f", "args"]; otherwise undefined. */
export function call(token: string): [string, string] | undefined {
  const open = token.indexOf('(');
  if (open <= 0 || !token.endsWith(')')) return undefined;
  return [token.slice(0, open).trim(), token.slice(open + 1, -1)];
}

/** Decimal or 0x-hex integer as a bigint (ovs-ofctl accepts both everywhere). */
export function parseBigInt(text: string, what: string): bigint {
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t);
  if (/^\d+$/.test(t)) return BigInt(t);
  throw parseError(`${what}: "${text}" is not a number`);
}

export function parseInteger(text: string, what: string, max = 0xffffffff): number {
  const v = parseBigInt(text, what);
  if (v > BigInt(max)) throw parseError(`${what}: ${text} is larger than ${max}`);
  return Number(v);
}
