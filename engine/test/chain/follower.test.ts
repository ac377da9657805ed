import { expect } from 'chai';
import {
  ChainDataError,
  ChainFollower,
  SandboxChain,
  txidOf,
  type BlockSource,
  type ChainBlock,
  type ChainHeader,
  type ChainListener,
} from '../../src/chain/index.js';

const P2WSH = (fill: number) => Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(fill));

/** A consumer that keeps what a Confirm-based LDK node keeps: its best block and which txids are confirmed where. */
class Recorder implements ChainListener {
  best: { height: number; hash: string };
  readonly confirmedAt = new Map<string, number>();
  readonly events: string[] = [];
  constructor(start: { height: number; hash: string }) {
    this.best = start;
  }
  bestBlock() {
    return this.best;
  }
  blockConnected(b: ChainBlock) {
    for (const t of b.txs) this.confirmedAt.set(txidOf(t.tx), b.height);
    this.best = { height: b.height, hash: b.hash };
    this.events.push(`+${b.height}`);
  }
  blocksDisconnected(fork: ChainHeader, gone: ChainHeader[]) {
    for (const [txid, h] of this.confirmedAt) if (h > fork.height) this.confirmedAt.delete(txid);
    this.best = { height: fork.height, hash: fork.hash };
    this.events.push(`-${gone.map((g) => g.height).join(',')}@${fork.height}`);
  }
}

async function setup(initialBlocks = 110) {
  const chain = await SandboxChain.create({ initialBlocks, log: () => {} });
  const tip = await chain.tip();
  const rec = new Recorder({ height: tip.height, hash: tip.hash });
  return { chain, rec };
}

describe('ChainFollower: links blocks by hash and follows reorganisations', () => {
  it('catches up from the consumer best block, connecting every block once and in order', async () => {
    const { chain, rec } = await setup();
    await chain.mine(40);
    const follower = new ChainFollower({ source: chain, listener: rec, prefetch: 8 });
    const r = await follower.sync();
    expect(r).to.include({ height: 150, connected: 40, disconnected: 0 });
    expect(rec.events).to.deep.equal(Array.from({ length: 40 }, (_, i) => `+${111 + i}`));
    expect(rec.best.hash).to.equal((await chain.tip()).hash);
    expect((await follower.sync()).connected).to.equal(0);
  });

  for (const depth of [1, 3]) {
    it(`on a reorganisation of depth ${depth} disconnects the replaced blocks, rewinds to the fork and connects the new branch`, async () => {
      const { chain, rec } = await setup();
      const follower = new ChainFollower({ source: chain, listener: rec });
      const funding = await chain.fundTransaction(P2WSH(1), 100_000n);
      const txid = await chain.broadcast(funding);
      await chain.mine(3); // funding in block 111
      await follower.sync();
      expect(rec.confirmedAt.get(txid)).to.equal(111);
      const staleTip = rec.best.hash;

      // Depth 3 replaces the funding's block 111 (fork at 110); depth 1 forks above it.
      await chain.reorg(depth);
      const r = await follower.sync();
      expect(r.disconnected).to.equal(depth);
      expect(follower.reorgs).to.equal(1);
      const fork = 113 - depth;
      expect(rec.events).to.include(`-${Array.from({ length: depth }, (_, i) => 113 - i).join(',')}@${fork}`);
      expect(rec.best).to.deep.equal({ height: 114, hash: (await chain.tip()).hash });
      expect(rec.best.hash).to.not.equal(staleTip);
      // bitcoind puts disconnected transactions back in the mempool; the sandbox mines them in the new branch.
      expect(rec.confirmedAt.get(txid)).to.equal(111);
      expect(chain.confirmations(txid)).to.equal(4);
    });
  }

  it('sees a same-height reorganisation that a height-only loop would miss', async () => {
    const { chain, rec } = await setup();
    const follower = new ChainFollower({ source: chain, listener: rec });
    await chain.mine(2);
    await follower.sync();
    const before = rec.best;
    await chain.reorg(1, { newBlocks: 1 });
    const r = await follower.sync();
    expect(r.disconnected).to.equal(1);
    expect(rec.best.height).to.equal(before.height);
    expect(rec.best.hash).to.not.equal(before.hash);
  });

  it('a transaction the reorganisation drops is no longer confirmed for the consumer', async () => {
    const { chain, rec } = await setup();
    const follower = new ChainFollower({ source: chain, listener: rec });
    const txid = await chain.broadcast(await chain.fundTransaction(P2WSH(2), 100_000n));
    await chain.mine(1);
    await follower.sync();
    expect(rec.confirmedAt.has(txid)).to.equal(true);
    await chain.reorg(1, { dropTransactions: true });
    await follower.sync();
    expect(rec.confirmedAt.has(txid)).to.equal(false);
    expect(chain.confirmations(txid)).to.equal(undefined);
  });

  it('at start, rewinds a consumer whose stored best block left the chain while it was stopped', async () => {
    const { chain, rec } = await setup();
    await new ChainFollower({ source: chain, listener: rec }).sync();
    await chain.mine(2);
    await new ChainFollower({ source: chain, listener: rec }).sync();
    const stored = rec.best;
    await chain.reorg(2); // while "stopped"
    await chain.mine(1);
    const restarted = new ChainFollower({ source: chain, listener: rec }); // remembers nothing yet
    const r = await restarted.sync();
    expect(r.disconnected).to.equal(2);
    expect(rec.events).to.include(`-${stored.height},${stored.height - 1}@${stored.height - 2}`);
    expect(rec.best.hash).to.equal((await chain.tip()).hash);
  });

  it('walks back by previousblockhash through a reorganisation deeper than its window', async () => {
    const { chain, rec } = await setup();
    const follower = new ChainFollower({ source: chain, listener: rec, window: 2 });
    await chain.mine(10);
    await follower.sync();
    await chain.reorg(7);
    const r = await follower.sync();
    expect(r.disconnected).to.equal(7);
    expect(rec.best.hash).to.equal((await chain.tip()).hash);
  });

  it('refuses a block that does not chain onto the previous one and does not advance (typed error)', async () => {
    const { chain, rec } = await setup();
    await chain.mine(3);
    const other = await SandboxChain.create({ log: () => {} });
    // A misbehaving source no real node plays: block 112 is served from another chain.
    const hostile: BlockSource = {
      tip: () => chain.tip(),
      hashAt: (h) => chain.hashAt(h),
      headerByHash: (h) => chain.headerByHash(h),
      blockByHash: async (hash, height) =>
        height === 112 ? { ...(await other.blockAt(105))!, height, hash } : chain.blockByHash(hash, height),
    };
    const follower = new ChainFollower({ source: hostile, listener: rec });
    let err: unknown;
    await follower.sync().catch((e) => (err = e));
    expect(err).to.be.instanceOf(ChainDataError);
    expect(rec.best.height).to.equal(111);
    // The follower stays usable once the source behaves.
    const honest = new ChainFollower({ source: chain, listener: rec });
    expect((await honest.sync()).height).to.equal(113);
  });
});
