/**
 * Cross-implementation checks of onion messages against LDK 0.1 (WASM), in this process: a minimal
 * LDK node (KeysManager + OnionMessenger with `EmptyNodeIdLookUp`, a `DefaultMessageRouter` on an
 * empty graph, and a JS `CustomOnionMessageHandler`) driven through `OnionMessageHandler`
 * directly, without networking.
 */
import { expect } from 'chai';
import { getPublicKey } from '../../src/crypto/secp256k1.js';
import { toHex } from '../../src/crypto/hex.js';
import { decodeBlindedPath } from '../../src/wire/blinded-path.js';
import { ByteReader } from '../../src/tlv/index.js';
import { buildBlindedMessagePath } from '../../src/blinding/index.js';
import {
  buildOnionMessage,
  decodeOnionMessage,
  encodeOnionMessage,
  peelOnionMessage,
} from '../../src/onion-message/index.js';
import { initLdk, ldk, ldkKeys, quietLogger } from '../sphinx/ldk-wasm.js';

/** Custom onion-message TLV type (LDK requires >= 64; odd so other nodes may ignore it). */
const CUSTOM_TYPE = 65_537n;
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Seen {
  type: bigint;
  bytes: Uint8Array;
  context?: Uint8Array;
}

function ldkNode(seedByte: number) {
  const keys = ldkKeys(seedByte);
  const seen: Seen[] = [];
  const contents = (bytes: Uint8Array) =>
    ldk.OnionMessageContents.new_impl({
      tlv_type: () => CUSTOM_TYPE,
      msg_type: () => 'jitlsp-test',
      write: () => bytes,
      debug_str: () => 'jitlsp-test',
    });
  const custom = ldk.CustomOnionMessageHandler.new_impl({
    handle_custom_message(message, context) {
      seen.push({
        type: message.tlv_type(),
        bytes: message.write(),
        ...(context instanceof ldk.Option_CVec_u8ZZ_Some ? { context: context.some } : {}),
      });
      return ldk.Option_C2Tuple_OnionMessageContentsResponseInstructionZZ.constructor_none();
    },
    read_custom_message(type, buffer) {
      return ldk.Result_COption_OnionMessageContentsZDecodeErrorZ.constructor_ok(
        type === CUSTOM_TYPE
          ? ldk.Option_OnionMessageContentsZ.constructor_some(contents(buffer))
          : ldk.Option_OnionMessageContentsZ.constructor_none(),
      );
    },
    release_pending_custom_messages: () => [],
  });
  const logger = quietLogger();
  const graph = ldk.NetworkGraph.constructor_new(ldk.Network.LDKNetwork_Regtest, logger);
  const ignoring = ldk.IgnoringMessageHandler.constructor_new();
  const om = ldk.OnionMessenger.constructor_new(
    keys.km.as_EntropySource(),
    keys.km.as_NodeSigner(),
    logger,
    ldk.EmptyNodeIdLookUp.constructor_new().as_NodeIdLookUp(),
    ldk.DefaultMessageRouter.constructor_new(graph, keys.km.as_EntropySource()).as_MessageRouter(),
    ignoring.as_OffersMessageHandler(),
    ignoring.as_AsyncPaymentsMessageHandler(),
    ignoring.as_DNSResolverMessageHandler(),
    custom,
  );
  const handler = om.as_OnionMessageHandler();
  const connect = (peer: Uint8Array) => {
    const features = ldk.InitFeatures.constructor_empty();
    features.set_onion_messages_optional();
    const r = handler.peer_connected(
      peer,
      ldk.Init.constructor_new(
        features,
        ldk.Option_CVec_ThirtyTwoBytesZZ.constructor_none(),
        ldk.Option_SocketAddressZ.constructor_none(),
      ),
      false,
    );
    if (!r.is_ok()) throw new Error('ldk: peer_connected failed');
  };
  /** Delivers our wire bytes (without the 2-byte type) as if they came from `from`. */
  const receive = (from: Uint8Array, bytes: Uint8Array) => {
    const m = ldk.OnionMessage.constructor_read(bytes);
    if (!(m instanceof ldk.Result_OnionMessageDecodeErrorZ_OK)) throw new Error('ldk: OnionMessage read failed');
    handler.handle_onion_message(from, m.res);
  };
  // keep the trait objects alive for the process (docs/ldk-pitfalls.md, "Lifetimes")
  return { ...keys, om, handler, seen, contents, connect, receive, keep: [custom, logger, graph, ignoring] };
}

