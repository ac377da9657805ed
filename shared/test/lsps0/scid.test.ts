import { expect } from 'chai';
import { Lsps0FormatError, formatScid, parseScid, scidFromParts, scidToParts } from '../../src/lsps0/index.js';

describe('LSPS0.scid (bLIP-50 "Short Channel Identifiers")', () => {
  it('reads the spec example "539268x845x1" as the bytes 083a8400034d0001', () => {
    expect(parseScid('539268x845x1', 'scid')).to.equal(0x083a8400034d0001n);
    expect(formatScid(0x083a8400034d0001n)).to.equal('539268x845x1');
  });

  it('reads the bLIP-52 buy result example "29451x4815x1"', () => {
    expect(scidToParts(parseScid('29451x4815x1', 'jit_channel_scid'))).to.deep.equal({
      blockHeight: 29451,
      txIndex: 4815,
      outputIndex: 1,
    });
  });

  const roundTrips: [string, bigint][] = [
    ['0x0x0', 0n],
    ['16777215x16777215x65535', 0xffff_ffff_ffff_ffffn],
    ['1x0x0', 1n << 40n],
    ['0x1x0', 1n << 16n],
    ['0x0x1', 1n],
  ];
  for (const [text, value] of roundTrips) {
    it(`round-trips ${text} at the bit-field edges`, () => {
      expect(parseScid(text, 'scid')).to.equal(value);
      expect(formatScid(value)).to.equal(text);
    });
  }

  const invalid: [string, unknown][] = [
    ['an upper-case X', '1X2X3'],
    ['two parts', '1x2'],
    ['four parts', '1x2x3x4'],
    ['an empty part', '1xx3'],
    ['a leading zero', '01x2x3'],
    ['a block height over 24 bits', '16777216x0x0'],
    ['a transaction index over 24 bits', '0x16777216x0'],
    ['an output index over 16 bits', '0x0x65536'],
    ['a sign', '-1x2x3'],
    ['spaces', '1 x2x3'],
    ['a number', 12345],
    ['the colon form', '1:2:3'],
  ];
  for (const [what, value] of invalid) {
    it(`rejects ${what}`, () => {
      expect(() => parseScid(value, 'jit_channel_scid')).to.throw(
        Lsps0FormatError,
        /^jit_channel_scid: expected LSPS0\.scid/,
      );
    });
  }

  it('refuses to build an SCID from out-of-range parts or a non-u64', () => {
    expect(() => scidFromParts({ blockHeight: 1 << 24, txIndex: 0, outputIndex: 0 })).to.throw(RangeError);
    expect(() => formatScid(1n << 64n)).to.throw(RangeError);
    expect(() => formatScid(-1n)).to.throw(RangeError);
  });
});
