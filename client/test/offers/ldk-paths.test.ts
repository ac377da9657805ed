import { expect } from 'chai';
import * as ldk from 'lightningdevkit';
import { initLdk } from '@jitlsp/engine/node';
import { toHex } from '@jitlsp/shared/crypto';
import { encodeBlindedPath } from '@jitlsp/shared/wire';
import { messagePathFromLdk, paymentPathFromLdk, receiveTlvs } from '../../src/offers/ldk-paths.js';
import { LSP_NODE_ID } from './fixtures.js';

describe("LDK's blinded paths in the TS codec's terms", () => {
  let km: ldk.KeysManager;
  let me: Uint8Array;
  before(async () => {
    await initLdk();
    km = ldk.KeysManager.constructor_new(new Uint8Array(32).fill(9), 1_700_000_000n, 0);
    me = (km.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node) as ldk.Result_PublicKeyNoneZ_OK).res;
  });

  it('reads a blinded message path through the LSP and writes it back byte for byte', () => {
    const nonce = ldk.Nonce.constructor_from_entropy_source(km.as_EntropySource());
    const res = ldk.BlindedMessagePath.constructor_new(
      [ldk.MessageForwardNode.constructor_new(LSP_NODE_ID, ldk.Option_u64Z.constructor_none())],
      me,
      ldk.MessageContext.constructor_offers(ldk.OffersContext.constructor_invoice_request(nonce)),
      km.as_EntropySource(),
    ) as ldk.Result_BlindedMessagePathNoneZ_OK;
    const path = messagePathFromLdk(res.res);
    expect(path.introduction).to.deep.equal({ kind: 'nodeId', nodeId: LSP_NODE_ID });
    expect(path.hops).to.have.length(2);
    expect(toHex(encodeBlindedPath(path).finish())).to.equal(toHex(res.res.write()));
  });

  it('reads a payment path with its payinfo, built from receive TLVs for a TS offer', () => {
    const tlvs = receiveTlvs({
      paymentSecret: new Uint8Array(32).fill(1),
      offerId: new Uint8Array(32).fill(2),
      request: { invreqPayerId: LSP_NODE_ID, invreqQuantity: 2n, invreqPayerNote: 'hi' },
      bestHeight: 100,
      entropy: km.as_EntropySource(),
      inboundPaymentKey: km.as_NodeSigner().get_inbound_payment_key(),
    });
    expect(tlvs.tlvs().get_payment_constraints().get_max_cltv_expiry()).to.equal(100 + 2019);
    const res = ldk.BlindedPaymentPath.constructor_one_hop(me, tlvs, 24, km.as_EntropySource());
    const { path, payinfo } = paymentPathFromLdk((res as ldk.Result_BlindedPaymentPathNoneZ_OK).res);
    expect(path.introduction).to.deep.equal({ kind: 'nodeId', nodeId: me });
    expect(path.hops).to.have.length(1);
    expect(payinfo.cltvExpiryDelta).to.equal(24);
    expect(payinfo.feeBaseMsat).to.equal(0);
  });
});
