/**
 * LDK `UserConfig`s for the node default and for per-channel overrides (BOLT 2 open_channel parameters).
 */
import * as ldk from 'lightningdevkit';
import type { NodeOptions, OpenChannelOptions } from './types.js';

/**
 * The node's default config (also what inbound channels get: 0.1 has no per-inbound-channel overrides).
 * - accept_forwards_to_priv_channels: an LSP forwards over unannounced JIT channels.
 * - max_inbound_htlc_value_in_flight 100%: a JIT channel is sized for the payment it carries; LDK's 10 %
 *   default would refuse it.
 * - accept_underpaying_htlcs when an LSP is configured (bLIP-52: the LSP skims its opening fee). In 0.1 this
 *   cannot be set per inbound channel (`ChannelConfigUpdate` lacks it), so it applies to all inbound channels;
 *   the receiver must check `counterpartySkimmedFeeMsat` against what it agreed before claiming.
 */
export function defaultUserConfig(opts: NodeOptions, manualAccept: boolean): ldk.UserConfig {
  const cfg = ldk.UserConfig.constructor_default();
  cfg.set_accept_intercept_htlcs(!!opts.acceptInterceptHtlcs);
  cfg.set_accept_forwards_to_priv_channels(true);
  cfg.set_manually_accept_inbound_channels(manualAccept);
  const hs = cfg.get_channel_handshake_config();
  hs.set_announce_for_forwarding(false);
  hs.set_max_inbound_htlc_value_in_flight_percent_of_channel(100);
  if (opts.maxAcceptedHtlcs !== undefined) {
    const n = opts.maxAcceptedHtlcs;
    // BOLT 2: max_accepted_htlcs MUST NOT exceed 483.
    if (!(Number.isInteger(n) && n >= 1 && n <= 483))
      throw new RangeError(`Node/options.maxAcceptedHtlcs: expected 1..483, got ${n}`);
    hs.set_our_max_accepted_htlcs(n);
  }
  if (opts.ourToSelfDelay !== undefined) {
    const d = opts.ourToSelfDelay;
    if (!(Number.isInteger(d) && d >= 0 && d <= 0xffff))
      throw new RangeError(`Node/options.ourToSelfDelay: expected 0..65535 blocks, got ${d}`);
    hs.set_our_to_self_delay(d);
  }
  cfg.set_channel_handshake_config(hs);
  const cc = cfg.get_channel_config();
  cc.set_accept_underpaying_htlcs((opts.acceptUnderpayingHtlcsFrom?.length ?? 0) > 0);
  cfg.set_channel_config(cc);
  return cfg;
}

/** Override config for one outbound channel. */
export function outboundChannelConfig(opts: NodeOptions, manualAccept: boolean, o: OpenChannelOptions): ldk.UserConfig {
  const cfg = defaultUserConfig(opts, manualAccept);
  const hs = cfg.get_channel_handshake_config();
  hs.set_announce_for_forwarding(!!o.announce);
  if (o.scidAlias) {
    // BOLT 2: option_scid_alias is only for unannounced channels (LDK refuses the combination too).
    if (o.announce)
      throw new RangeError(
        'Node/openChannel.scidAlias: expected announce false (option_scid_alias channels are unannounced)',
      );
    hs.set_negotiate_scid_privacy(true);
  }
  if (o.config?.minimumDepth !== undefined) hs.set_minimum_depth(o.config.minimumDepth);
  if (o.config?.maxInboundHtlcValueInFlightPercent !== undefined) {
    const p = o.config.maxInboundHtlcValueInFlightPercent;
    if (!(p >= 1 && p <= 100))
      throw new RangeError(`Node/openChannel.config.maxInboundHtlcValueInFlightPercent: expected 1..100, got ${p}`);
    hs.set_max_inbound_htlc_value_in_flight_percent_of_channel(p);
  }
  cfg.set_channel_handshake_config(hs);
  if (o.maxPeerToSelfDelay !== undefined) {
    const d = o.maxPeerToSelfDelay;
    if (!(Number.isInteger(d) && d >= 0 && d <= 0xffff))
      throw new RangeError(`Node/openChannel.maxPeerToSelfDelay: expected 0..65535 blocks, got ${d}`);
    // bLIP-52: the LSP MUST NOT accept a client to_self_delay above max_client_to_self_delay.
    const limits = cfg.get_channel_handshake_limits();
    limits.set_their_to_self_delay(d);
    cfg.set_channel_handshake_limits(limits);
  }
  const cc = cfg.get_channel_config();
  // Our own outbound channels never need to accept underpaying HTLCs: only an LSP's skim justifies it.
  cc.set_accept_underpaying_htlcs(false);
  if (o.config?.forwardingFeeBaseMsat !== undefined) cc.set_forwarding_fee_base_msat(o.config.forwardingFeeBaseMsat);
  if (o.config?.forwardingFeeProportionalMillionths !== undefined)
    cc.set_forwarding_fee_proportional_millionths(o.config.forwardingFeeProportionalMillionths);
  if (o.config?.cltvExpiryDelta !== undefined) cc.set_cltv_expiry_delta(o.config.cltvExpiryDelta);
  cfg.set_channel_config(cc);
  return cfg;
}
