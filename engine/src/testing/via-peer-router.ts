/**
 * For tests and benchmarks (and as a reference for the client's LSPS2 router): router hooks whose blinded paths
 * enter through one chosen peer. Our node is unannounced, so LDK's DefaultRouter/DefaultMessageRouter cannot
 * build usable paths to it from an empty network graph; these build one-hop-plus-recipient paths instead
 * (BOLT 4 route blinding, BOLT 12 `offer_paths` / `invoice_paths`).
 *
 * `via()` picks the introduction node and the SCID it must forward over: an LSP intercept SCID (every payment is
 * intercepted, bLIP-52) or the real channel's inbound SCID alias. Zero relay fees (the LSP is paid by skimming, bLIP-52),
 * `htlc_maximum_msat = u64::MAX`, relay `cltv_expiry_delta` 144 (docs/ldk-pitfalls.md, "Routers written in
 * JavaScript").
 */
import * as ldk from 'lightningdevkit';
import { fromHex } from '@jitlsp/shared/crypto';
import type { RouterHookContext } from '../node/types.js';

const U64_MAX = 0xffffffffffffffffn;
const RELAY_CLTV_DELTA = 144;
const MIN_FINAL_CLTV_DELTA = 24;

export interface ViaPeer {
  /** Introduction node (hex node id). */
  peerNodeId: string;
  /** SCID the introduction node forwards over. */
  scid: bigint;
}

export function viaPeerRouter(
  via: (ctx: RouterHookContext) => ViaPeer | undefined,
): (ctx: RouterHookContext) => ldk.Router {
  return (ctx) =>
    ldk.Router.new_impl({
      find_route: (payer, params, firstHops, inflight) =>
        ctx.defaultRouter.find_route(payer, params, firstHops, inflight),
      find_route_with_id: (payer, params, firstHops, inflight, hash, id) =>
        ctx.defaultRouter.find_route_with_id(payer, params, firstHops, inflight, hash, id),
      create_blinded_payment_paths: (recipient, firstHops, tlvs, amountMsats) => {
        const v = via(ctx);
        if (!v) return ctx.defaultRouter.create_blinded_payment_paths(recipient, firstHops, tlvs, amountMsats);
        const constraints = tlvs.tlvs().get_payment_constraints();
        const forward = ldk.ForwardTlvs.constructor_new(
          v.scid,
          ldk.PaymentRelay.constructor_new(RELAY_CLTV_DELTA, 0, 0),
          ldk.PaymentConstraints.constructor_new(constraints.get_max_cltv_expiry() + RELAY_CLTV_DELTA, 1n),
          ldk.BlindedHopFeatures.constructor_empty(),
          null,
        );
        const hop = ldk.PaymentForwardNode.constructor_new(forward, fromHex(v.peerNodeId), U64_MAX);
        const path = ldk.BlindedPaymentPath.constructor_new(
          [hop],
          recipient,
          tlvs,
          U64_MAX,
          MIN_FINAL_CLTV_DELTA,
          ctx.entropySource,
        );
        if (!(path instanceof ldk.Result_BlindedPaymentPathNoneZ_OK))
          return ldk.Result_CVec_BlindedPaymentPathZNoneZ.constructor_err();
        return ldk.Result_CVec_BlindedPaymentPathZNoneZ.constructor_ok([path.res]);
      },
    });
}

export function viaPeerMessageRouter(
  peerNodeId: (ctx: RouterHookContext) => string | undefined,
): (ctx: RouterHookContext) => ldk.MessageRouter {
  return (ctx) => {
    const build = (recipient: Uint8Array, context: ldk.MessageContext): ldk.Result_CVec_BlindedMessagePathZNoneZ => {
      const peer = peerNodeId(ctx);
      if (!peer) return ldk.Result_CVec_BlindedMessagePathZNoneZ.constructor_err();
      const hop = ldk.MessageForwardNode.constructor_new(fromHex(peer), ldk.Option_u64Z.constructor_none());
      const path = ldk.BlindedMessagePath.constructor_new([hop], recipient, context, ctx.entropySource);
      if (!(path instanceof ldk.Result_BlindedMessagePathNoneZ_OK))
        return ldk.Result_CVec_BlindedMessagePathZNoneZ.constructor_err();
      return ldk.Result_CVec_BlindedMessagePathZNoneZ.constructor_ok([path.res]);
    };
    return ldk.MessageRouter.new_impl({
      find_path: (sender, peers, destination) => ctx.defaultMessageRouter.find_path(sender, peers, destination),
      create_blinded_paths: (recipient, context, _peers) => build(recipient, context),
      create_compact_blinded_paths: (recipient, context, _peers) => build(recipient, context),
    });
  };
}
