import { expect } from 'chai';
import { decodeTlvStream } from '../../src/tlv/index.js';
import {
  Bolt12Error,
  branchHash,
  decodeBolt12String,
  decodeInvoiceRequest,
  encodeInvoiceRequest,
  merkleLeaves,
  merkleRoot,
  signInvoiceRequest,
  signatureDigest,
  signatureTag,
  verifyInvoiceRequestSignature,
} from '../../src/bolt12/index.js';
import { hex, readVectors, unhex } from './vectors.js';

type SigVector = {
  comment: string;
  bolt12?: string;
  'first-tlv': string;
  leaves: Record<string, string>[];
  branches: Record<string, string>[];
  merkle: string;
  signature_tag?: string;
  'H(signature_tag,merkle)'?: string;
  signature?: string;
};

const vectors = readVectors<SigVector[]>('bolts/bolt12/signature-test.json');

/** The leaf entries name the TLV record in their key: H(`LnLeaf`,<record hex>). */
function leafParts(leaf: Record<string, string>) {
  const [leafKey, nonceKey, branchKey] = Object.keys(leaf);
  const tlv = /H\(`LnLeaf`,([0-9a-f]+)\)/.exec(leafKey!)![1]!;
  return { tlv, leaf: leaf[leafKey!]!, nonce: leaf[nonceKey!]!, branch: leaf[branchKey!]! };
}

function recordsOf(v: SigVector) {
  if (v.bolt12) return decodeTlvStream(decodeBolt12String(v.bolt12).data);
  return v.leaves.map((l) => decodeTlvStream(unhex(leafParts(l).tlv))[0]!);
}

describe('BOLT 12 Merkle root and signatures (signature-test.json)', () => {
  it('has the 4 cases of the spec', () => expect(vectors).to.have.length(4));

  vectors.forEach((v, i) => {
    it(`case ${i}: ${v.comment.slice(0, 80)}: leaves, branches and Merkle root`, () => {
      const records = recordsOf(v);
      expect(hex(decodeTlvStream(unhex(v['first-tlv']))[0]!.value)).to.equal(hex(records[0]!.value));
      const leaves = merkleLeaves(records);
      expect(leaves).to.have.length(v.leaves.length);
      v.leaves.forEach((l, j) => {
        const want = leafParts(l);
        expect(hex(leaves[j]!.leaf), `leaf ${j}`).to.equal(want.leaf);
        expect(hex(leaves[j]!.nonce), `nonce ${j}`).to.equal(want.nonce);
        expect(hex(leaves[j]!.branch), `leaf branch ${j}`).to.equal(want.branch);
      });
      for (const b of v.branches) {
        const key = Object.keys(b).find((k) => k.startsWith('H('))!;
        const pair = /H\(`LnBranch`,([0-9a-f]{128})\)/.exec(key)![1]!;
        expect(hex(branchHash(unhex(pair.slice(0, 64)), unhex(pair.slice(64))))).to.equal(b[key]);
      }
      expect(hex(merkleRoot(records))).to.equal(v.merkle);
    });
  });

  const full = vectors[3]!;

  it('case 3: the invoice_request signature tag, digest and signature', () => {
    expect(signatureTag('invoice_request')).to.equal(full.signature_tag);
    expect(hex(signatureDigest('invoice_request', unhex(full.merkle)))).to.equal(full['H(signature_tag,merkle)']);
    const req = decodeInvoiceRequest(full.bolt12!);
    expect(hex(req.signature!)).to.equal(full.signature);
    expect(verifyInvoiceRequestSignature(req)).to.equal(true);
  });

  it('case 3: the invoice_request decodes to the fields of its comment', () => {
    const req = decodeInvoiceRequest(full.bolt12!);
    expect(req.offerDescription).to.equal('A Mathematical Treatise');
    expect(req.offerAmount).to.equal(100n);
    expect(req.offerCurrency).to.equal('USD');
    expect(hex(req.invreqMetadata)).to.equal('0000000000000000');
    expect(hex(req.invreqPayerId)).to.equal('0324653eac434488002cc06bbfb7f10fe18991e35f9fe4302dbea6d2353dc0ab1c');
  });

  it("case 3: re-signing with Bob's key (0x42...) and zero aux randomness gives the same bytes", () => {
    const req = decodeInvoiceRequest(full.bolt12!);
    const bytes = signInvoiceRequest(req, new Uint8Array(32).fill(0x42));
    expect(hex(bytes)).to.equal(hex(decodeBolt12String(full.bolt12!).data));
    expect(encodeInvoiceRequest(req)).to.equal(full.bolt12);
  });

  it('rejects the invoice_request when one signature bit is flipped, naming the signature rule', () => {
    const bytes = decodeBolt12String(full.bolt12!).data.slice();
    bytes[bytes.length - 1]! ^= 1;
    const req = decodeInvoiceRequest(full.bolt12!, { verifySignature: false });
    expect(verifyInvoiceRequestSignature({ ...req, signature: bytes.subarray(bytes.length - 64) })).to.equal(false);
    const s = encodeInvoiceRequest({ ...req, signature: bytes.subarray(bytes.length - 64) });
    expect(() => decodeInvoiceRequest(s)).to.throw(Bolt12Error, /^invreq\.signature:/);
  });

  it('refuses to sign with a key that is not the payer id', () => {
    const req = decodeInvoiceRequest(full.bolt12!);
    expect(() => signInvoiceRequest(req, new Uint8Array(32).fill(0x41))).to.throw(RangeError);
  });
});
