/**
 * Resource limits of the LSPS0 server (bLIP-50). The spec bounds a message at the BOLT 8 maximum (65533
 * payload bytes) and expects "most reasonable requests and responses to be less than 1000 bytes"; an LSP
 * must not let one peer (or all of them) pile up work. Over a limit the LSP answers LSPS0
 * `client_rejected` (code 1), and does not otherwise punish the peer.
 */

/**
 * Largest 37913 payload we read. The largest legitimate request is `lsps2.buy` with a 512-byte promise
 * (about 900 bytes); 8 KiB leaves room for future params without letting a peer make us parse 64 KiB.
 */
export const MAX_REQUEST_BYTES = 8192;
/** Requests of one peer in flight at once (lightning-liquidity uses 10). */
export const MAX_PENDING_REQUESTS_PER_PEER = 10;
/** Requests in flight over all peers (lightning-liquidity uses 1000). */
export const MAX_PENDING_REQUESTS_TOTAL = 1000;

export interface Lsps0Limits {
  maxRequestBytes: number;
  maxPendingPerPeer: number;
  maxPendingTotal: number;
}

export const DEFAULT_LSPS0_LIMITS: Lsps0Limits = {
  maxRequestBytes: MAX_REQUEST_BYTES,
  maxPendingPerPeer: MAX_PENDING_REQUESTS_PER_PEER,
  maxPendingTotal: MAX_PENDING_REQUESTS_TOTAL,
};
