import { expect } from 'chai';
import { ExpiryQueue } from '../../src/jit/memory/expiry-queue.js';

describe('ExpiryQueue (the shell timer finds idle sessions past valid_until)', () => {
  it('pops exactly the keys due at or before now, earliest first, whatever the push order', () => {
    const q = new ExpiryQueue<string>();
    const times = [50, 10, 40, 30, 20, 60, 10, 35];
    times.forEach((t, i) => q.push(`k${i}`, t));
    expect(q.popDue(9)).to.deep.equal([]);
    const due = q.popDue(35);
    expect(due.map((d) => d.expiresAtMs)).to.deep.equal([10, 10, 20, 30, 35]);
    expect(due.map((d) => d.key).sort()).to.deep.equal(['k1', 'k3', 'k4', 'k6', 'k7']);
    expect(q.size).to.equal(3);
    expect(q.popDue(1000).map((d) => d.key)).to.deep.equal(['k2', 'k0', 'k5']);
    expect(q.size).to.equal(0);
  });

  it('keeps heap order over thousands of random pushes and pops (checked against a sort)', () => {
    const q = new ExpiryQueue<number>();
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 100_000);
    const all: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const t = rnd();
      all.push(t);
      q.push(i, t);
    }
    all.sort((a, b) => a - b);
    const popped = [...q.popDue(50_000), ...q.popDue(100_000)].map((d) => d.expiresAtMs);
    expect(popped).to.deep.equal(all);
  });

  it('compact keeps only the entries still live, in heap order', () => {
    const q = new ExpiryQueue<number>();
    for (let i = 0; i < 100; i++) q.push(i, 1000 - i);
    q.compact((k) => k % 3 === 0);
    expect(q.size).to.equal(34);
    const popped = q.popDue(10_000);
    expect(popped.every((d) => d.key % 3 === 0)).to.equal(true);
    expect(popped.map((d) => d.expiresAtMs)).to.deep.equal([...popped.map((d) => d.expiresAtMs)].sort((a, b) => a - b));
  });
});
