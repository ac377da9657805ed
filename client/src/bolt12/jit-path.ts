/**
 * The blinded payment path through the LSP for one invoice (BOLT 4 "Route Blinding", BOLT 12
 * `invoice_paths`; bLIP-52 "the client node ID, the jit_channel_scid, the LSP node ID and the
 * lsp_cltv_expiry_delta can be encoded as the last hop of a blinded path").
 *
 * One forwarding hop at the LSP whose encrypted data says: forward over `short_channel_id` = the
 * intercept SCID, with zero relay fees (the LSP is paid by skimming its opening fee, bLIP-52), the
 * LSP's `cltv_expiry_delta`, and `max_cltv_expiry` = ours + that delta (the LSP sees the HTLC that
 * many blocks earlier than we do). No dummy hops: the LSP already knows who the recipient is.
 * The recipient's own `ReceiveTlvs` arrive authenticated from LDK and are passed through unchanged.
 */
import {
  BlindedHopFeatures,
  BlindedPaymentPath,
  type EntropySource,
  ForwardTlvs,
  PaymentConstraints,
  PaymentForwardNode,
  PaymentRelay,
  type ReceiveTlvs,
  Result_BlindedPaymentPathNoneZ_OK,
} from 'lightningdevkit';

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const U32_MAX = 0xffff_ffff;

/**
 * LDK's MIN_FINAL_CLTV_EXPIRY_DELTA (24) + 2: bLIP-52 asks JIT invoices for the client's normal
 * final delta + 2, room for the channel open between the LSP seeing the HTLC and us seeing it.
 */
export const JIT_MIN_FINAL_CLTV_EXPIRY_DELTA = 26;

export interface JitPathParams {
  lspNodeId: Uint8Array;
  interceptScid: bigint;
  lspCltvExpiryDelta: number;
  recipient: Uint8Array;
  tlvs: ReceiveTlvs;
  /**
   * Smallest HTLC the LSP accepts on this path. A no-MPP lease sets it to the invoice amount so the
   * payer cannot split the payment over the JIT path (bLIP-52: no-MPP mode takes the fee from the
   * first HTLC); an MPP lease uses 1.
   */
  htlcMinimumMsat: bigint;
  entropySource: EntropySource;
  minFinalCltvExpiryDelta?: number;
}

export class JitPathError extends Error {
  override readonly name = 'JitPathError';
}

export function buildJitPath(p: JitPathParams): BlindedPaymentPath {
  if (!Number.isInteger(p.lspCltvExpiryDelta) || p.lspCltvExpiryDelta < 0 || p.lspCltvExpiryDelta > 0xffff) {
    throw new JitPathError(`jit-path/lspCltvExpiryDelta: expected a u16, got ${p.lspCltvExpiryDelta}`);
  }
  const receiveMax = p.tlvs.tlvs().get_payment_constraints().get_max_cltv_expiry();
  const maxCltvExpiry = receiveMax + p.lspCltvExpiryDelta;
  if (maxCltvExpiry > U32_MAX)
    throw new JitPathError(`jit-path/max_cltv_expiry: ${receiveMax} + ${p.lspCltvExpiryDelta} exceeds u32`);
  const forward = ForwardTlvs.constructor_new(
    p.interceptScid,
    PaymentRelay.constructor_new(p.lspCltvExpiryDelta, 0, 0),
    PaymentConstraints.constructor_new(maxCltvExpiry, p.htlcMinimumMsat),
    BlindedHopFeatures.constructor_empty(),
    null,
  );
  const hop = PaymentForwardNode.constructor_new(forward, p.lspNodeId, U64_MAX);
  const res = BlindedPaymentPath.constructor_new(
    [hop],
    p.recipient,
    p.tlvs,
    U64_MAX,
    p.minFinalCltvExpiryDelta ?? JIT_MIN_FINAL_CLTV_EXPIRY_DELTA,
    p.entropySource,
  );
  if (!(res instanceof Result_BlindedPaymentPathNoneZ_OK))
    throw new JitPathError('jit-path: LDK refused to build the blinded path');
  return res.res;
}
