/**
 * LDK-to-domain mappers for what the node lists and reports (channels, their pending HTLCs, LDK's error
 * results). Events have their own mapper in events.ts. Nothing of the LDK object is kept in the result.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';
import { u128FromLdk } from './ids.js';
import type { ChannelInfo, PendingHtlc } from './types.js';

/** Text of an LDK result's error: an APIError-like object (with `.err` text) or an enum value. */
export function errText(res: unknown, enumNames?: Record<number, string>): string {
  const e = (res as { err?: unknown }).err;
  if (typeof e === 'number') return enumNames?.[e] ?? String(e);
  if (e && typeof e === 'object') {
    const inner = (e as { err?: unknown }).err;
    return `${e.constructor?.name ?? 'error'}${typeof inner === 'string' ? `: ${inner}` : ''}`;
  }
  return String(e);
}

/** The error text of a BOLT 12 builder or payment result (its error is a `Bolt12SemanticError` value). */
export const bolt12ErrText = (res: unknown): string =>
  errText(res, ldk.Bolt12SemanticError as unknown as Record<number, string>);

const opt64 = (o: ldk.Option_u64Z): bigint | undefined => (o instanceof ldk.Option_u64Z_Some ? o.some : undefined);

/** A channel's unresolved HTLCs, both directions. */
export function pendingHtlcs(c: ldk.ChannelDetails): PendingHtlc[] {
  const of = (
    direction: PendingHtlc['direction'],
    h: ldk.InboundHTLCDetails | ldk.OutboundHTLCDetails,
  ): PendingHtlc => ({
    direction,
    paymentHash: toHex(h.get_payment_hash()),
    amountMsat: h.get_amount_msat(),
    cltvExpiry: h.get_cltv_expiry(),
  });
  return [
    ...c.get_pending_inbound_htlcs().map((h) => of('inbound', h)),
    ...c.get_pending_outbound_htlcs().map((h) => of('outbound', h)),
  ];
}

/** One channel as the node lists it. */
export function channelInfo(c: ldk.ChannelDetails): ChannelInfo {
  const txo = c.get_funding_txo();
  const conf = c.get_confirmations();
  return {
    channelId: toHex(c.get_channel_id().get_a()),
    userChannelId: u128FromLdk(c.get_user_channel_id()),
    counterpartyNodeId: toHex(c.get_counterparty().get_node_id()),
    capacitySat: c.get_channel_value_satoshis(),
    outboundCapacityMsat: c.get_outbound_capacity_msat(),
    inboundCapacityMsat: c.get_inbound_capacity_msat(),
    isOutbound: Boolean(c.get_is_outbound()),
    isReady: Boolean(c.get_is_channel_ready()),
    isUsable: Boolean(c.get_is_usable()),
    isAnnounced: Boolean(c.get_is_announced()),
    scidPrivacy: Boolean(c.get_channel_type()?.supports_scid_privacy()),
    shortChannelId: opt64(c.get_short_channel_id()),
    inboundPaymentScid: opt64(c.get_inbound_payment_scid()),
    outboundPaymentScid: opt64(c.get_outbound_payment_scid()),
    fundingTxid: txo ? toHex(Uint8Array.from(txo.get_txid()).reverse()) : undefined,
    confirmations: conf instanceof ldk.Option_u32Z_Some ? conf.some : undefined,
    pendingHtlcs: pendingHtlcs(c),
  };
}

/**
 * The CLTV expiry of an intercepted HTLC, from the pending inbound HTLCs of every channel (an intercepted
 * HTLC is irrevocably committed on its inbound channel). Matched by payment hash and inbound amount; several
 * matches (equal MPP parts) give the earliest expiry, the safe side for a deadline.
 */
export function inboundHtlcExpiry(
  channels: ldk.ChannelDetails[],
  paymentHash: string,
  amountMsat: bigint,
): number | null {
  let best: number | null = null;
  for (const c of channels) {
    for (const h of pendingHtlcs(c)) {
      if (h.direction !== 'inbound' || h.amountMsat !== amountMsat || h.paymentHash !== paymentHash) continue;
      if (best === null || h.cltvExpiry < best) best = h.cltvExpiry;
    }
  }
  return best;
}
