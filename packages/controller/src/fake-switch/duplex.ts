// Two in-memory stream ends wired back to back, behaving like the two sides of a socket: bytes
// written on one end are read on the other (in order, on a later turn of the event loop, never
// inside the writer's own call stack), ending one end ends the other's input, and destroying
// either end closes both. Writes complete only once delivered, so a writer that honours
// `write() === false` / 'drain' (as OpenFlowConnection.sendBatch does) gets real backpressure.
import { Duplex } from 'node:stream';

class PipeEnd extends Duplex {
  peer: PipeEnd | undefined;

  constructor() {
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    // Data is pushed by the peer's writes.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    setImmediate(() => {
      const peer = this.peer;
      if (peer && !peer.destroyed) peer.push(chunk);
      callback();
    });
  }

  override _final(callback: (error?: Error | null) => void): void {
    setImmediate(() => {
      if (this.peer && !this.peer.destroyed) this.peer.push(null);
      callback();
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    if (peer) {
      peer.peer = undefined;
      // The other side of a socket sees a clean close, not our error.
      setImmediate(() => peer.destroy());
    }
    callback(error);
  }
}

/** A connected pair of in-memory stream ends. */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
