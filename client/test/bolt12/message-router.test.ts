import { expect } from 'chai';
import * as ldk from 'lightningdevkit';
import { Lsps2MessageRouter } from '../../src/bolt12/message-router.js';
import { hex, initLdk, type Keys, makeKeys } from '../helpers/ldk.js';

describe('Lsps2MessageRouter', () => {
  let wallet: Keys;
  let lsp: Keys;
  let calls: number;
  before(async () => {
    await initLdk();
    wallet = makeKeys(1);
    lsp = makeKeys(2);
  });

  function make(lsps: string[]) {
    calls = 0;
    const inner = ldk.MessageRouter.new_impl({
      find_path: () => {
        calls++;
        return ldk.Result_OnionMessagePathNoneZ.constructor_err();
      },
      create_blinded_paths: () => {
        calls++;
        return ldk.Result_CVec_BlindedMessagePathZNoneZ.constructor_err();
      },
      create_compact_blinded_paths: () => {
        calls++;
        return ldk.Result_CVec_BlindedMessagePathZNoneZ.constructor_err();
      },
    });
    return new Lsps2MessageRouter({ lspNodeIds: () => lsps }).attach(inner, wallet.km.as_EntropySource());
  }
  const context = () =>
    ldk.MessageContext.constructor_offers(
      ldk.OffersContext.constructor_invoice_request(
        ldk.Nonce.constructor_from_entropy_source(makeKeys(3).km.as_EntropySource()),
      ),
    );

  it('builds offer and reply paths whose introduction node is the LSP, one hop before the wallet', () => {
    const res = make([lsp.nodeIdHex]).create_blinded_paths(wallet.nodeId, context(), []);
    expect(res).to.be.instanceOf(ldk.Result_CVec_BlindedMessagePathZNoneZ_OK);
    const [path] = (res as ldk.Result_CVec_BlindedMessagePathZNoneZ_OK).res;
    expect(hex((path!.introduction_node() as ldk.IntroductionNode_NodeId).node_id)).to.equal(lsp.nodeIdHex);
    expect(path!.blinded_hops()).to.have.length(2);
    expect(calls).to.equal(0);
  });

  it('builds compact paths through the LSP too, keeping the node id when the graph does not know the LSP', () => {
    const peers = [ldk.MessageForwardNode.constructor_new(lsp.nodeId, ldk.Option_u64Z.constructor_some(123n))];
    const res = make([lsp.nodeIdHex]).create_compact_blinded_paths(wallet.nodeId, context(), peers);
    const [path] = (res as ldk.Result_CVec_BlindedMessagePathZNoneZ_OK).res;
    expect(hex((path!.introduction_node() as ldk.IntroductionNode_NodeId).node_id)).to.equal(lsp.nodeIdHex);
  });

  it('delegates to the inner message router when no LSP is configured', () => {
    const r = make([]);
    expect(r.create_blinded_paths(wallet.nodeId, context(), [])).to.be.instanceOf(
      ldk.Result_CVec_BlindedMessagePathZNoneZ_Err,
    );
    r.find_path(wallet.nodeId, [], ldk.Destination.constructor_node(lsp.nodeId));
    expect(calls).to.equal(2);
  });
});
