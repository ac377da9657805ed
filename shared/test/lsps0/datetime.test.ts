import { expect } from 'chai';
import {
  Lsps0FormatError,
  chronoRfc3339,
  compareDatetime,
  datetimeFromDate,
  datetimeToDate,
  parseDatetime,
} from '../../src/lsps0/index.js';

describe('LSPS0.datetime (bLIP-50 "Datetimes")', () => {
  it('reads the spec form with milliseconds and keeps the wire text', () => {
    const dt = parseDatetime('2023-02-23T08:47:30.511Z', 'valid_until');
    expect(dt.text).to.equal('2023-02-23T08:47:30.511Z');
    expect(dt.epochMs).to.equal(Date.UTC(2023, 1, 23, 8, 47, 30, 511));
    expect(dt.subsecondNanos).to.equal(511_000_000);
  });

  it("reads LDK's whole-second form without a fraction", () => {
    const dt = parseDatetime('2023-05-20T08:30:45Z', 'valid_until');
    expect(dt.epochMs).to.equal(Date.UTC(2023, 4, 20, 8, 30, 45));
    expect(dt.subsecondNanos).to.equal(0);
  });

  it('keeps nanoseconds that a Date cannot hold', () => {
    const dt = parseDatetime('2023-05-20T08:30:45.123456789Z', 'valid_until');
    expect(dt.epochMs).to.equal(Date.UTC(2023, 4, 20, 8, 30, 45, 123));
    expect(dt.subsecondNanos).to.equal(123_456_789);
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseDatetime('2024-02-29T00:00:00Z', 'x').epochMs).to.equal(Date.UTC(2024, 1, 29));
  });

  it('writes a Date in the spec form with exactly three fraction digits', () => {
    expect(datetimeFromDate(new Date(Date.UTC(2023, 1, 23, 8, 47, 30, 511))).text).to.equal('2023-02-23T08:47:30.511Z');
    expect(datetimeFromDate(new Date(Date.UTC(2035, 0, 1))).text).to.equal('2035-01-01T00:00:00.000Z');
  });

  it('round-trips through Date at millisecond precision', () => {
    const d = new Date(Date.UTC(2030, 11, 31, 23, 59, 59, 999));
    expect(datetimeToDate(parseDatetime(datetimeFromDate(d).text, 'x')).getTime()).to.equal(d.getTime());
  });

  const chrono: [string, string][] = [
    ['2023-05-20T08:30:45Z', '2023-05-20T08:30:45+00:00'],
    ['2023-05-20T08:30:45.000Z', '2023-05-20T08:30:45+00:00'],
    ['2023-02-23T08:47:30.511Z', '2023-02-23T08:47:30.511+00:00'],
    ['2023-02-23T08:47:30.5Z', '2023-02-23T08:47:30.500+00:00'],
    ['2023-02-23T08:47:30.000001Z', '2023-02-23T08:47:30.000001+00:00'],
    ['2023-02-23T08:47:30.1234Z', '2023-02-23T08:47:30.123400+00:00'],
    ['2023-02-23T08:47:30.123456789Z', '2023-02-23T08:47:30.123456789+00:00'],
  ];
  for (const [wire, expected] of chrono) {
    it(`renders ${wire} as chrono's to_rfc3339 does: ${expected}`, () => {
      expect(chronoRfc3339(parseDatetime(wire, 'x'))).to.equal(expected);
    });
  }

  it('compares with a Date counting sub-millisecond digits', () => {
    const at = new Date(Date.UTC(2023, 4, 20, 8, 30, 45));
    expect(compareDatetime(parseDatetime('2023-05-20T08:30:45Z', 'x'), at)).to.equal(0);
    expect(compareDatetime(parseDatetime('2023-05-20T08:30:45.000001Z', 'x'), at)).to.equal(1);
    expect(compareDatetime(parseDatetime('2023-05-20T08:30:44.999999Z', 'x'), at)).to.equal(-1);
  });

  const invalid: [string, unknown][] = [
    ['a date without time', '2023-02-23'],
    ['a space instead of T', '2023-02-23 08:47:30Z'],
    ['a lower-case t', '2023-02-23t08:47:30Z'],
    ['a lower-case z', '2023-02-23T08:47:30z'],
    ['no zone', '2023-02-23T08:47:30'],
    ['a +00:00 offset', '2023-02-23T08:47:30+00:00'],
    ['a non-UTC offset', '2023-02-23T08:47:30+02:00'],
    ['ten fraction digits', '2023-02-23T08:47:30.1234567891Z'],
    ['an empty fraction', '2023-02-23T08:47:30.Z'],
    ['month 13', '2023-13-01T00:00:00Z'],
    ['month 00', '2023-00-01T00:00:00Z'],
    ['30 February', '2023-02-30T00:00:00Z'],
    ['29 February in a common year', '2023-02-29T00:00:00Z'],
    ['hour 24', '2023-02-23T24:00:00Z'],
    ['minute 60', '2023-02-23T08:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['a five-digit year', '12023-02-23T08:47:30Z'],
    ['a signed year', '+2023-02-23T08:47:30Z'],
    ['a Unix timestamp number', 1677142050],
    ['surrounding whitespace', ' 2023-02-23T08:47:30Z'],
  ];
  for (const [what, value] of invalid) {
    it(`rejects ${what}`, () => {
      expect(() => parseDatetime(value, 'opening_fee_params.valid_until')).to.throw(
        Lsps0FormatError,
        /^opening_fee_params\.valid_until: expected LSPS0\.datetime/,
      );
    });
  }
});
