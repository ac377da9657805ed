/**
 * The engine's BOLT 12 hooks on real LDK 0.1 nodes over TCP: the offers-message hook, the custom
 * onion-message handler and its outbox with persistable reply paths, the inbound-payment keys, and
 * the payer router's share and blinded routes. Recipient R; payers P1 and P2 each with a confirmed
 * channel to R (R is their direct peer, so no gossip is needed).
 */
import { expect } from 'chai';
import * as ldk from 'lightningdevkit';
import { sha256 } from '@noble/hashes/sha2.js';
import type { LightningNode, OffersMessageIn, RouterHookContext } from '../../src/node/index.js';
import {
  decryptPaymentSecret,
  ldkPaymentPreimage,
  PaymentSecretMethod,
  spontaneousPaymentSecret,
} from '../../src/node/index.js';
import { confirmedChannel, viaPeerMessageRouter, viaPeerRouter, type TestNet } from '../../src/testing/index.js';
import { testNet, viaChannelWith } from './support.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
let p2Id: () => Uint8Array;

describe('engine: BOLT 12 hooks on real nodes', function () {
  this.timeout(120_000);
  let net: TestNet;
  let r: LightningNode;
  let p1: LightningNode;
  let p2: LightningNode;
  let rCtx: RouterHookContext;
  const seen: OffersMessageIn[] = [];
  let take: (m: OffersMessageIn) => boolean = () => false;

  before(async () => {
    net = await testNet();
    r = await net.start('r', {
      offersMessageHook: (m) => {
        seen.push(m);
        return take(m) ? 'take' : 'pass';
      },
      customOnionMessageTypes: [65_539n],
      // R is unannounced: its offer paths enter through P1.
      messageRouterHook: viaPeerMessageRouter(() => p1.nodeId),
      // ... and its payment paths too (P2 reaches R over its own channel when paying a raw path).
      routerHook: (ctx) => {
        rCtx = ctx;
        return viaPeerRouter((c) => viaChannelWith(p1.nodeId)(c))(ctx);
      },
      // LDK fails an incomplete MPP set after 3 timer ticks: keep the test short.
      managerTickIntervalMs: 1000,
    });
    // LDK resends an unanswered invoice_request on its timer tick: keep that short too.
    p1 = await net.start('p1', { customOnionMessageTypes: [65_539n], managerTickIntervalMs: 1000 });
    p2 = await net.start('p2', { managerTickIntervalMs: 1000 });
    p2Id = () => Buffer.from(p2.nodeId, 'hex');
    for (const p of [p1, p2]) {
      await p.connect(r.address!);
      await confirmedChannel(net.chain, p, r, 1_000_000n);
    }
  });
  after(() => net?.close());

  it('lets the offers hook see an invoice_request with its context and hand it on to LDK', async () => {
    seen.length = 0;
    const { offer } = r.createOffer();
    const sent = p1.waitFor('paymentSent');
    const claimable = r.waitFor('paymentClaimable');
    p1.payOffer(offer, 20_000_000n);
    const c = await claimable;
    r.claimFunds(c.preimage!);
    await sent;
    const req = seen.find((m) => m.kind === 'invoice_request')!;
    expect(req.context.kind).to.equal('invoice-request');
    expect(ldk.InvoiceRequest.constructor_read(req.bytes)).to.be.instanceOf(ldk.Result_InvoiceRequestDecodeErrorZ_OK);
  });

  it('lets the hook take an invoice_request and answer it later with an invoice_error the LDK payer acts on', async () => {
    const { offer } = r.createOffer();
    take = (m) => m.kind === 'invoice_request';
    const taken = r.waitFor('offersMessage');
    const failed = p1.waitFor('paymentFailed');
    const id = p1.payOffer(offer, 20_000_000n, { retries: 0 });
    const ev = await taken;
    take = () => false;
    expect(ev.reply).to.be.instanceOf(Uint8Array);
    // LDK reads invoice_error values length-prefixed: 05 'no' -> 04 05 02 6e 6f.
    r.sendOnionMessage(68n, Uint8Array.from([0x04, 0x05, 0x02, 0x6e, 0x6f]), { reply: ev.reply! });
    const f = await failed;
    expect(f.paymentId).to.equal(id);
  });

  it('delivers a custom onion message with its reply path, and a reply sent later from the persisted bytes', async () => {
    const got = r.waitFor('customOnionMessage');
    p1.sendOnionMessage(65_539n, Uint8Array.from([1, 2, 3]), {
      nodeId: Buffer.from(r.nodeId, 'hex'),
      replyContext: { kind: 'custom', data: Uint8Array.from([9, 9]) },
    });
    const m = await got;
    expect(hex(m.bytes)).to.equal('010203');
    const back = p1.waitFor('customOnionMessage');
    r.sendOnionMessage(65_539n, Uint8Array.from([4, 5]), { reply: Uint8Array.from(m.reply!) });
    const b = await back;
    expect(hex(b.bytes)).to.equal('0405');
    expect(hex(b.context!)).to.equal('0909');
  });

  it("decrypts a payment secret LDK made with the node's inbound-payment keys (LDK's scheme pinned)", () => {
    const now = BigInt(Math.floor(Date.now() / 1000));
    const { paymentHash, paymentSecret } = r.createInboundPayment(12_345n, 3600);
    const c = decryptPaymentSecret(r.inboundPaymentKeys(), paymentSecret);
    expect(c.method).to.equal(PaymentSecretMethod.LdkPaymentHash);
    expect(c.minAmountMsat).to.equal(12_345n);
    // LDK counts from the latest block header time (the sandbox's may run ahead of the clock) plus 7200 s of grace.
    expect(Number(c.expiresAtSecs - now)).to.be.within(3600, 3600 + 7200 + 3600);
    expect(hex(sha256(ldkPaymentPreimage(r.inboundPaymentKeys(), c)))).to.equal(paymentHash);
  });

  it('makes keysend payment secrets (method 4) that decrypt under the same keys', () => {
    const secret = spontaneousPaymentSecret(r.inboundPaymentKeys(), 5_000n, 1_900_000_000n);
    expect(decryptPaymentSecret(r.inboundPaymentKeys(), secret)).to.deep.include({
      method: PaymentSecretMethod.SpontaneousPayment,
      minAmountMsat: 5_000n,
      expiresAtSecs: 1_900_000_000n,
    });
  });

  it('pays a blinded path given only as raw fields, over a route the payer router builds', async () => {
    const amount = 15_000_000n;
    const { paymentHash, paymentSecret } = r.createInboundPayment(amount, 3600);
    const tlvs = ldk.UnauthenticatedReceiveTlvs.constructor_new(
      paymentSecret,
      ldk.PaymentConstraints.constructor_new(rCtx.bestHeight() + 2016, 1n),
      ldk.PaymentContext.constructor_bolt12_offer(
        ldk.Bolt12OfferContext.constructor_new(
          ldk.OfferId.constructor_new(new Uint8Array(32).fill(7)),
          ldk.InvoiceRequestFields.constructor_new(p2Id(), ldk.Option_u64Z.constructor_none(), null, null),
        ),
      ),
    ).authenticate(
      ldk.Nonce.constructor_from_entropy_source(rCtx.entropySource),
      rCtx.nodeSigner.get_inbound_payment_key(),
    );
    const path = (
      ldk.BlindedPaymentPath.constructor_one_hop(
        rCtx.nodeId,
        tlvs,
        24,
        rCtx.entropySource,
      ) as ldk.Result_BlindedPaymentPathNoneZ_OK
    ).res;
    const claimable = r.waitFor('paymentClaimable');
    const sent = p2.waitFor('paymentSent');
    const info = path.get_payinfo();
    const paymentId = p2.payBlindedPaths({
      paymentHash,
      amountMsat: amount,
      payeeNodeId: rCtx.nodeId,
      paths: [
        {
          introduction: { kind: 'nodeId', nodeId: rCtx.nodeId },
          firstPathKey: path.blinding_point(),
          hops: path.blinded_hops().map((h) => ({
            blindedNodeId: h.get_blinded_node_id(),
            encryptedRecipientData: h.get_encrypted_payload(),
          })),
          payinfo: {
            feeBaseMsat: info.get_fee_base_msat(),
            feeProportionalMillionths: info.get_fee_proportional_millionths(),
            cltvExpiryDelta: info.get_cltv_expiry_delta(),
          },
        },
      ],
    });
    const c = await claimable;
    expect(c.amountMsat).to.equal(amount);
    r.claimFunds(c.preimage!);
    expect((await sent).paymentId).to.equal(paymentId);
  });

  it('routes only the share with the invoice amount as the onion total: the recipient holds the lone part, then fails it', async () => {
    const { offer } = r.createOffer();
    const lone = 'aa'.repeat(32);
    p1.setPayerRoute(lone, { kind: 'share', totalMsat: 50_000_000n, shareMsat: 30_000_000n });
    const failed = p1.waitFor('paymentFailed', (e) => e.paymentId === lone, 60_000);
    let claimableSeen = false;
    let heldMsat = 0n;
    const off = r.on('paymentClaimable', () => (claimableSeen = true));
    const watch = setInterval(() => {
      for (const ch of r.listChannels())
        for (const h of ch.pendingHtlcs) if (h.direction === 'inbound') heldMsat = h.amountMsat;
    }, 50);
    p1.payOffer(offer, 50_000_000n, { paymentId: lone, retries: 0 });
    await failed;
    clearInterval(watch);
    off();
    // The onion said 50,000 sat: the recipient held the 30,000 sat part for the rest, then timed it out.
    expect(heldMsat).to.equal(30_000_000n);
    expect(claimableSeen, 'the recipient must hold the share, not claim it').to.equal(false);
    for (const n of [p1, r]) for (const ch of n.listChannels()) expect(ch.pendingHtlcs).to.deep.equal([]);
  });
});
