import { expect } from 'chai';
import { Bolt12Error, decodeBolt12String, decodeOffer, encodeBolt12String } from '../../src/bolt12/index.js';
import { expectRule } from './expect-rule.js';
import { readVectors, type FormatVector } from './vectors.js';

const vectors = readVectors<FormatVector[]>('bolts/bolt12/format-string-test.json');
const canonical = vectors[0]!.string;

describe('BOLT 12 string form (format-string-test.json)', () => {
  it('has the 12 cases of the spec', () => expect(vectors).to.have.length(12));

  vectors.forEach((v, i) => {
    it(`case ${i}: ${v.comment} -> ${v.valid ? 'valid' : 'invalid'}`, () => {
      if (v.valid) {
        const { hrp, data } = decodeBolt12String(v.string);
        expect(hrp).to.equal('lno');
        // Every valid form is the same offer as the plain lowercase string.
        expect(encodeBolt12String(hrp, data)).to.equal(canonical);
        expect(() => decodeOffer(v.string)).not.to.throw();
      } else {
        expect(() => decodeBolt12String(v.string)).to.throw(Bolt12Error);
      }
    });
  });
});

describe('BOLT 12 string form rules', () => {
  const reject = (s: string, rule: string): void => void expectRule(() => decodeBolt12String(s), rule);

  it('names the mixed-case rule', () => reject(vectors[6]!.string, 'string.mixed-case'));
  it('names the continuation rule for a trailing +', () => reject(vectors[7]!.string, 'string.continuation'));
  it('names the continuation rule for ++', () => reject(vectors[11]!.string, 'string.continuation'));
  it('rejects whitespace that does not follow a +', () =>
    reject(`${canonical.slice(0, 10)} ${canonical.slice(10)}`, 'string.whitespace'));
  it('rejects a string without the 1 separator', () => reject('lnoqqqq', 'string.no-separator'));
  it('rejects a character outside the bech32 alphabet', () =>
    reject(`${canonical.slice(0, -1)}b`, 'string.invalid-char'));
  it('rejects non-ASCII characters', () => reject(`${canonical}é`, 'string.not-ascii'));
  // 56 data characters are exactly 35 bytes; one more `q` is 5 bits of padding (offers-test.json, #1312).
  it('rejects 5 or more bits of padding', () =>
    reject('lno1zcss9mk8y3wkklfvevcrszlmu23kfrxh49px20665dqwmn4p72pkseseq', 'string.padding'));
  it('rejects non-zero padding bits', () => reject(`${canonical.slice(0, -1)}l`, 'string.padding'));
  it('rejects the wrong prefix when one is expected', () => {
    expect(() => decodeBolt12String(canonical, 'lnr')).to.throw(Bolt12Error, /string.unknown-prefix/);
  });

  it('writes uppercase and + continuations that read back to the same bytes', () => {
    const { hrp, data } = decodeBolt12String(canonical);
    const split = encodeBolt12String(hrp, data, { uppercase: true, chunk: 20 });
    expect(split).to.match(/^LNO1[A-Z0-9+\n]+$/);
    expect(split).to.include('+\n');
    expect(Buffer.from(decodeBolt12String(split).data).equals(Buffer.from(data))).to.equal(true);
  });
});
