/**
 * Channel commands on the ChannelManager: open (BOLT 2 `open_channel` with per-channel config), accept an
 * inbound channel, close. Inputs are checked here; LDK's refusals become errors naming the command.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';
import { outboundChannelConfig } from './config.js';
import { idBytes, randomBigint } from './ids.js';
import { errText } from './mappers.js';
import type { Hex32, IdInput, NodeOptions, OpenChannelOptions } from './types.js';

export function openChannel(
  cm: ldk.ChannelManager,
  nodeOpts: NodeOptions,
  manualAccept: boolean,
  o: OpenChannelOptions,
  random: (n: number) => Uint8Array,
): { temporaryChannelId: Hex32; userChannelId: bigint } {
  const peer = idBytes(o.peer, 33, 'openChannel.peer');
  if (o.capacitySat <= 0n) throw new RangeError(`Node/openChannel.capacitySat: expected > 0, got ${o.capacitySat}`);
  const userChannelId = o.userChannelId ?? randomBigint(random, 8);
  const cfg = outboundChannelConfig(nodeOpts, manualAccept, o);
  const res = cm.create_channel(peer, o.capacitySat, o.pushMsat ?? 0n, userChannelId, null, cfg);
  if (!(res instanceof ldk.Result_ChannelIdAPIErrorZ_OK)) throw new Error(`Node/openChannel: ${errText(res)}`);
  return { temporaryChannelId: toHex(res.res.get_a()), userChannelId };
}

export function acceptInboundChannel(
  cm: ldk.ChannelManager,
  temporaryChannelId: IdInput,
  peer: IdInput,
  zeroConf: boolean,
  userChannelId: bigint,
): void {
  const tmp = ldk.ChannelId.constructor_new(idBytes(temporaryChannelId, 32, 'temporaryChannelId'));
  const p = idBytes(peer, 33, 'peer');
  const res = zeroConf
    ? cm.accept_inbound_channel_from_trusted_peer_0conf(tmp, p, userChannelId)
    : cm.accept_inbound_channel(tmp, p, userChannelId);
  if (!res.is_ok()) throw new Error(`Node/acceptInboundChannel: ${errText(res)}`);
}

export function closeChannel(cm: ldk.ChannelManager, channelId: IdInput, peer: IdInput, force: boolean): void {
  const cid = ldk.ChannelId.constructor_new(idBytes(channelId, 32, 'channelId'));
  const p = idBytes(peer, 33, 'peer');
  const res = force ? cm.force_close_broadcasting_latest_txn(cid, p, 'closed by operator') : cm.close_channel(cid, p);
  if (!res.is_ok()) throw new Error(`Node/closeChannel: ${errText(res)}`);
}