describe('onion messages against LDK 0.1 (lightningdevkit WASM)', function () {
  this.timeout(30_000);
  const ourSecret = new Uint8Array(32).fill(0x21);
  const ourId = getPublicKey(ourSecret);
  before(initLdk);

  it("(c) LDK's OnionMessenger receives an onion message our code built to it, and its CustomOnionMessageHandler sees the payload", () => {
    const node = ldkNode(0x61);
    const { firstNodeId, message } = buildOnionMessage({
      sessionKey: new Uint8Array(32).fill(0x31),
      blindingSessionKey: new Uint8Array(32).fill(0x32),
      intermediateNodeIds: [],
      destination: { kind: 'node', nodeId: node.nodeId },
      contents: { unknown: [{ type: CUSTOM_TYPE, value: utf8('hello LDK, from jitlsp') }] },
    });
    expect(toHex(firstNodeId)).to.equal(toHex(node.nodeId));
    node.receive(ourId, encodeOnionMessage(message, { withType: false }));
    expect(node.seen.map((s) => [s.type, text(s.bytes)])).to.deep.equal([[CUSTOM_TYPE, 'hello LDK, from jitlsp']]);
  });

  it('(c) LDK receives our message along an LDK-built blinded path (decoded by us) and gets its own context back', () => {
    const node = ldkNode(0x62);
    const r = ldk.BlindedMessagePath.constructor_one_hop(
      node.nodeId,
      ldk.MessageContext.constructor_custom(utf8('ctx-42')),
      node.km.as_EntropySource(),
    );
    if (!(r instanceof ldk.Result_BlindedMessagePathNoneZ_OK)) throw new Error('ldk: BlindedMessagePath failed');
    const path = decodeBlindedPath(new ByteReader(r.res.write()));
    expect(path.introduction).to.deep.equal({ kind: 'nodeId', nodeId: node.nodeId });
    const { firstNodeId, message } = buildOnionMessage({
      sessionKey: new Uint8Array(32).fill(0x33),
      blindingSessionKey: new Uint8Array(32).fill(0x34),
      intermediateNodeIds: [],
      destination: { kind: 'blindedPath', path },
      contents: { unknown: [{ type: CUSTOM_TYPE, value: utf8('via your path') }] },
    });
    expect(toHex(firstNodeId)).to.equal(toHex(node.nodeId));
    node.receive(ourId, encodeOnionMessage(message, { withType: false }));
    expect(node.seen.map((s) => [text(s.bytes), s.context && text(s.context)])).to.deep.equal([
      ['via your path', 'ctx-42'],
    ]);
  });

  it('(c) LDK forwards our message as an intermediate hop (next_node_id), and the recipient (our code) peels it', () => {
    const lsp = ldkNode(0x63);
    const clientSecret = new Uint8Array(32).fill(0x22);
    const clientId = getPublicKey(clientSecret);
    lsp.connect(clientId);
    const { path } = buildBlindedMessagePath({
      sessionKey: new Uint8Array(32).fill(0x35),
      forwardNodeIds: [lsp.nodeId],
      recipientNodeId: clientId,
      recipientData: { pathId: utf8('reply-7') },
    });
    const { message } = buildOnionMessage({
      sessionKey: new Uint8Array(32).fill(0x36),
      blindingSessionKey: new Uint8Array(32).fill(0x37),
      intermediateNodeIds: [],
      destination: { kind: 'blindedPath', path },
      contents: { unknown: [{ type: CUSTOM_TYPE, value: utf8('through the LSP') }] },
    });
    lsp.receive(ourId, encodeOnionMessage(message, { withType: false }));
    const forwarded = lsp.handler.next_onion_message_for_peer(clientId);
    const r = peelOnionMessage(decodeOnionMessage(forwarded.write(), { withType: false }), clientSecret);
    expect(r.kind).to.equal('receive');
    if (r.kind !== 'receive') return;
    expect(text(r.payload.unknown![0].value)).to.equal('through the LSP');
    expect(text(r.data.pathId!)).to.equal('reply-7');
  });

  it('(c) an onion message LDK builds (send_onion_message, next_onion_message_for_peer) is peeled by our code', () => {
    const node = ldkNode(0x64);
    node.connect(ourId);
    const sent = node.om.send_onion_message(
      node.contents(utf8('hello jitlsp, from LDK')),
      ldk.MessageSendInstructions.constructor_without_reply_path(ldk.Destination.constructor_node(ourId)),
    );
    expect(sent).to.be.instanceOf(ldk.Result_SendSuccessSendErrorZ_OK);
    const wire = node.handler.next_onion_message_for_peer(ourId).write();
    const msg = decodeOnionMessage(wire, { withType: false });
    expect(encodeOnionMessage(msg, { withType: false }).length).to.equal(wire.length);
    const r = peelOnionMessage(msg, ourSecret);
    expect(r.kind).to.equal('receive');
    if (r.kind !== 'receive') return;
    expect(r.payload.unknown!.map((u) => [u.type, text(u.value)])).to.deep.equal([
      [CUSTOM_TYPE, 'hello jitlsp, from LDK'],
    ]);
  });

  it('(c) an LDK message with a reply path: our code peels it and reads the reply_path LDK built', () => {
    const node = ldkNode(0x65);
    node.connect(ourId);
    const sent = node.om.send_onion_message(
      node.contents(utf8('reply to me')),
      ldk.MessageSendInstructions.constructor_with_reply_path(
        ldk.Destination.constructor_node(ourId),
        ldk.MessageContext.constructor_custom(utf8('r')),
      ),
    );
    expect(sent).to.be.instanceOf(ldk.Result_SendSuccessSendErrorZ_OK);
    const r = peelOnionMessage(
      decodeOnionMessage(node.handler.next_onion_message_for_peer(ourId).write(), { withType: false }),
      ourSecret,
    );
    expect(r.kind).to.equal('receive');
    if (r.kind !== 'receive') return;
    const reply = r.payload.replyPath!;
    // With no other peers, LDK's DefaultMessageRouter makes us the introduction node of its reply path.
    expect(reply.introduction).to.deep.equal({ kind: 'nodeId', nodeId: ourId });
    expect(reply.hops.length).to.be.greaterThan(0);
    // reply along it: LDK receives the answer with the context it put in its reply path
    const { firstNodeId, message } = buildOnionMessage({
      sessionKey: new Uint8Array(32).fill(0x38),
      blindingSessionKey: new Uint8Array(32).fill(0x39),
      intermediateNodeIds: [],
      self: { nodeId: ourId, nodePrivkey: ourSecret }, // advance past our own hop
      destination: { kind: 'blindedPath', path: reply },
      contents: { unknown: [{ type: CUSTOM_TYPE, value: utf8('here is my reply') }] },
    });
    expect(toHex(firstNodeId)).to.equal(toHex(node.nodeId));
    node.receive(ourId, encodeOnionMessage(message, { withType: false }));
    expect(node.seen.map((s) => [text(s.bytes), s.context && text(s.context)])).to.deep.equal([
      ['here is my reply', 'r'],
    ]);
  });
});
