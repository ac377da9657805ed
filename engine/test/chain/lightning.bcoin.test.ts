/**
 * Lightning on a real full node: two engine nodes, each with its own BitcoindRpcChain to the same bcoin
 * (regtest, on disk so it can be killed and restarted), a channel funded through the OnchainWallet interface by
 * a test wallet holding the key the harness mined to. Where bcoin differs from bitcoind the test says so.
 */
import { expect } from 'chai';
import { BitcoindRpcChain, type ChainLog } from '../../src/chain/index.js';
import { LightningNode, type NodeOptions } from '../../src/node/index.js';
import {
  BCOIN_SEGWIT_HEIGHT,
  BcoinNode,
  TestWallet,
  viaPeerMessageRouter,
  viaPeerRouter,
} from '../../src/testing/index.js';
import { removeDir, tempDir, testLogger, viaChannelWith } from '../node/support.js';

const ZERO_CONF_SAT = 300_000n;

describe('Lightning on bcoin: two engine nodes, each on its own BitcoindRpcChain', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  const chains: BitcoindRpcChain[] = [];
  const chainLogs: { chain: string; msg: string; fields?: Record<string, unknown> }[] = [];
  let bcoin: BcoinNode;
  let wallet: TestWallet;
  let a: LightningNode;
  let b: LightningNode;
  let bDir: string;
  let bPort: number;
  let bChain: BitcoindRpcChain;

  const chainFor = async (name: string): Promise<BitcoindRpcChain> => {
    const log: ChainLog = (_level, msg, fields) => chainLogs.push({ chain: name, msg, fields });
    const c = await BitcoindRpcChain.connect({
      url: bcoin.url,
      network: 'regtest',
      pollSeconds: 0.1, // tests wait on the nodes; the default is 2 s
      retryDelayMs: 50,
      maxRetryDelayMs: 500,
      log,
    });
    chains.push(c);
    return c;
  };
  const startNode = async (name: string, dir: string, extra: Partial<NodeOptions>): Promise<LightningNode> =>
    LightningNode.start({
      dataDir: dir,
      chain: await chainFor(name),
      listen: { port: 0 },
      logger: testLogger(name),
      reconnectBackoffMs: { min: 100, max: 1000 },
      ...extra,
    });
  const bOptions = (): Partial<NodeOptions> => ({
    // Zero-conf only for the 300,000 sat channel of the after-channel_ready test; the others wait for 6 blocks.
    inboundChannels: {
      manualAccept: true,
      decide: (req) => (req.fundingSat === ZERO_CONF_SAT ? 'accept-zero-conf' : 'accept'),
    },
    routerHook: viaPeerRouter(viaChannelWith(a.nodeId)),
    messageRouterHook: viaPeerMessageRouter(() => a.nodeId),
  });
  const mempool = async () => (await bcoin.rpc('getrawmempool')) as string[];
  const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const bothAt = async (height: number) =>
    until(`both nodes at ${height}`, () => a.chainStatus().height === height && b.chainStatus().height === height);

  before(async () => {
    const bcoinDir = tempDir('bcoin');
    dirs.push(bcoinDir);
    bcoin = await BcoinNode.start({ dataDir: bcoinDir });
    const walletChain = await chainFor('wallet');
    wallet = await TestWallet.create(walletChain);
    await bcoin.mine(BCOIN_SEGWIT_HEIGHT + 8, wallet.script); // segwit spends need 432 on bcoin (bitcoind: 0)
    await wallet.sync();
    const aDir = tempDir('a');
    bDir = tempDir('b');
    dirs.push(aDir, bDir);
    a = await startNode('a', aDir, { wallet });
    b = await startNode('b', bDir, bOptions());
    bChain = chains[chains.length - 1];
    bPort = Number(b.address!.split(':').pop());
    const seen = b.waitFor('peerConnected', (e) => e.peerNodeId === a.nodeId);
    await a.connect(b.address!);
    await seen;
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    for (const c of chains) await c.close();
    await bcoin?.stop();
    for (const d of dirs) removeDir(d);
  });

  let channelId: string;
  let fundingTxid: string;

  it('opens a channel funded through the wallet interface; reorganisations of depth 1 and 3 that drop the funding before channel_ready: the channel survives, the journal rebroadcasts, and it is ready after 6 blocks', async () => {
    const pending = a.waitFor('channelPending', (e) => e.counterpartyNodeId === b.nodeId, 60_000);
    const readyA = a.waitFor('channelReady', (e) => e.counterpartyNodeId === b.nodeId, 120_000);
    const readyB = b.waitFor('channelReady', (e) => e.counterpartyNodeId === a.nodeId, 120_000);
    await a.openChannel({ peer: b.nodeId, capacitySat: 1_000_000n, userChannelId: 1n });
    ({ channelId, fundingTxid } = await pending);
    await until('the funding in the mempool', async () => (await mempool()).includes(fundingTxid));

    for (const depth of [1, 3]) {
      await bcoin.mine(depth, wallet.script); // the funding in the first of `depth` blocks
      const h = await bcoin.height();
      await bothAt(h);
      expect(a.listChannels().find((c) => c.channelId === channelId)!.confirmations).to.equal(depth);
      // bcoin does not put the funding back into its empty mempool after the switch (bitcoind would).
      await bcoin.reorg(depth);
      await bothAt(h + 1);
      expect(a.chainStatus().reorgs).to.be.greaterThan(0);
      expect(a.listChannels().find((c) => c.channelId === channelId)!.confirmations ?? 0).to.equal(0);
      await until('the funding sent again', async () => (await mempool()).includes(fundingTxid));
    }
    expect(a.listChannels().map((c) => c.channelId)).to.include(channelId);
    expect(b.listChannels().map((c) => c.channelId)).to.include(channelId);

    await bcoin.mine(6, wallet.script);
    await Promise.all([readyA, readyB]);
    expect(a.listChannels().find((c) => c.channelId === channelId)!.confirmations).to.equal(6);
  });

  it('pays a BOLT 12 offer over the channel', async () => {
    await until('the channel usable', () => a.listChannels().some((c) => c.channelId === channelId && c.isUsable));
    const { offer } = b.createOffer();
    const claimable = b.waitFor('paymentClaimable', undefined, 60_000);
    const sent = a.waitFor('paymentSent', undefined, 60_000);
    a.payOffer(offer, 50_000_000n);
    b.claimFunds((await claimable).preimage!);
    await sent;
  });

  it('a reorganisation that unconfirms a zero-conf channel funding after channel_ready closes it (LDK: "Funding transaction was un-confirmed")', async () => {
    const ready = a.waitFor('channelReady', (e) => e.userChannelId === 2n, 60_000);
    await a.openChannel({ peer: b.nodeId, capacitySat: ZERO_CONF_SAT, zeroConf: true, userChannelId: 2n });
    const zc = (await ready).channelId;
    const txid = a.listChannels().find((c) => c.channelId === zc)!.fundingTxid!;
    await until('the zero-conf funding in the mempool', async () => (await mempool()).includes(txid));
    await bcoin.mine(1, wallet.script);
    const h = await bcoin.height();
    await bothAt(h);
    // LDK 0.1 (channel.rs, best_block_updated): once channel_ready was exchanged, a funding transaction back at
    // 0 confirmations force-closes the channel, for zero-conf channels too, to keep its SCID maps consistent.
    const closedA = a.waitFor('channelClosed', (e) => e.channelId === zc, 60_000);
    await bcoin.reorg(1);
    const ev = await closedA;
    expect(ev.reason).to.match(/un-confirmed/);
    // The first channel, 7 blocks deep, stays open (usable again once the peers have reconnected).
    expect(a.listChannels().map((c) => c.channelId)).to.include(channelId);
    await until('the first channel usable', () =>
      a.listChannels().some((c) => c.channelId === channelId && c.isUsable),
    );
  });

  it('restarted after a reorganisation that happened while it was stopped, a node rewinds to the fork and catches up', async () => {
    await bothAt(await bcoin.height()); // b stores the tip as its best block
    await b.stop();
    await chains.find((c) => c === bChain)?.close(); // nothing of b follows the chain while it is down
    const before = await bcoin.height();
    await bcoin.reorg(2); // while b is down
    await bcoin.mine(1, wallet.script);
    const back = a.waitFor('peerConnected', (e) => e.peerNodeId === b.nodeId, 60_000);
    const nodeLogs: { msg: string; fields?: Record<string, unknown> }[] = [];
    const quiet = testLogger('b');
    b = await startNode('b', bDir, {
      ...bOptions(),
      listen: { port: bPort },
      logger: {
        log: (level, msg, fields) => {
          nodeLogs.push({ msg, fields });
          quiet.log(level, msg, fields);
        },
      },
    });
    await back;
    expect(b.chainStatus().height).to.equal(before + 2);
    // The restored manager found its stored best block gone and walked back 2 blocks to the fork.
    const rewind = nodeLogs.filter(
      (l) => l.msg === 'chain reorganisation' && l.fields?.consumer === 'restored-manager',
    );
    expect(rewind.map((l) => l.fields?.depth)).to.deep.equal([2]);
    await until('the channel usable again', () =>
      b.listChannels().some((c) => c.channelId === channelId && c.isUsable),
    );
  });

  it('bcoin killed and restarted mid-run: the nodes retry with backoff, log, catch up, and no channel closes', async () => {
    const closed: string[] = [];
    const off = a.onEvent((e) => {
      if (e.type === 'channelClosed') closed.push(e.channelId);
    });
    chainLogs.length = 0;
    await bcoin.kill();
    await new Promise((r) => setTimeout(r, 1000));
    await bcoin.restart();
    await bcoin.mine(2, wallet.script);
    await bothAt(await bcoin.height());
    expect(chainLogs.some((l) => l.msg === 'bitcoind not available; retrying')).to.equal(true);
    expect(JSON.stringify(chainLogs)).to.not.include(bcoin.apiKey);
    expect(closed).to.deep.equal([]);
    expect(a.listChannels().find((c) => c.channelId === channelId)!.isUsable).to.equal(true);
    off();
  });

  it('closes cooperatively and the closing transaction is mined', async () => {
    const closedA = a.waitFor('channelClosed', (e) => e.channelId === channelId, 60_000);
    const closedB = b.waitFor('channelClosed', (e) => e.channelId === channelId, 60_000);
    a.closeChannel(channelId, b.nodeId);
    expect((await closedA).reason).to.match(/cooperatively/);
    await closedB;
    // The closing transaction is the one spending the channel's funding output.
    const spendsFunding = async (txid: string) => {
      const tx = (await bcoin.rpc('getrawtransaction', [txid, true])) as { vin: { txid: string }[] };
      return tx.vin.some((i) => i.txid === fundingTxid);
    };
    let closing: string | undefined;
    await until('the closing transaction in the mempool', async () => {
      for (const txid of await mempool()) if (await spendsFunding(txid)) closing = txid;
      return closing !== undefined;
    });
    const [mined] = await bcoin.mine(1, wallet.script);
    const block = (await bcoin.rpc('getblock', [mined, true])) as { tx: (string | { txid: string })[] };
    expect(block.tx.map((t) => (typeof t === 'string' ? t : t.txid))).to.include(closing);
  });
});
