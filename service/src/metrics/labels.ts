/**
 * The label values of the service's Prometheus metrics: each list is every value a label may take, so every
 * labelled series can be created at 0 on start. Error names are bLIP-52's (LSPS2) and BOLT 4's failure codes;
 * notification methods are bLIP-55's (LSPS5).
 */
/** Outcomes of `lsps2.get_info` (bLIP-52 error names; `ok` for a menu sent). */
export const GET_INFO_RESULTS = [
  'ok',
  'unrecognized_or_stale_token',
  'invalid_params',
  'client_rejected',
  'internal_error',
] as const;
/** Outcomes of `lsps2.buy` (bLIP-52 error names 201-203; `ok` for a sold channel). */
export const BUY_RESULTS = [
  'ok',
  'invalid_opening_fee_params',
  'payment_size_too_small',
  'payment_size_too_large',
  'invalid_params',
  'client_rejected',
  'internal_error',
] as const;
/** BOLT 4 failure codes the LSP fails intercepted HTLCs with (bLIP-52). */
export const HTLC_FAILURE_CODES = ['unknown_next_peer', 'temporary_channel_failure'] as const;
export const CHANNEL_MODES = ['mpp', 'no_mpp'] as const;
export const TRUST_MODELS = ['lsp-trusts-client', 'client-trusts-lsp'] as const;
export const CHANNEL_OPEN_FAILURE_REASONS = [
  'client_rejected',
  'client_disconnected',
  'node_error',
  'expired',
] as const;
export const ONION_DROP_REASONS = [
  'unregistered_peer',
  'mailbox_full_peer',
  'mailbox_full_total',
  'too_large',
  'expired',
  'duplicate',
] as const;
/** `JitChannelState['kind']` values (service/src/lsps2/session.ts). */
export const SESSION_STATES = [
  'awaitingPayment',
  'openingChannel',
  'awaitingForward',
  'channelOpen',
  'done',
  'closed',
] as const;

/** bLIP-55 notification methods the LSP sends. */
export const LSPS5_METHODS = [
  'lsps5.webhook_registered',
  'lsps5.payment_incoming',
  'lsps5.onion_message_incoming',
  'lsps5.expiry_soon',
  'lsps5.liquidity_management_request',
] as const;
/** How an LSPS5 notification ended: its delivery's outcome, or held back by the cooldown. */
export const LSPS5_RESULTS = [
  'delivered',
  'http_error',
  'network_error',
  'destination_refused',
  'queue_full',
  'cooldown',
] as const;

export type GetInfoResult = (typeof GET_INFO_RESULTS)[number];
export type BuyResult = (typeof BUY_RESULTS)[number];
export type HtlcFailureCode = (typeof HTLC_FAILURE_CODES)[number];
export type ChannelMode = (typeof CHANNEL_MODES)[number];
export type TrustModelLabel = (typeof TRUST_MODELS)[number];
export type ChannelOpenFailureReason = (typeof CHANNEL_OPEN_FAILURE_REASONS)[number];
export type OnionDropReason = (typeof ONION_DROP_REASONS)[number];
export type SessionStateLabel = (typeof SESSION_STATES)[number];
