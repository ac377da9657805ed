import { expect } from 'chai';
import { frame, readFrames } from '../../src/node/monitor-files.js';

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('engine: the channel-monitor update log', () => {
  const a = Uint8Array.of(1, 2, 3);
  const b = new Uint8Array(300).fill(7);

  it('reads back every complete frame in the order written', () => {
    const { updates, validBytes } = readFrames(concat(frame(a), frame(b)));
    expect(updates.map((u) => [...u])).to.deep.equal([[...a], [...b]]);
    expect(validBytes).to.equal(8 + a.length + 8 + b.length);
  });

  it('ends the log at a frame cut short by a crash', () => {
    const torn = concat(frame(a), frame(b).subarray(0, 100));
    expect(readFrames(torn).updates.map((u) => [...u])).to.deep.equal([[...a]]);
  });

  it('ends the log at a frame whose checksum does not match, and ignores what follows it', () => {
    const bad = frame(b);
    bad[20] ^= 0xff;
    expect(readFrames(concat(frame(a), bad, frame(a))).updates).to.have.length(1);
  });

  it('reads an empty log as no updates', () => {
    expect(readFrames(new Uint8Array(0))).to.deep.equal({ updates: [], validBytes: 0 });
  });
});
