/**
 * The wallet's offers shell: runs the pure offers code against the node. It
 * - builds TS offers (`createOffer`, `createGroupOffer`) with message paths into the wallet through
 *   the LSP, and keeps them in the offer book;
 * - takes, in the node's offers hook, the invoice_requests that arrive on its TS offers' paths and the
 *   invoices that answer its own TS invoice_requests; LDK gets every other offers message;
 * - answers invoice_requests: the verdict (`judgeInvoiceRequest`), then the payment from
 *   `create_inbound_payment` and the lease router's paths (a JIT path through the LSP when inbound
 *   liquidity is short), the signed invoice, sent over the payer's reply path; or an invoice_error;
 * - pays offers through TS (`payOffer`): signed invoice_request, invoice checked against the offer and
 *   the request, paid over its blinded paths by the node's payer router;
 * - pays shares (`payOfferShare`) through LDK's own offers flow with the share router.
 *
 * Everything LDK calls synchronously (the hook) only decides `take` or `pass`; the work runs on the
 * `offersMessage` event, after LDK returned.
 */
import type { Logger } from '@jitlsp/shared/log';
import * as ldk from 'lightningdevkit';
import {
  decodeInvoiceErrorPayload,
  decodeOffer,
  encodeInvoiceErrorPayload,
  type Invoice,
  type InvoiceRequest,
  type Offer,
} from '@jitlsp/shared/bolt12';
import { equalBytes, fromHex, hmacSha256, toHex } from '@jitlsp/shared/crypto';
import { encodeBlindedPath } from '@jitlsp/shared/wire';
import { encodeTu64 } from '@jitlsp/shared/tlv';
import type {
  LightningNode,
  NodeEventOf,
  OffersMessageIn,
  RawBlindedPath,
  RouterHookContext,
} from '@jitlsp/engine/node';
import type { Lsps2Bolt12Router } from '../bolt12/router.js';
import { buildInvoice, judgeInvoiceRequest, type InvoicePayment } from './answer-invoice-request.js';
import { buildOffer, type BuiltOffer } from './build-offer.js';
import { OfferInputError } from './errors.js';
import * as group from './group-offer.js';
import { offerKeyPair } from './keys.js';
import { messagePathFromLdk, paymentPathFromLdk, receiveTlvs } from './ldk-paths.js';
import { OfferBook, type OfferRecord } from './offer-book.js';
import { buildInvoiceRequest, verifyInvoice } from './pay-offer.js';
import { checkShareAmounts } from './share.js';

export interface OffersShellOptions {
  node: LightningNode;
  hooks: RouterHookContext;
  router: Lsps2Bolt12Router;
  /** The wallet's BOLT 12 root secret (`offersRootFromSeed`). Never logged. */
  root: Uint8Array;
  chain: Uint8Array;
  book: OfferBook;
  clock: () => Date;
  random: (n: number) => Uint8Array;
  logger?: Logger;
  /** How long a TS payer waits for the invoice (default 30 s). */
  invoiceTimeoutMs?: number;
}

export interface CreateOfferOptions {
  amountMsat?: bigint;
  description: string;
  issuer?: string;
  absoluteExpiry?: Date;
  quantityMax?: bigint;
}

export interface PaidInvoice {
  paymentId: string;
  paymentHash: string;
  invoice: Invoice;
}

/** What came back for an invoice_request. */
export type InvoiceReply =
  | { kind: 'invoice'; paymentId: string; bytes: Uint8Array }
  | { kind: 'invoice_error'; paymentId: string; error: string; erroneousField?: bigint }
  | { kind: 'timeout'; paymentId: string };

type PendingRequest = {
  nonce: Uint8Array;
  resolve: (r: InvoiceReply) => void;
  timer: NodeJS.Timeout;
};

const REPLY_LABEL = new TextEncoder().encode('jitlsp/bolt12/reply-path');

