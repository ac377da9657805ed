import { expect } from 'chai';
import { pooledRandom } from '../../src/crypto/random.js';

/** A deterministic source that counts its calls and numbers its bytes 0, 1, 2, ... across calls. */
function countingSource() {
  let next = 0;
  const calls: number[] = [];
  const source = (n: number) => {
    calls.push(n);
    return Uint8Array.from({ length: n }, () => next++ & 0xff);
  };
  return { source, calls };
}

describe('crypto/random: pooledRandom', () => {
  it('hands out each byte of a block once, in order, and asks the source again only when the block is used up', () => {
    const { source, calls } = countingSource();
    const random = pooledRandom(source, 16);
    expect([...random(5)]).to.deep.equal([0, 1, 2, 3, 4]);
    expect([...random(11)]).to.deep.equal([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(calls).to.deep.equal([16]);
    expect([...random(3)]).to.deep.equal([16, 17, 18]);
    expect(calls).to.deep.equal([16, 16]);
  });

  it('starts a new block rather than splitting a request across two, and passes larger requests to the source', () => {
    const { source, calls } = countingSource();
    const random = pooledRandom(source, 16);
    random(10);
    expect([...random(10)]).to.deep.equal([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
    expect(random(40)).to.have.length(40);
    expect(calls).to.deep.equal([16, 16, 40]);
  });

  it('returns copies: changing one does not change a later one', () => {
    const random = pooledRandom(countingSource().source, 16);
    const a = random(4);
    a.fill(0xee);
    expect([...random(4)]).to.deep.equal([4, 5, 6, 7]);
  });

  it('refuses a byte count that is not a non-negative integer, naming it', () => {
    const random = pooledRandom(countingSource().source);
    expect(() => random(-1)).to.throw(RangeError, 'pooledRandom/n: expected a byte count, got -1');
    expect(() => random(1.5)).to.throw(RangeError, 'pooledRandom/n');
  });
});
