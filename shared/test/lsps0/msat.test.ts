import { expect } from 'chai';
import { Lsps0FormatError, U64_MAX, formatMsat, parseMsat } from '../../src/lsps0/index.js';

describe('LSPS0.msat (bLIP-50 "Monetary Amounts")', () => {
  const valid: [string, bigint][] = [
    ['0', 0n],
    ['1', 1n],
    ['546000', 546000n],
    ['100000000', 100000000n],
    ['18446744073709551615', U64_MAX],
  ];
  for (const [text, value] of valid) {
    it(`reads ${JSON.stringify(text)} as ${value}n and writes it back unchanged`, () => {
      expect(parseMsat(text, 'amount_msat')).to.equal(value);
      expect(formatMsat(value)).to.equal(text);
    });
  }

  const invalid: [string, unknown][] = [
    ['an empty string', ''],
    ['a negative amount', '-1'],
    ['a leading plus', '+1'],
    ['a leading space', ' 1'],
    ['a trailing newline', '1\n'],
    ['a leading zero', '01'],
    ['two zeros', '00'],
    ['a fraction', '1.5'],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['an underscore separator', '1_000'],
    ['Unicode digits', '١٢٣'],
    ['one above u64', '18446744073709551616'],
    ['21 digits', '100000000000000000000'],
    ['a JSON number', 546000],
    ['null', null],
    ['a bigint', 5n],
    ['an array', ['1']],
  ];
  for (const [what, value] of invalid) {
    it(`rejects ${what} with an Lsps0FormatError naming the field`, () => {
      expect(() => parseMsat(value, 'lsps2.buy/payment_size_msat'))
        .to.throw(Lsps0FormatError, /^lsps2\.buy\/payment_size_msat: expected LSPS0\.msat/)
        .with.property('field', 'lsps2.buy/payment_size_msat');
    });
  }

  it('refuses to write an amount outside u64', () => {
    expect(() => formatMsat(-1n)).to.throw(RangeError);
    expect(() => formatMsat(U64_MAX + 1n)).to.throw(RangeError);
  });
});
