// Small durable-I/O helpers.
import { open, type FileHandle } from 'node:fs/promises';

/** Writes all of `buf` at `position` (a single write may be short). */
export async function writeFully(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * Syncs a directory, making the creation, rename or removal of its entries durable (a file's own
 * fsync does not cover the directory entry that names it).
 */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
