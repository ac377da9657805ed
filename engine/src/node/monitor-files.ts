/**
 * The channel monitors on disk, and reading them back at start-up.
 *
 * Layout (under the node's data directory):
 * - `monitors/<txid>_<vout>.bin`: a full `ChannelMonitor` (write, fsync, rename, directory fsync);
 * - `monitor-updates/<txid>_<vout>.log`: the `ChannelMonitorUpdate`s written since that full monitor, appended as
 *   frames `u32 length || u32 crc32 || update bytes` (big-endian) and fdatasync'ed.
 * A restart reads each full monitor and applies, in order, the logged updates newer than it
 * (`ChannelMonitor::update_monitor`), before the ChannelManager is read: LDK's `Persist` contract allows
 * persisting only updates if they are all applied before the monitors reach the manager. A frame cut short by a
 * crash (short or failing its checksum) ends the log: an update is acknowledged to LDK only after its frame is
 * durable, so a torn frame is one LDK never acted on.
 */
import { crc32 } from 'node:zlib';
import * as ldk from 'lightningdevkit';
import { txidHex } from './ids.js';
import type { FileStore } from './store.js';

export const MONITOR_DIR = 'monitors';
export const UPDATE_DIR = 'monitor-updates';
const FRAME_HEADER = 8;

/** The file stem of a channel's monitor: `<txid>_<vout>`. */
export function monitorName(outpoint: ldk.OutPoint): string {
  return `${txidHex(outpoint.get_txid())}_${outpoint.get_index()}`;
}

/** One update as a log frame. */
export function frame(update: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER + update.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, update.length);
  view.setUint32(4, crc32(update));
  out.set(update, FRAME_HEADER);
  return out;
}

/** The complete frames of a log, in order; stops at the first short or corrupt frame. */
export function readFrames(bytes: Uint8Array): { updates: Uint8Array[]; validBytes: number } {
  const updates: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + FRAME_HEADER <= bytes.length) {
    const len = view.getUint32(at);
    const sum = view.getUint32(at + 4);
    if (at + FRAME_HEADER + len > bytes.length) break;
    const body = bytes.subarray(at + FRAME_HEADER, at + FRAME_HEADER + len);
    if (crc32(body) !== sum) break;
    updates.push(body);
    at += FRAME_HEADER + len;
  }
  return { updates, validBytes: at };
}

export interface MonitorReadContext {
  entropy: ldk.EntropySource;
  signerProvider: ldk.SignerProvider;
  broadcaster: ldk.BroadcasterInterface;
  fees: ldk.FeeEstimator;
  logger: ldk.Logger;
}

/**
 * Every persisted monitor with its logged updates applied. Throws (naming the file) on a full monitor that does
 * not decode or an update LDK refuses: starting without a channel's latest state could lose funds.
 */
export function loadMonitors(
  store: FileStore,
  ctx: MonitorReadContext,
): { monitors: ldk.ChannelMonitor[]; replayed: number } {
  const monitors: ldk.ChannelMonitor[] = [];
  let replayed = 0;
  for (const file of store.list(MONITOR_DIR)) {
    if (!file.endsWith('.bin')) continue;
    const bytes = store.read(`${MONITOR_DIR}/${file}`);
    if (!bytes) continue;
    const res = ldk.UtilMethods.constructor_C2Tuple_ThirtyTwoBytesChannelMonitorZ_read(
      bytes,
      ctx.entropy,
      ctx.signerProvider,
    );
    if (!(res instanceof ldk.Result_C2Tuple_ThirtyTwoBytesChannelMonitorZDecodeErrorZ_OK))
      throw new Error(`Node/restore: ${MONITOR_DIR}/${file} does not decode as a ChannelMonitor`);
    const monitor = res.res.get_b();
    const logRel = `${UPDATE_DIR}/${file.slice(0, -'.bin'.length)}.log`;
    const log = store.read(logRel);
    if (log) {
      for (const body of readFrames(log).updates) {
        const upd = ldk.ChannelMonitorUpdate.constructor_read(body);
        if (!(upd instanceof ldk.Result_ChannelMonitorUpdateDecodeErrorZ_OK))
          throw new Error(`Node/restore: ${logRel} holds a frame that does not decode as a ChannelMonitorUpdate`);
        // Updates up to the full monitor's id are already in it (a crash between a consolidation and the log reset).
        if (upd.res.get_update_id() <= monitor.get_latest_update_id()) continue;
        const applied = monitor.update_monitor(upd.res, ctx.broadcaster, ctx.fees, ctx.logger);
        if (!applied.is_ok())
          throw new Error(`Node/restore: ${logRel}: LDK refused update ${upd.res.get_update_id()} for ${file}`);
        replayed++;
      }
    }
    monitors.push(monitor);
  }
  return { monitors, replayed };
}
