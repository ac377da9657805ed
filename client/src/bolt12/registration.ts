/**
 * A registration: "invoices for this offer get a JIT path through this LSP". Keyed by the offer id
 * (what LDK 0.1's `PaymentContext_Bolt12Offer` carries) or by the offer nonce (the key of upstream's
 * `AsyncBolt12OfferContext`, used by the project's own async-offer/static-invoice work; LDK 0.1 never
 * hands it to a router, so that path is reached through `Lsps2Bolt12Router.pathsFor`).
 */
import type { NodeIdHex } from '@jitlsp/engine/node';

/**
 * `offerId` is LDK's `OfferId` (H("LDK Offer ID", merkle root)), which `jitlsp decode` prints as
 * `ldk_offer_id`; it is not the `offer_id` printed beside it (Core Lightning's SHA-256 of the offer TLVs).
 */
export type OfferKey = { offerId: string } | { offerNonce: string };

/** How invoices for the offer use leases. */
export interface LeasePolicy {
  /**
   * `no-mpp`: every invoice uses a no-MPP lease (the JIT path then requires one HTLC for the whole
   * amount). `mpp-when-available`: an invoice whose amount matches a pre-bought MPP lease uses it;
   * otherwise it falls back to a no-MPP lease and, when the LSP is connected, an MPP lease for that
   * amount is bought in the background for the next invoice of the same amount.
   */
  mode: 'no-mpp' | 'mpp-when-available';
  /** Unassigned no-MPP leases to keep ready for this LSP (the router callback cannot wait for a buy). */
  poolSize: number;
  /** Skip the JIT path when usable inbound capacity on existing channels already covers the amount. */
  skipWhenInboundCovers: boolean;
}

export const DEFAULT_LEASE_POLICY: LeasePolicy = {
  mode: 'mpp-when-available',
  poolSize: 2,
  skipWhenInboundCovers: true,
};

export interface Registration {
  key: OfferKey;
  lsp: {
    nodeId: NodeIdHex;
    /** Last `lsp_cltv_expiry_delta` seen from this LSP (each lease carries its own). */
    cltvExpiryDelta: number;
  };
  policy: LeasePolicy;
  createdAtMs: number;
}

/**
 * How logs and reports name a registered offer: `ldkOfferId` (the `ldk_offer_id` of `jitlsp decode`, so an
 * operator can match the two) or `offerNonce`.
 */
export function offerKeyReport(key: OfferKey): { ldkOfferId: string } | { offerNonce: string } {
  return 'offerId' in key ? { ldkOfferId: key.offerId.toLowerCase() } : { offerNonce: key.offerNonce.toLowerCase() };
}

/** `offerId:<hex>` or `offerNonce:<hex>`: one string per key, for maps and files. */
export function offerKeyString(key: OfferKey): string {
  return 'offerId' in key ? `offerId:${key.offerId.toLowerCase()}` : `offerNonce:${key.offerNonce.toLowerCase()}`;
}
