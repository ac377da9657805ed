import { expect } from 'chai';
import { BigSize, ByteReader, TlvError, decodeTlvStream, rejectUnknownEven } from '../../src/tlv/index.js';
import { fromHex, isValidPublicKey } from '../../src/crypto/index.js';
import { readVectorText } from '../support/paths.js';

/**
 * BOLT 1 Appendix A (BigSize) and Appendix B (TLV) vectors, read from the spec text in
 * spec text (vectors/bolts/01-messaging.md): each vector is its own test.
 */
const spec = readVectorText('bolts/01-messaging.md');
const section = (from: string, to: string) =>
  spec.slice(spec.indexOf(from), spec.indexOf(to, spec.indexOf(from) + from.length));
// Values go up to 2^64-1, beyond what JSON numbers hold exactly: read them as strings.
const jsonBlocks = (text: string) =>
  [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) =>
    JSON.parse(m[1]!.replace(/"value": (\d+)/g, '"value": "$1"')),
  );

type BigSizeCase = { name: string; value: string; bytes: string; exp_error?: string };
const [decodeCases, encodeCases] = jsonBlocks(section('## Appendix A', '## Appendix B')) as [
  BigSizeCase[],
  BigSizeCase[],
];

describe('BOLT 1 Appendix A: BigSize', () => {
  describe('decoding', () => {
    for (const c of decodeCases) {
      it(`${c.exp_error ? 'rejects' : 'decodes'} "${c.name}"`, () => {
        const bytes = Buffer.from(c.bytes, 'hex');
        if (c.exp_error) {
          expect(() => BigSize.decode(bytes)).to.throw(
            TlvError,
            c.exp_error === 'decoded bigsize is not canonical' ? /non-minimal/ : /expected/,
          );
        } else {
          expect(BigSize.decode(bytes)).to.deep.equal({ value: BigInt(c.value), length: bytes.length });
        }
      });
    }
  });
  describe('encoding', () => {
    for (const c of encodeCases) {
      it(`encodes "${c.name}"`, () => {
        expect(Buffer.from(BigSize.encode(BigInt(c.value))).toString('hex')).to.equal(c.bytes);
      });
    }
  });
});

/** The two test namespaces of Appendix B, decoded with this package's readers. */
const namespaces = {
  n1: (stream: Uint8Array) => {
    const records = decodeTlvStream(stream, 'n1');
    rejectUnknownEven(records, (t) => t === 2n || t === 254n, 'n1');
    const out: Record<string, unknown> = {};
    for (const r of records) {
      const rd = new ByteReader(r.value, `n1/${r.type}`);
      if (r.type === 1n) out.tlv1 = { amount_msat: rd.tu64() };
      else if (r.type === 2n) out.tlv2 = { scid: rd.u64() };
      else if (r.type === 3n) {
        const nodeId = rd.bytes(33);
        if (!isValidPublicKey(nodeId))
          throw new TlvError('invalid-value', 'n1/tlv3/node_id: not a valid point', r.offset, r.type);
        out.tlv3 = { node_id: Buffer.from(nodeId).toString('hex'), amount_msat_1: rd.u64(), amount_msat_2: rd.u64() };
      } else if (r.type === 254n) out.tlv4 = { cltv_delta: rd.u16() };
      else continue;
      rd.end();
    }
    return out;
  },
  n2: (stream: Uint8Array) => {
    const records = decodeTlvStream(stream, 'n2');
    rejectUnknownEven(records, (t) => t === 0n, 'n2');
    const out: Record<string, unknown> = {};
    for (const r of records) {
      const rd = new ByteReader(r.value, `n2/${r.type}`);
      if (r.type === 0n) out.tlv1 = { amount_msat: rd.tu64() };
      else if (r.type === 11n) out.tlv2 = { cltv_expiry: rd.tu32() };
    }
    return out;
  },
};

