/**
 * The node's files. Persistence is files written with write-then-rename, not a database entity, because:
 * - the client (a wallet) has no service database, and one engine must serve both sides;
 * - the few small files written here (the manager, the held funding list) are written synchronously: `fs` write +
 *   `fsync` + `rename` + directory `fsync`, with no event-loop re-entry (channel monitors, written on every
 *   channel update, go through the asynchronous monitor-persister.ts instead);
 * - a rename is atomic on POSIX filesystems, so a crash leaves either the old or the new monitor, never half.
 * Layout: `<dataDir>/seed` (0600), `manager.bin`, `monitors/<txid>_<vout>.bin` and
 * `monitor-updates/<txid>_<vout>.log` (monitor-files.ts), `archive/`, `held-funding.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class FileStore {
  constructor(
    readonly dir: string,
    private readonly durable = true,
  ) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Write `rel` atomically: temp file, fsync, rename over the target, fsync the directory. */
  writeAtomic(rel: string, bytes: Uint8Array | string, mode = 0o600): void {
    const target = path.join(this.dir, rel);
    const dir = path.dirname(target);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = `${target}.tmp`;
    const fd = fs.openSync(tmp, 'w', mode);
    try {
      fs.writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
      if (this.durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
    if (this.durable) {
      const dfd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(dfd);
      } finally {
        fs.closeSync(dfd);
      }
    }
  }

  read(rel: string): Uint8Array | undefined {
    try {
      return new Uint8Array(fs.readFileSync(path.join(this.dir, rel)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Files (not temp files) directly under `relDir`. */
  list(relDir: string): string[] {
    try {
      return fs.readdirSync(path.join(this.dir, relDir)).filter((f) => !f.endsWith('.tmp'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  move(rel: string, toRel: string): void {
    const to = path.join(this.dir, toRel);
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o700 });
    try {
      fs.renameSync(path.join(this.dir, rel), to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
