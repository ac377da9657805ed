/**
 * LDK `Persist` for ChannelMonitors: every monitor is written in full to `monitors/<txid>_<vout>.bin` with
 * write-then-rename (see store.ts), and only then is `Completed` returned, so LDK never acts on a state that is
 * not durable. On a write failure the update stays `InProgress` (the channel freezes rather than risk funds).
 *
 * The monitor handed to these callbacks is an owned clone of the whole ChannelMonitor (`new ChannelMonitor(null,
 * ptr)` in the bindings' Persist.mjs); it is freed right after writing instead of waiting for the JS finalizer
 * (docs/ldk-pitfalls.md, "Memory").
 */
import * as ldk from 'lightningdevkit';
import * as raw from 'lightningdevkit/bindings.mjs';
import { CommonBase } from 'lightningdevkit/structs/CommonBase.mjs';
import { txidHex } from './ids.js';
import type { FileStore } from './store.js';

const base = CommonBase as unknown as { get_ptr_of(o: object): bigint; set_null_skip_free(o: object): void };
const rawFree = (raw as unknown as { ChannelMonitor_free(ptr: bigint): void }).ChannelMonitor_free;

/** Free an owned monitor clone now (and make sure the finalizer does not free it again). */
export function freeMonitorNow(monitor: ldk.ChannelMonitor): void {
  const ptr = base.get_ptr_of(monitor);
  if (ptr === 0n) return;
  base.set_null_skip_free(monitor);
  rawFree(ptr);
}

export function monitorFileName(outpoint: ldk.OutPoint): string {
  return `${txidHex(outpoint.get_txid())}_${outpoint.get_index()}.bin`;
}

export function makeMonitorPersister(
  store: FileStore,
  log: (msg: string, fields: Record<string, unknown>) => void,
): ldk.Persist {
  const write = (outpoint: ldk.OutPoint, monitor: ldk.ChannelMonitor): ldk.ChannelMonitorUpdateStatus => {
    const name = monitorFileName(outpoint);
    try {
      store.writeAtomic(`monitors/${name}`, monitor.write());
      return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_Completed;
    } catch (err) {
      log('monitor write failed; channel update left in progress', { file: name, error: String(err) });
      return ldk.ChannelMonitorUpdateStatus.LDKChannelMonitorUpdateStatus_InProgress;
    } finally {
      freeMonitorNow(monitor);
    }
  };
  return ldk.Persist.new_impl({
    persist_new_channel: (outpoint, monitor) => write(outpoint, monitor),
    update_persisted_channel: (outpoint, _update, monitor) => write(outpoint, monitor),
    archive_persisted_channel: (outpoint) => {
      const name = monitorFileName(outpoint);
      store.move(`monitors/${name}`, `archive/${name}`);
    },
  });
}