export class OffersShell {
  private readonly pending = new Map<string, PendingRequest>();
  /** Payment ids whose invoice was handled: later copies are taken and dropped. */
  private readonly answered = new Set<string>();
  /** `invreq_metadata` -> the invoice already sent (BOLT 12: MAY reply with the previous invoice). */
  private readonly invoices = new Map<string, Uint8Array>();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: OffersShellOptions) {
    this.unsubscribe = o.node.on('offersMessage', (ev) => this.onTaken(ev));
  }

  close(): void {
    this.unsubscribe();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ kind: 'timeout', paymentId: id });
    }
    this.pending.clear();
  }

  /** The node's offers hook: take what belongs to the TS flows, pass the rest to LDK. */
  hook(m: OffersMessageIn): 'pass' | 'take' {
    if (m.kind === 'invoice_request' && m.context.kind === 'invoice-request')
      return this.o.book.get(toHex(m.context.nonce)) ? 'take' : 'pass';
    if ((m.kind === 'invoice' || m.kind === 'invoice_error') && m.context.kind === 'outbound-payment') {
      const id = m.context.paymentId;
      return this.pending.has(id) || this.answered.has(id) ? 'take' : 'pass';
    }
    return 'pass';
  }

  // ---- recipient ---------------------------------------------------------------------------------

  /**
   * A TS-built offer whose message paths enter through `lsp`. `register` puts the offer id in the lease
   * router before anything needs paths for it (a group offer makes its payment at once).
   */
  createOffer(
    o: CreateOfferOptions,
    lsp: string,
    register: (offerIdHex: string) => void,
    groupTerms?: Omit<group.GroupTerms, 'offerIdHex'>,
  ): BuiltOffer {
    const nonce = this.o.random(16);
    const key = offerKeyPair(this.o.root, nonce);
    const built = buildOffer(
      {
        issuerId: key.publicKey,
        description: o.description,
        amountMsat: o.amountMsat,
        issuer: o.issuer,
        absoluteExpiry: o.absoluteExpiry,
        quantityMax: o.quantityMax,
        paths: [this.offerPath(nonce, lsp)],
        chain: this.o.chain,
      },
      this.o.clock(),
    );
    const rec: OfferRecord = {
      nonceHex: toHex(nonce),
      offerIdHex: built.offerIdHex,
      offerBytes: built.bytes,
      offer: built.offer,
      lspNodeId: lsp,
      createdAtMs: this.o.clock().getTime(),
    };
    register(built.offerIdHex);
    if (groupTerms) {
      const payment = this.payment(rec, groupTerms.totalMsat, { invreqPayerId: key.publicKey }, 'group');
      if (!payment) throw new OfferInputError('lsp', 'no payment path for the group total (no MPP lease held)');
      rec.group = group.openGroup({ ...groupTerms, offerIdHex: built.offerIdHex }, payment);
    }
    this.o.book.put(rec);
    return built;
  }

  /** Closes the group whose payment was claimed. */
  paymentClaimed(paymentHashHex: string): void {
    for (const rec of this.o.book.all()) {
      if (!rec.group) continue;
      const step = group.paymentClaimed(rec.group, paymentHashHex);
      if (step.state !== rec.group) this.o.book.put({ ...rec, group: step.state });
    }
  }

  private offerPath(nonce: Uint8Array, lsp: string) {
    const n = ldk.Nonce.constructor_read(nonce);
    if (!(n instanceof ldk.Result_NonceDecodeErrorZ_OK)) throw new Error('offer nonce did not decode');
    const res = ldk.BlindedMessagePath.constructor_new(
      [ldk.MessageForwardNode.constructor_new(fromHex(lsp), ldk.Option_u64Z.constructor_none())],
      this.o.hooks.nodeId,
      ldk.MessageContext.constructor_offers(ldk.OffersContext.constructor_invoice_request(n.res)),
      this.o.hooks.entropySource,
    );
    if (!(res instanceof ldk.Result_BlindedMessagePathNoneZ_OK)) throw new Error('LDK refused the offer path');
    return messagePathFromLdk(res.res);
  }

  /** `create_inbound_payment` plus the lease router's paths, for one invoice (or one group). */
  private payment(
    rec: OfferRecord,
    amountMsat: bigint,
    request: Pick<InvoiceRequest, 'invreqPayerId' | 'invreqQuantity' | 'invreqPayerNote'>,
    payerKeyHex: string,
  ): InvoicePayment | undefined {
    const { paymentHash, paymentSecret } = this.o.node.createInboundPayment(amountMsat, 7200);
    const tlvs = receiveTlvs({
      paymentSecret,
      offerId: fromHex(rec.offerIdHex),
      request,
      bestHeight: this.o.hooks.bestHeight(),
      entropy: this.o.hooks.entropySource,
      inboundPaymentKey: this.o.hooks.nodeSigner.get_inbound_payment_key(),
    });
    const out = this.o.router.pathsFor(
      { offerId: rec.offerIdHex },
      {
        recipient: this.o.hooks.nodeId,
        tlvs,
        amountMsat,
        firstHops: this.o.hooks.usableChannels(),
        payerKeyHex,
      },
    );
    if (!out.matched || out.paths.length === 0) return undefined;
    return {
      paymentHash: fromHex(paymentHash),
      paths: out.paths.map(paymentPathFromLdk),
      // A no-MPP lease's JIT path takes one HTLC for the whole amount.
      mpp: out.lease?.mode === 'no-mpp' ? 'none' : 'optional',
    };
  }

  private async onTaken(ev: NodeEventOf<'offersMessage'>): Promise<void> {
    try {
      if (ev.kind === 'invoice_request' && ev.context.kind === 'invoice-request')
        this.answer(toHex(ev.context.nonce), ev.bytes, ev.reply);
      else if (ev.context.kind === 'outbound-payment') this.onReply(ev);
    } catch (e) {
      this.o.logger?.log('error', 'offers message handling failed', { kind: ev.kind, error: (e as Error).message });
    }
  }

  private answer(nonceHex: string, bytes: Uint8Array, reply: Uint8Array | undefined): void {
    const rec = this.o.book.get(nonceHex);
    if (!rec || !reply) return;
    const now = this.o.clock();
    const verdict = judgeInvoiceRequest(rec.offer, bytes, { now, supportedChains: [this.o.chain] });
    if (verdict.kind === 'drop') {
      this.o.logger?.log('info', 'invoice_request dropped', { offer: rec.offerIdHex, reason: verdict.reason });
      return;
    }
    if (verdict.kind === 'reject') {
      this.o.logger?.log('info', 'invoice_request refused', { offer: rec.offerIdHex, rule: verdict.rule });
      this.sendError(reply, verdict.invoiceError);
      return;
    }
    const key = offerKeyPair(this.o.root, fromHex(nonceHex)).secretKey;
    if (rec.group) {
      const step = group.invoiceRequested(
        rec.group,
        { payerIdHex: toHex(verdict.request.invreqPayerId), amountMsat: verdict.amountMsat },
        now.getTime(),
      );
      if (step.state !== rec.group) this.o.book.put({ ...rec, group: step.state });
      for (const a of step.actions) {
        if (a.kind === 'send-invoice') {
          const invoice = buildInvoice(
            { request: verdict.request, amountMsat: a.amountMsat },
            { ...a.payment, relativeExpirySecs: a.relativeExpirySecs },
            key,
            now,
          );
          this.o.node.sendOnionMessage(66n, invoice, { reply });
        } else if (a.kind === 'send-invoice-error') {
          this.sendError(reply, {
            error: a.error,
            ...(a.erroneousField !== undefined ? { erroneousField: a.erroneousField } : {}),
            ...(a.suggestedTotalMsat !== undefined ? { suggestedValue: encodeTu64(a.suggestedTotalMsat) } : {}),
          });
        } else {
          this.o.logger?.log('info', 'group offer closed', {
            offer: rec.offerIdHex,
            reason: a.reason,
            payers: a.payers,
          });
        }
      }
      return;
    }
    const metadataHex = toHex(verdict.request.invreqMetadata);
    let invoice = this.invoices.get(metadataHex);
    if (!invoice) {
      const payment = this.payment(rec, verdict.amountMsat, verdict.request, toHex(verdict.request.invreqPayerId));
      if (!payment) {
        this.sendError(reply, { error: 'no payment path available for this amount now' });
        return;
      }
      invoice = buildInvoice(verdict, payment, key, now);
      this.invoices.set(metadataHex, invoice);
    }
    this.o.node.sendOnionMessage(66n, invoice, { reply });
  }

  private sendError(reply: Uint8Array, e: { error: string; erroneousField?: bigint; suggestedValue?: Uint8Array }) {
    // LDK 0.1 payers read the invoice_error value length-prefixed.
    this.o.node.sendOnionMessage(68n, encodeInvoiceErrorPayload(e, { ldkFraming: true }), { reply });
  }

  // ---- payer -------------------------------------------------------------------------------------

  /**
   * Requests an invoice for `offer` with a TS-built, signed invoice_request, checks it against the
   * offer and the request, and pays it over its blinded paths. Resolves once the payment is sent
   * (watch `paymentSent`/`paymentFailed` with the payment id). An offer BOLT 12 says not to answer
   * (expired, another chain) is refused before anything is sent.
   */
  async payOffer(
    offerString: string,
    o: { amountMsat?: bigint; quantity?: bigint; payerNote?: string } = {},
  ): Promise<PaidInvoice> {
    const offer = decodeOffer(offerString);
    const built = buildInvoiceRequest(this.o.root, {
      offer,
      chain: this.o.chain,
      amountMsat: o.amountMsat,
      quantity: o.quantity,
      payerNote: o.payerNote,
      metadata: this.o.random(32),
      now: this.o.clock(),
    });
    const reply = await this.requestInvoice(offer, built.bytes, this.o.invoiceTimeoutMs ?? 30_000);
    if (reply.kind === 'timeout') throw new Error('payOffer: no answer to the invoice_request before the timeout');
    if (reply.kind === 'invoice_error')
      throw new Error(
        `payOffer: the recipient refused: ${reply.error}${reply.erroneousField !== undefined ? ` (field ${reply.erroneousField})` : ''}`,
      );
    const invoice = verifyInvoice(reply.bytes, {
      request: built.request,
      now: this.o.clock(),
      supportedChains: [this.o.chain],
    });
    const paths: RawBlindedPath[] = invoice.invoicePaths.map((path, i) => ({
      introduction: path.introduction,
      firstPathKey: path.firstPathKey,
      hops: path.hops,
      payinfo: invoice.invoiceBlindedpay[i]!,
    }));
    this.o.node.payBlindedPaths({
      paymentId: reply.paymentId,
      paymentHash: toHex(invoice.invoicePaymentHash),
      amountMsat: invoice.invoiceAmountMsat,
      payeeNodeId: invoice.invoiceNodeId,
      paths,
    });
    return { paymentId: reply.paymentId, paymentHash: toHex(invoice.invoicePaymentHash), invoice };
  }

  /**
   * Sends raw invoice_request `bytes` to `offer` (every offer path, else its issuer) with a reply path
   * back to this wallet, and waits for the answer: the invoice's bytes (unchecked), the invoice_error,
   * or a timeout (BOLT 12 lets a recipient drop a request).
   */
  requestInvoice(offer: Offer | string, bytes: Uint8Array, timeoutMs: number): Promise<InvoiceReply> {
    const o = typeof offer === 'string' ? decodeOffer(offer) : offer;
    const paymentId = this.o.random(32);
    const nonce = this.o.random(16);
    const idHex = toHex(paymentId);
    return new Promise<InvoiceReply>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(idHex);
        resolve({ kind: 'timeout', paymentId: idHex });
      }, timeoutMs);
      this.pending.set(idHex, { nonce, resolve, timer });
      const replyContext = {
        kind: 'outbound-payment' as const,
        paymentId,
        nonce,
        hmac: this.replyHmac(paymentId, nonce),
      };
      const paths = o.offerPaths ?? [];
      // BOLT 12: via any path in offer_paths (MAY send more than one), else to offer_issuer_id.
      if (paths.length > 0)
        for (const p of paths)
          this.o.node.sendOnionMessage(64n, bytes, { blindedPath: encodeBlindedPath(p).finish(), replyContext });
      else this.o.node.sendOnionMessage(64n, bytes, { nodeId: o.offerIssuerId!, replyContext });
    });
  }

  private replyHmac(paymentId: Uint8Array, nonce: Uint8Array): Uint8Array {
    const msg = new Uint8Array(REPLY_LABEL.length + 48);
    msg.set(REPLY_LABEL, 0);
    msg.set(paymentId, REPLY_LABEL.length);
    msg.set(nonce, REPLY_LABEL.length + 32);
    return hmacSha256(this.o.root, msg);
  }

  private onReply(ev: NodeEventOf<'offersMessage'>): void {
    if (ev.context.kind !== 'outbound-payment') return;
    const id = ev.context.paymentId;
    const p = this.pending.get(id);
    if (!p) return; // a copy of an answer already handled
    // BOLT 12: MUST reject the invoice if it did not arrive via the invoice_request's reply_path.
    if (!equalBytes(ev.context.hmac, this.replyHmac(fromHex(id), ev.context.nonce))) return;
    this.pending.delete(id);
    this.answered.add(id);
    clearTimeout(p.timer);
    if (ev.kind === 'invoice') {
      p.resolve({ kind: 'invoice', paymentId: id, bytes: ev.bytes });
      return;
    }
    try {
      const e = decodeInvoiceErrorPayload(ev.bytes);
      p.resolve({ kind: 'invoice_error', paymentId: id, error: e.error, erroneousField: e.erroneousField });
    } catch {
      p.resolve({ kind: 'invoice_error', paymentId: id, error: 'unreadable invoice_error' });
    }
  }

  /**
   * Pays `shareMsat` of an offer's `totalMsat` invoice, the rest paid by others (LDK's offers flow:
   * LDK requests and checks the invoice; the node's share router routes only the share, the onion
   * says the total). Refused before anything is sent unless `0 < share <= total`.
   */
  payOfferShare(offer: string, a: { totalMsat: bigint; shareMsat: bigint }): string {
    checkShareAmounts(a);
    const paymentId = toHex(this.o.random(32));
    this.o.node.setPayerRoute(paymentId, { kind: 'share', totalMsat: a.totalMsat, shareMsat: a.shareMsat });
    try {
      // No automatic retry: LDK 0.1 would retry with the share as the onion total.
      return this.o.node.payOffer(offer, a.totalMsat, { paymentId, retries: 0 });
    } catch (e) {
      this.o.node.clearPayerRoute(paymentId);
      throw e;
    }
  }
}
