import { expect } from 'chai';
import { getPublicKey } from '../../src/crypto/secp256k1.js';
import { OnionError } from '../../src/sphinx/index.js';
import { buildBlindedMessagePath } from '../../src/blinding/index.js';
import {
  buildOnionMessage,
  decodeOnionMessage,
  decodeOnionMessagePayload,
  encodeOnionMessage,
  encodeOnionMessagePayload,
  peelOnionMessage,
  type BuildOnionMessageArgs,
  type OnionMessage,
} from '../../src/onion-message/index.js';

const secret = (b: number) => new Uint8Array(32).fill(b);
const secrets = [0x41, 0x42, 0x43, 0x44].map(secret);
const [alice, bob, carol, dave] = secrets.map(getPublicKey);
const byId = new Map(secrets.map((s) => [getPublicKey(s).join(), s]));

/** Walks a message hop by hop (over the wire bytes), returning the visited nodes and the final result. */
function deliver(first: Uint8Array, message: OnionMessage) {
  const visited: Uint8Array[] = [];
  let node = first;
  let wire = encodeOnionMessage(message);
  for (;;) {
    visited.push(node);
    const r = peelOnionMessage(decodeOnionMessage(wire), byId.get(node.join())!);
    if (r.kind === 'receive') return { visited, received: r };
    node = (r.next as { nodeId: Uint8Array }).nodeId;
    wire = encodeOnionMessage(r.message);
  }
}

const make = (over: Partial<BuildOnionMessageArgs>) =>
  buildOnionMessage({
    sessionKey: secret(1),
    blindingSessionKey: secret(2),
    intermediateNodeIds: [],
    destination: { kind: 'node', nodeId: dave },
    contents: {},
    ...over,
  });

describe('building and peeling onion messages', () => {
  it('to a node through unblinded intermediates: each hop forwards to the next, the last receives the contents', () => {
    const { firstNodeId, message } = make({
      intermediateNodeIds: [alice, bob, carol],
      contents: { invoiceRequest: Uint8Array.of(1, 2, 3) },
    });
    const { visited, received } = deliver(firstNodeId, message);
    expect(visited).to.deep.equal([alice, bob, carol, dave]);
    expect(received.payload.invoiceRequest).to.deep.equal(Uint8Array.of(1, 2, 3));
  });

  it('to a blinded path through an intermediate: the prefix joins the path with next_path_key_override', () => {
    const { path } = buildBlindedMessagePath({
      sessionKey: secret(3),
      forwardNodeIds: [carol],
      recipientNodeId: dave,
      recipientData: { pathId: Uint8Array.of(9) },
    });
    const replyPath = buildBlindedMessagePath({
      sessionKey: secret(4),
      forwardNodeIds: [bob],
      recipientNodeId: alice,
    }).path;
    const { firstNodeId, message } = make({
      intermediateNodeIds: [alice, bob],
      destination: { kind: 'blindedPath', path },
      contents: { invoice: Uint8Array.of(7), replyPath },
    });
    const { visited, received } = deliver(firstNodeId, message);
    expect(visited).to.deep.equal([alice, bob, carol, dave]);
    expect(received.data.pathId).to.deep.equal(Uint8Array.of(9));
    expect(received.payload.invoice).to.deep.equal(Uint8Array.of(7));
    expect(received.payload.replyPath).to.deep.equal(replyPath);
  });

  it('resolves a compact (sciddir) introduction node through the caller, and refuses without a resolver', () => {
    const { path } = buildBlindedMessagePath({ sessionKey: secret(3), forwardNodeIds: [carol], recipientNodeId: dave });
    const compact = { ...path, introduction: { kind: 'scidDir' as const, direction: 0 as const, scid: 1729n } };
    const { firstNodeId, message } = make({
      destination: { kind: 'blindedPath', path: compact },
      resolveIntroduction: (scid) => (scid === 1729n ? carol : undefined),
    });
    expect(deliver(firstNodeId, message).visited).to.deep.equal([carol, dave]);
    expect(() => make({ destination: { kind: 'blindedPath', path: compact } }))
      .to.throw(OnionError)
      .with.property('code', 'invalid-argument');
  });

  it('uses the 32768-byte payload size when the contents do not fit 1300 bytes, and refuses more', () => {
    const { firstNodeId, message } = make({ contents: { invoice: new Uint8Array(5000).fill(0xab) } });
    expect(encodeOnionMessage(message).length).to.equal(2 + 33 + 2 + 32834);
    expect(deliver(firstNodeId, message).received.payload.invoice!.length).to.equal(5000);
    expect(make({}).message.packet.hopPayloads.length).to.equal(1300);
    expect(() => make({ contents: { invoice: new Uint8Array(33_000) } }))
      .to.throw(OnionError)
      .with.property('code', 'oversize-payload');
  });

  it('keeps unknown odd onionmsg_tlv types and round-trips every field', () => {
    const { path } = buildBlindedMessagePath({ sessionKey: secret(5), forwardNodeIds: [], recipientNodeId: bob });
    const payload = {
      replyPath: path,
      encryptedRecipientData: Uint8Array.of(1),
      invoiceRequest: Uint8Array.of(2),
      invoice: Uint8Array.of(3),
      invoiceError: Uint8Array.of(4),
      unknown: [
        { type: 1n, value: Uint8Array.of(5) },
        { type: 99n, value: Uint8Array.of() },
      ],
    };
    expect(decodeOnionMessagePayload(encodeOnionMessagePayload(payload))).to.deep.equal(payload);
    expect(() => encodeOnionMessagePayload({ unknown: [{ type: 70n, value: Uint8Array.of() }] }))
      .to.throw(OnionError)
      .with.property('code', 'invalid-argument');
  });

  it('frames onion_message with and without the 0x0201 type prefix', () => {
    const { message } = make({});
    const withType = encodeOnionMessage(message);
    const bare = encodeOnionMessage(message, { withType: false });
    expect(Array.from(withType.subarray(0, 2))).to.deep.equal([0x02, 0x01]);
    expect(withType.subarray(2)).to.deep.equal(bare);
    expect(decodeOnionMessage(bare, { withType: false })).to.deep.equal(decodeOnionMessage(withType));
  });
});