const hex = (s: string) => fromHex(s.replace(/^0x/, '').replace(/\s+/g, ''), 'vector');
type StreamCase = { stream: string; note: string };
function listStreams(text: string, kind: 'Invalid' | 'Valid'): StreamCase[] {
  const re = new RegExp(`1\\. ${kind} stream: (0x[0-9a-f ]*)\\n2\\. (?:Reason|Explanation|Values): (.*)`, 'g');
  return [...text.matchAll(re)].map((m) => ({ stream: m[1]!.trim(), note: m[2]!.trim() }));
}
/** Splits Appendix B into its headed paragraphs, so each list is run in the namespaces it names. */
const appendixB = section('## Appendix B', '## Appendix C');
const part = (from: string, to?: string) =>
  appendixB.slice(appendixB.indexOf(from), to ? appendixB.indexOf(to) : undefined);

describe('BOLT 1 Appendix B: TLV streams', () => {
  const groups: Array<{ title: string; text: string; kind: 'Invalid' | 'Valid'; ns: Array<keyof typeof namespaces> }> =
    [
      {
        title: 'decoding failures in any namespace',
        kind: 'Invalid',
        ns: ['n1', 'n2'],
        text: part('### TLV Decoding Failures', 'The following TLV streams in either namespace should trigger'),
      },
      {
        title: 'unknown even types in either namespace',
        kind: 'Invalid',
        ns: ['n1', 'n2'],
        text: part(
          'The following TLV streams in either namespace should trigger',
          'The following TLV streams in namespace `n1` should trigger a decoding\nfailure:',
        ),
      },
      {
        title: 'decoding failures in n1',
        kind: 'Invalid',
        ns: ['n1'],
        text: part(
          'The following TLV streams in namespace `n1` should trigger a decoding\nfailure:',
          '### TLV Decoding Successes',
        ),
      },
      {
        title: 'streams ignored in either namespace',
        kind: 'Valid',
        ns: ['n1', 'n2'],
        text: part('### TLV Decoding Successes', 'The following TLV streams in `n1` namespace should correctly decode'),
      },
      {
        title: 'streams decoded in n1',
        kind: 'Valid',
        ns: ['n1'],
        text: part(
          'The following TLV streams in `n1` namespace should correctly decode',
          '### TLV Stream Decoding Failure',
        ),
      },
      {
        title: 'stream ordering failures in n1',
        kind: 'Invalid',
        ns: ['n1'],
        text: part('### TLV Stream Decoding Failure', 'The following TLV stream in namespace `n2`'),
      },
      {
        title: 'stream ordering failures in n2',
        kind: 'Invalid',
        ns: ['n2'],
        text: part('The following TLV stream in namespace `n2`'),
      },
    ];
  for (const g of groups) {
    const cases = listStreams(g.text, g.kind);
    describe(g.title, () => {
      it('reads at least one vector from the spec text', () => expect(cases).to.not.be.empty);
      for (const c of cases) {
        for (const ns of g.ns) {
          it(`${g.kind === 'Invalid' ? 'rejects' : 'accepts'} ${c.stream} in ${ns} (${c.note})`, () => {
            const run = () => namespaces[ns](hex(c.stream));
            if (g.kind === 'Invalid') expect(run).to.throw(TlvError);
            else expect(run).to.not.throw();
          });
        }
      }
    });
  }

  it('decodes the n1 values the spec gives', () => {
    expect(namespaces.n1(hex('0x01 08 0100000000000000'))).to.deep.equal({ tlv1: { amount_msat: 72057594037927936n } });
    expect(namespaces.n1(hex('0x02 08 0000000000000226'))).to.deep.equal({ tlv2: { scid: 550n } });
    expect(namespaces.n1(hex('0xfd00fe 02 0226'))).to.deep.equal({ tlv4: { cltv_delta: 550 } });
  });

  it('names the type and offset of a bad record in its error', () => {
    try {
      decodeTlvStream(hex('0x01 01 2a 03 05 0102'), 'demo');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(TlvError);
      expect((e as TlvError).type).to.equal(3n);
      expect((e as TlvError).offset).to.equal(3);
      expect((e as TlvError).message).to.match(/demo: length 5 exceeds the 2 bytes left \(type 3, offset 3\)/);
    }
  });
});
