// Incremental splitter for a stream of concatenated JSON texts.
// RFC 7047 sends JSON-RPC messages back to back with no delimiter, and one message may arrive in
// many chunks (an initial monitor dump can be megabytes) or many messages in one chunk. We scan
// bytes once, tracking only the stack of open brackets and whether we are inside a string (and
// after a backslash), which is all that is needed to find where a top-level value ends; a
// closing bracket of the wrong kind fails at once instead of waiting forever for a match. Scanning bytes,
// not decoded text, keeps multi-byte UTF-8 characters split across chunks intact: every byte of
// a multi-byte sequence is >= 0x80 and can never look like a quote, brace or backslash.
import { OvsdbError } from '../errors.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

export interface JsonSplitterOptions {
  /** Largest accepted message in bytes; larger ones fail with OVSDB_MESSAGE_TOO_LARGE. */
  readonly maxMessageBytes: number;
}

/**
 * Feed chunks with push(); get back the complete JSON texts they finish. Only objects and arrays
 * are accepted at the top level (every JSON-RPC message is an object). After an error the
 * splitter is unusable: the stream position is lost, so the connection must be dropped.
 */
export class JsonSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Closing byte expected for each open bracket, innermost last. */
  private readonly stack: number[] = [];
  private inString = false;
  private escaped = false;
  private failed: OvsdbError | undefined;

  constructor(private readonly options: JsonSplitterOptions) {}

  /** Bytes of the current, incomplete message held so far. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): string[] {
    if (this.failed) throw this.failed;
    try {
      return this.scan(chunk);
    } catch (error) {
      this.failed = error instanceof OvsdbError ? error : new OvsdbError('OVSDB_PROTOCOL', String(error));
      this.pending.length = 0;
      this.pendingBytes = 0;
      throw this.failed;
    }
  }

  private scan(chunk: Uint8Array): string[] {
    const out: string[] = [];
    const stack = this.stack;
    let start = stack.length > 0 ? 0 : -1; // where the current value starts within `chunk`
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (stack.length === 0) {
        if (isWhitespace(byte)) continue;
        if (byte !== OPEN_BRACE && byte !== OPEN_BRACKET) {
          throw new OvsdbError(
            'OVSDB_PROTOCOL',
            `expected a JSON object or array, got byte 0x${byte.toString(16).padStart(2, '0')}`,
          );
        }
        start = i;
        stack.push(byte === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE) stack.push(CLOSE_BRACE);
      else if (byte === OPEN_BRACKET) stack.push(CLOSE_BRACKET);
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (stack.pop() !== byte) throw new OvsdbError('OVSDB_PROTOCOL', 'mismatched brackets in JSON');
        if (stack.length === 0) {
          out.push(this.complete(chunk.subarray(start, i + 1)));
          start = -1;
        }
      }
    }
    if (stack.length > 0 && start >= 0) this.hold(chunk.subarray(start));
    return out;
  }

  private hold(piece: Uint8Array): void {
    this.pendingBytes += piece.length;
    this.checkSize(this.pendingBytes);
    // Copy: the caller may reuse its buffer (net.Socket does not, but a generic stream may).
    this.pending.push(Uint8Array.prototype.slice.call(piece));
  }

  private complete(tail: Uint8Array): string {
    const total = this.pendingBytes + tail.length;
    this.checkSize(total);
    let bytes: Uint8Array;
    if (this.pending.length === 0) {
      bytes = tail;
    } else {
      bytes = new Uint8Array(total);
      let offset = 0;
      for (const piece of this.pending) {
        bytes.set(piece, offset);
        offset += piece.length;
      }
      bytes.set(tail, offset);
      this.pending.length = 0;
      this.pendingBytes = 0;
    }
    try {
      return this.decoder.decode(bytes);
    } catch (error) {
      throw new OvsdbError('OVSDB_PROTOCOL', 'message is not valid UTF-8', { cause: error });
    }
  }

  private checkSize(bytes: number): void {
    if (bytes > this.options.maxMessageBytes) {
      throw new OvsdbError(
        'OVSDB_MESSAGE_TOO_LARGE',
        `message exceeds ${this.options.maxMessageBytes} bytes`,
        { details: { maxMessageBytes: this.options.maxMessageBytes } },
      );
    }
  }
}
