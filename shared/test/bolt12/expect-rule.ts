/** The reader-rule assertion of the BOLT 12 table tests. */
import { expect } from 'chai';
import { Bolt12Error } from '../../src/bolt12/index.js';

/** Expects `decode` to throw a Bolt12Error naming `rule` (not just any error); returns it for further checks. */
export function expectRule(decode: () => unknown, rule: string): Bolt12Error {
  try {
    decode();
  } catch (e) {
    expect(e).to.be.instanceOf(Bolt12Error);
    expect((e as Bolt12Error).rule).to.equal(rule);
    return e as Bolt12Error;
  }
  return expect.fail(`accepted; expected ${rule}`);
}
