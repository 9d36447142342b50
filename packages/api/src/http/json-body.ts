// Request bodies are parsed strictly, at the boundary, before any handler sees them: valid UTF-8,
// bounded nesting, and no duplicate keys. Python's json (what Neutron uses) keeps the last of two
// duplicate keys; JSON.parse does the same, but a proxy or another parser in front of us may keep
// the first, so a body with duplicates means two different things to two readers. We refuse it.

export class BodyError extends Error {
  override readonly name = 'BodyError';
}

export interface BodyLimits {
  /** Deepest nesting of objects and arrays accepted (Neutron bodies need about 5). */
  readonly maxDepth: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses a request body as JSON or throws a BodyError whose message is safe to return. */
export function parseJsonBody(raw: Buffer, limits: BodyLimits): unknown {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new BodyError('body is not valid UTF-8');
  }
  if (text.trim() === '') throw new BodyError('body is empty');
  const duplicate = scanStructure(text, limits.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BodyError(`body is not valid JSON (${(error as Error).message})`);
  }
  if (duplicate !== undefined) throw new BodyError(`duplicate key "${duplicate}" in body`);
  return value;
}

interface Frame {
  readonly keys: Set<string> | undefined; // undefined: an array
  expectKey: boolean;
}

/**
 * One pass over the text: enforces the depth limit (before JSON.parse, so hostile nesting never
 * reaches it) and returns the first duplicate key of any object. The text need not be valid JSON;
 * JSON.parse judges that afterwards.
 */
function scanStructure(text: string, maxDepth: number): string | undefined {
  const stack: Frame[] = [];
  let duplicate: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        top.expectKey = false;
        const token = text.slice(i, end + 1);
        const key = token.includes('\\') ? decodeKey(token) : token.slice(1, -1);
        if (top.keys.has(key)) duplicate ??= key;
        top.keys.add(key);
      }
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) throw new BodyError(`body nests deeper than ${maxDepth} levels`);
      stack.push({ keys: c === 0x7b ? new Set() : undefined, expectKey: c === 0x7b });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return duplicate;
}

/** Index of the closing quote of the string starting at `start` (or the text's end). */
function stringEnd(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c /* \ */) j++;
    else if (c === 0x22) return j;
  }
  return text.length - 1;
}

function decodeKey(token: string): string {
  try {
    return JSON.parse(token) as string;
  } catch {
    return token; // malformed escape: JSON.parse of the whole body will refuse it
  }
}
