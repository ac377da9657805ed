/**
 * Payer-side extensions of the node's `Router`, keyed by payment id (LDK passes it to
 * `find_route_with_id`):
 *
 * - a *share*: route only `shareMsat` of the payment. On LDK 0.1's BOLT 12 send path the onion's
 *   `total_msat` is the invoice amount whatever the route carries (`send_payment_for_bolt12_invoice`
 *   overrides it), so several payers can each pay part of one invoice (what rust-lightning PR #4585
 *   adds as `pay_for_bolt12_invoice(.., amount_msats)`). The invoice must be for `totalMsat` and, unless
 *   the share is the whole, allow basic MPP; otherwise no route is given and nothing is sent.
 * - a *blinded route*: a route to a blinded payment path that only the TypeScript codec decoded (an
 *   invoice LDK 0.1 would not parse), through a channel to the path's introduction node.
 *
 * Anything else goes to the wrapped router.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';

/** A blinded payment path as the TS codec decodes it (BOLT 4 `blinded_path` + BOLT 12 `blinded_payinfo`). */
export interface RawBlindedPath {
  introduction: { kind: 'nodeId'; nodeId: Uint8Array } | { kind: 'scidDir'; scid: bigint; direction: 0 | 1 };
  firstPathKey: Uint8Array;
  hops: { blindedNodeId: Uint8Array; encryptedRecipientData: Uint8Array }[];
  payinfo: { feeBaseMsat: number; feeProportionalMillionths: number; cltvExpiryDelta: number };
}

export type PayerRoute =
  | { kind: 'share'; totalMsat: bigint; shareMsat: bigint }
  | { kind: 'blinded'; amountMsat: bigint; paths: RawBlindedPath[] };

export class PayerRoutes {
  private readonly byPaymentId = new Map<string, PayerRoute & { routedMsat: bigint }>();

  set(paymentId: string, route: PayerRoute): void {
    this.byPaymentId.set(paymentId.toLowerCase(), { ...route, routedMsat: 0n });
  }

  delete(paymentId: string): void {
    this.byPaymentId.delete(paymentId.toLowerCase());
  }

  has(paymentId: string): boolean {
    return this.byPaymentId.has(paymentId.toLowerCase());
  }

  /** Wraps `inner`; `firstHops` at route time are LDK's usable channels. */
  wrap(inner: ldk.Router, log: (msg: string, fields: Record<string, unknown>) => void): ldk.Router {
    return ldk.Router.new_impl({
      find_route: (payer, params, firstHops, inflight) => inner.find_route(payer, params, firstHops, inflight),
      find_route_with_id: (payer, params, firstHops, inflight, paymentHash, paymentId) => {
        const r = this.byPaymentId.get(toHex(paymentId));
        if (!r) return inner.find_route_with_id(payer, params, firstHops, inflight, paymentHash, paymentId);
        try {
          return r.kind === 'share'
            ? this.shareRoute(r, inner, payer, params, firstHops, inflight, paymentHash, paymentId)
            : this.blindedRoute(r, params, firstHops);
        } catch (e) {
          log('payer route refused', { paymentId: toHex(paymentId), error: (e as Error).message });
          return ldk.Result_RouteLightningErrorZ.constructor_err(
            ldk.LightningError.constructor_new((e as Error).message, ldk.ErrorAction.constructor_ignore_error()),
          );
        }
      },
      create_blinded_payment_paths: (recipient, firstHops, tlvs, amount) =>
        inner.create_blinded_payment_paths(recipient, firstHops, tlvs, amount),
    });
  }

  private shareRoute(
    r: PayerRoute & { kind: 'share'; routedMsat: bigint },
    inner: ldk.Router,
    payer: Uint8Array,
    params: ldk.RouteParameters,
    firstHops: ldk.ChannelDetails[],
    inflight: ldk.InFlightHtlcs,
    paymentHash: Uint8Array,
    paymentId: Uint8Array,
  ): ldk.Result_RouteLightningErrorZ {
    const requested = params.get_final_value_msat();
    const payee = params.get_payment_params().get_payee();
    if (requested !== r.totalMsat && r.routedMsat === 0n)
      throw new Error(`the invoice is for ${requested} msat, the group total is ${r.totalMsat} msat`);
    if (r.shareMsat !== r.totalMsat) {
      const mpp = payee instanceof ldk.Payee_Blinded && payee.features !== null && payee.features.supports_basic_mpp();
      if (!mpp) throw new Error('the invoice does not allow multi-part payment: only the whole amount can be paid');
    }
    // Only what is missing from the share, never the total (a retry asks for the total again).
    const rest = r.shareMsat - r.routedMsat;
    if (rest <= 0n) throw new Error('the share is already routed');
    const amount = rest < requested ? rest : requested;
    const shareParams = ldk.RouteParameters.constructor_new(
      params.get_payment_params(),
      amount,
      params.get_max_total_routing_fee_msat(),
    );
    const res = inner.find_route_with_id(payer, shareParams, firstHops, inflight, paymentHash, paymentId);
    if (!(res instanceof ldk.Result_RouteLightningErrorZ_OK)) return res;
    r.routedMsat += amount;
    // The original parameters: LDK takes the onion total from them (the invoice amount).
    return ldk.Result_RouteLightningErrorZ.constructor_ok(ldk.Route.constructor_new(res.res.get_paths(), params));
  }

  private blindedRoute(
    r: PayerRoute & { kind: 'blinded' },
    params: ldk.RouteParameters,
    firstHops: ldk.ChannelDetails[],
  ): ldk.Result_RouteLightningErrorZ {
    for (const p of r.paths) {
      const channel = firstHops.find((c) => c.get_is_usable() && leadsTo(c, p.introduction));
      if (!channel) continue;
      const fee =
        BigInt(p.payinfo.feeBaseMsat) + (r.amountMsat * BigInt(p.payinfo.feeProportionalMillionths)) / 1_000_000n;
      if (channel.get_next_outbound_htlc_limit_msat() < r.amountMsat + fee) continue;
      const scid = channel.get_outbound_payment_scid();
      if (!(scid instanceof ldk.Option_u64Z_Some)) continue;
      const hop = ldk.RouteHop.constructor_new(
        channel.get_counterparty().get_node_id(),
        channel.get_counterparty().get_features().clone() as unknown as ldk.NodeFeatures,
        scid.some,
        ldk.ChannelFeatures.constructor_empty(),
        fee,
        p.payinfo.cltvExpiryDelta,
        false,
      );
      const tail = ldk.BlindedTail.constructor_new(
        p.hops.map((h) => ldk.BlindedHop.constructor_new(h.blindedNodeId, h.encryptedRecipientData)),
        p.firstPathKey,
        0,
        r.amountMsat,
      );
      return ldk.Result_RouteLightningErrorZ.constructor_ok(
        ldk.Route.constructor_new([ldk.Path.constructor_new([hop], tail)], params),
      );
    }
    throw new Error('no usable channel to the introduction node of any invoice path');
  }
}

function leadsTo(c: ldk.ChannelDetails, intro: RawBlindedPath['introduction']): boolean {
  if (intro.kind === 'nodeId') return toHex(c.get_counterparty().get_node_id()) === toHex(intro.nodeId);
  const ids = [c.get_short_channel_id(), c.get_inbound_scid_alias(), c.get_outbound_scid_alias()];
  return ids.some((o) => o instanceof ldk.Option_u64Z_Some && o.some === intro.scid);
}
