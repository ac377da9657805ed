/**
 * Between LDK's blinded paths and the TS codec's: LDK builds the paths (blinded message paths into
 * the wallet through the LSP, and payment paths from the lease router), the TS codec puts them in
 * offers and invoices. Also the recipient's `ReceiveTlvs` for a TS-built offer's invoice, as LDK 0.1
 * builds them for its own offers (payment secret, constraints, BOLT 12 offer context), authenticated
 * with the node's inbound-payment key so LDK accepts the payment.
 */
import * as ldk from 'lightningdevkit';
import { decodeBlindedPaths, type BlindedPath, type BlindedPayInfo } from '@jitlsp/shared/wire';
import type { InvoiceRequest } from '@jitlsp/shared/bolt12';

/** An LDK blinded message path in the BOLT 4 `blinded_path` encoding LDK writes. */
export function messagePathFromLdk(p: ldk.BlindedMessagePath): BlindedPath {
  const [path] = decodeBlindedPaths(p.write(), 'blinded message path');
  if (!path) throw new Error('LDK wrote an empty blinded message path');
  return path;
}

/** An LDK blinded payment path and its payinfo. */
export function paymentPathFromLdk(p: ldk.BlindedPaymentPath): { path: BlindedPath; payinfo: BlindedPayInfo } {
  const intro = p.introduction_node();
  const introduction: BlindedPath['introduction'] =
    intro instanceof ldk.IntroductionNode_NodeId
      ? { kind: 'nodeId', nodeId: intro.node_id }
      : intro instanceof ldk.IntroductionNode_DirectedShortChannelId
        ? { kind: 'scidDir', scid: intro._1, direction: intro._0 === ldk.Direction.LDKDirection_NodeOne ? 0 : 1 }
        : unsupported();
  const info = p.get_payinfo();
  return {
    path: {
      introduction,
      firstPathKey: p.blinding_point(),
      hops: p.blinded_hops().map((h) => ({
        blindedNodeId: h.get_blinded_node_id(),
        encryptedRecipientData: h.get_encrypted_payload(),
      })),
    },
    payinfo: {
      feeBaseMsat: info.get_fee_base_msat(),
      feeProportionalMillionths: info.get_fee_proportional_millionths(),
      cltvExpiryDelta: info.get_cltv_expiry_delta(),
      htlcMinimumMsat: info.get_htlc_minimum_msat(),
      htlcMaximumMsat: info.get_htlc_maximum_msat(),
      features: info.get_features().write(),
    },
  };
}

function unsupported(): never {
  throw new Error('unknown LDK introduction node kind');
}

/** LDK 0.1's CLTV_FAR_FAR_AWAY (14 days of blocks) + LATENCY_GRACE_PERIOD_BLOCKS: how long a path may be used. */
const PATH_CLTV_LIFETIME_BLOCKS = 2016 + 3;

export interface ReceiveTlvsArgs {
  paymentSecret: Uint8Array;
  offerId: Uint8Array;
  request: Pick<InvoiceRequest, 'invreqPayerId' | 'invreqQuantity' | 'invreqPayerNote'>;
  bestHeight: number;
  entropy: ldk.EntropySource;
  inboundPaymentKey: ldk.ExpandedKey;
}

export function receiveTlvs(a: ReceiveTlvsArgs): ldk.ReceiveTlvs {
  const fields = ldk.InvoiceRequestFields.constructor_new(
    a.request.invreqPayerId,
    a.request.invreqQuantity === undefined
      ? ldk.Option_u64Z.constructor_none()
      : ldk.Option_u64Z.constructor_some(a.request.invreqQuantity),
    // LDK truncates the note to 512 bytes in its own context; the context only informs the claim event.
    a.request.invreqPayerNote === undefined
      ? null
      : ldk.UntrustedString.constructor_new(a.request.invreqPayerNote.slice(0, 512)),
    null,
  );
  const context = ldk.PaymentContext.constructor_bolt12_offer(
    ldk.Bolt12OfferContext.constructor_new(ldk.OfferId.constructor_new(a.offerId), fields),
  );
  const constraints = ldk.PaymentConstraints.constructor_new(a.bestHeight + PATH_CLTV_LIFETIME_BLOCKS, 1n);
  return ldk.UnauthenticatedReceiveTlvs.constructor_new(a.paymentSecret, constraints, context).authenticate(
    ldk.Nonce.constructor_from_entropy_source(a.entropy),
    a.inboundPaymentKey,
  );
}
