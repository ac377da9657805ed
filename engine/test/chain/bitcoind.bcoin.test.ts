/**
 * BitcoindRpcChain against a real full node: bcoin 1.0.2's bitcoind-compatible RPC, started as a child process.
 * Where bcoin differs from bitcoind the test says so; the code under test is written for bitcoind.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AnswerTooLargeError,
  BitcoindRpcChain,
  BroadcastError,
  ChainAuthError,
  ChainDataError,
  ChainFollower,
  ChainUnreachableError,
  MalformedAnswerError,
  txidOf,
  WrongNetworkError,
  type BitcoindRpcChainOptions,
  type ChainBlock,
  type ChainHeader,
  type ChainListener,
  type ChainLog,
} from '../../src/chain/index.js';
import { BCOIN_SEGWIT_HEIGHT, BcoinNode, TestWallet } from '../../src/testing/bcoin.js';

const HUGE = '\u0000huge';
const P2WSH = (fill: number) => Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(fill));

/** What a Confirm-based consumer keeps: its best block and which txids are confirmed at which height. */
class Recorder implements ChainListener {
  readonly confirmedAt = new Map<string, number>();
  disconnected: string[] = [];
  constructor(public best: { height: number; hash: string }) {}
  bestBlock() {
    return this.best;
  }
  blockConnected(b: ChainBlock) {
    for (const t of b.txs) this.confirmedAt.set(txidOf(t.tx), b.height);
    this.best = { height: b.height, hash: b.hash };
  }
  blocksDisconnected(fork: ChainHeader, gone: ChainHeader[]) {
    for (const [txid, h] of this.confirmedAt) if (h > fork.height) this.confirmedAt.delete(txid);
    this.disconnected.push(...gone.map((g) => g.hash));
    this.best = { height: fork.height, hash: fork.hash };
  }
}

function logSink(): { log: ChainLog; lines: { level: string; msg: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  return { log: (level, msg, fields) => lines.push({ level, msg, fields }), lines };
}

describe('BitcoindRpcChain on a real full node (bcoin regtest)', function () {
  this.timeout(120_000);
  let bcoin: BcoinNode;
  let chain: BitcoindRpcChain;
  let wallet: TestWallet;
  const logs = logSink();
  const opts = (over: Partial<BitcoindRpcChainOptions> = {}): BitcoindRpcChainOptions => ({
    url: bcoin.url,
    network: 'regtest',
    pollSeconds: 3600, // the tests poll explicitly
    retryDelayMs: 20,
    maxRetryDelayMs: 200,
    log: logs.log,
    ...over,
  });

  before(async () => {
    bcoin = await BcoinNode.start();
    chain = await BitcoindRpcChain.connect(opts());
    wallet = await TestWallet.create(chain);
    // Past bcoin's segwit activation (432) so the wallet's P2WPKH coins can be spent.
    await bcoin.mine(BCOIN_SEGWIT_HEIGHT + 8, wallet.script);
    await chain.pollNow();
  });
  after(async () => {
    await chain?.close();
    await bcoin?.stop();
  });

  it('syncs a follower from genesis past segwit activation and then follows new blocks', async () => {
    const rec = new Recorder({ height: 0, hash: (await chain.hashAt(0))! });
    const follower = new ChainFollower({ source: chain, listener: rec });
    const r = await follower.sync();
    expect(r.connected).to.equal(await bcoin.height());
    expect(r.height).to.be.greaterThan(BCOIN_SEGWIT_HEIGHT);
    await bcoin.mine(2, wallet.script);
    expect((await follower.sync()).connected).to.equal(2);
    expect(rec.best.hash).to.equal(await bcoin.rpc('getbestblockhash'));
    await chain.pollNow();
    expect(chain.status()).to.include({ synced: true, tipHeight: rec.best.height, flavour: 'bcoin' });
  });

  it('uses the regtest fallback fee rates when the node has no estimate (bcoin answers fee: -1)', () => {
    const s = chain.status();
    expect(s.fees.NonAnchorChannelFee).to.deep.equal({ satPerKw: 1000, estimated: false });
    expect(Object.values(s.fees).every((f) => f.satPerKw >= 253)).to.equal(true);
    expect(chain.openBlocker()).to.equal(undefined); // regtest: a fallback is fine
  });

  for (const depth of [1, 3]) {
    it(`a reorganisation of depth ${depth} drops our confirmed transaction: the follower rewinds and the journal sends it again until it is mined`, async () => {
      const rec = new Recorder((await chain.tip()) as { height: number; hash: string });
      const follower = new ChainFollower({ source: chain, listener: rec });
      const tx = await wallet.fundTransaction(P2WSH(depth), 200_000n);
      const txid = await chain.broadcast(tx);
      await bcoin.mine(depth, wallet.script); // the transaction in the first of `depth` blocks
      await follower.sync();
      await chain.pollNow();
      const minedAt = rec.confirmedAt.get(txid)!;
      expect(minedAt).to.equal(rec.best.height - depth + 1);

      // bcoin does not return the disconnected transaction to its (empty) mempool; bitcoind would.
      await bcoin.reorg(depth);
      await chain.pollNow(); // the journal sees the disconnection and sends the transaction again
      expect(await bcoin.rpc('getrawmempool')).to.include(txid);
      const r = await follower.sync();
      expect(r.disconnected).to.equal(depth);
      expect(rec.confirmedAt.has(txid)).to.equal(false);

      await bcoin.mine(1, wallet.script);
      await follower.sync();
      expect(rec.confirmedAt.get(txid)).to.equal(rec.best.height);
      expect(logs.lines.some((l) => l.msg.startsWith('transaction sent again') && l.fields?.txid === txid)).to.equal(
        true,
      );
    });
  }

  it('reports a conflicting broadcast as an error naming the txid (bcoin accepts it silently; the check catches it)', async () => {
    const first = await wallet.fundTransaction(P2WSH(9), 300_000n);
    await chain.broadcast(first);
    const second = wallet.doubleSpend(first, P2WSH(10));
    const err = await chain.broadcast(second).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(BroadcastError);
    expect((err as BroadcastError).txid).to.equal(txidOf(second));
    // bitcoind answers -26 txn-mempool-conflict ('conflict'); bcoin returns the txid and drops it ('not-accepted').
    expect(['conflict', 'not-accepted']).to.include((err as BroadcastError).failure);
    expect(logs.lines.some((l) => l.level === 'error' && l.fields?.txid === txidOf(second))).to.equal(true);
    expect(chain.status().broadcasts['not-accepted'] ?? chain.status().broadcasts.conflict).to.be.greaterThan(0);
    await bcoin.mine(1, wallet.script);
    await chain.pollNow();
  });

  it('refuses a node on another network with one line naming both settings', async () => {
    const err = await BitcoindRpcChain.connect(opts({ network: 'signet' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(WrongNetworkError);
    expect((err as Error).message).to.match(/JITLSP_NETWORK is signet but the bitcoind at .* runs regtest/);
  });

  it('refuses a wrong password with a line naming the setting, without the password', async () => {
    const url = bcoin.url.replace(bcoin.apiKey, 'not-the-password');
    const err = await BitcoindRpcChain.connect(opts({ url })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ChainAuthError);
    expect((err as Error).message).to.include('JITLSP_BITCOIND_RPC_URL');
    expect((err as Error).message).to.not.include('not-the-password');
  });

  it('authenticates with a .cookie file when the URL carries no password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitlsp-cookie-'));
    try {
      const cookieFile = join(dir, '.cookie');
      writeFileSync(cookieFile, `__cookie__:${bcoin.apiKey}\n`); // bcoin checks only the password
      const c = await BitcoindRpcChain.connect(opts({ url: `http://127.0.0.1:${bcoin.port}`, cookieFile }));
      expect((await c.tip()).height).to.equal(await bcoin.height());
      await c.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps retrying an unreachable URL at start with backoff, one log line per retry, never logging the password', async () => {
    const sink = logSink();
    const c = new BitcoindRpcChain(opts({ url: 'http://u:secret-pw@127.0.0.1:9', log: sink.log, maxRetryDelayMs: 80 }));
    const started = c.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 600));
    const retries = sink.lines.filter((l) => l.msg === 'bitcoind not available; retrying');
    expect(retries.length).to.be.greaterThan(2);
    expect(retries[1].fields!.delayMs).to.be.greaterThan(retries[0].fields!.delayMs as number);
    expect(c.status().synced).to.equal(false);
    expect(JSON.stringify(sink.lines)).to.not.include('secret-pw');
    await c.close();
    expect(await started).to.be.instanceOf(ChainUnreachableError);
  });

  describe('a hostile RPC server (a stand-in: no real node sends these answers)', () => {
    let server: Server;
    let port: number;
    let tamper: (method: string, params: unknown[]) => Promise<string | undefined> = async () => undefined;
    before(async () => {
      server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks).toString();
        const { method, params } = JSON.parse(body) as { method: string; params: unknown[] };
        const forged = await tamper(method, params);
        if (forged === HUGE) {
          // 50 MB, chunked (no Content-Length): the client must stop reading at its limit.
          res.write('{"result":"');
          const chunk = Buffer.alloc(1024 * 1024, '0');
          for (let i = 0; i < 50 && !res.destroyed; i++) {
            if (!res.write(chunk)) {
              await new Promise<void>((r) => {
                const done = () => {
                  res.off('drain', done).off('close', done);
                  r();
                };
                res.once('drain', done).once('close', done);
              });
            }
          }
          res.end('","error":null,"id":1}');
          return;
        }
        if (forged !== undefined) {
          res.end(forged);
          return;
        }
        const real = await fetch(`http://127.0.0.1:${bcoin.port}/`, {
          method: 'POST',
          headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
          body,
        });
        res.statusCode = real.status;
        res.end(Buffer.from(await real.arrayBuffer()));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));
    afterEach(() => (tamper = async () => undefined));

    const hostile = () =>
      new BitcoindRpcChain(opts({ url: `http://u:${bcoin.apiKey}@127.0.0.1:${port}`, maxAnswerBytes: 1024 * 1024 }));
    const rpcAnswer = (result: unknown) => JSON.stringify({ result, error: null, id: 1 });

    it('malformed JSON: a typed error, the consumer does not advance', async () => {
      const c = hostile();
      const rec = new Recorder({ height: 10, hash: (await chain.hashAt(10))! });
      tamper = async (m) => (m === 'getblockhash' ? '{"result": "00ab' : undefined);
      const err = await new ChainFollower({ source: c, listener: rec }).sync().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(MalformedAnswerError);
      expect(rec.best.height).to.equal(10);
      await c.close();
    });

    it('a block whose hash does not match: a typed error, the consumer does not advance', async () => {
      const c = hostile();
      const rec = new Recorder({ height: 10, hash: (await chain.hashAt(10))! });
      const other = (await bcoin.rpc('getblock', [(await chain.hashAt(20))!, 0])) as string;
      tamper = async (m) => (m === 'getblock' ? rpcAnswer(other) : undefined);
      const err = await new ChainFollower({ source: c, listener: rec }).sync().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ChainDataError);
      expect(rec.best.height).to.equal(10);
      await c.close();
    });

    it('a header that does not chain: a typed error, the consumer does not advance', async () => {
      const c = hostile();
      const rec = new Recorder({ height: 10, hash: (await chain.hashAt(10))! });
      const h12 = (await chain.hashAt(12))!;
      // Height 11 is said to be block 12: its hash and contents agree, but its parent is not block 10.
      tamper = async (m, p) => (m === 'getblockhash' && p[0] === 11 ? rpcAnswer(h12) : undefined);
      const err = await new ChainFollower({ source: c, listener: rec }).sync().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ChainDataError);
      expect(rec.best.height).to.equal(10);
      await c.close();
    });

    it('a 50 MB answer: a typed error without reading it all, the consumer does not advance', async () => {
      const c = hostile();
      const rec = new Recorder({ height: 10, hash: (await chain.hashAt(10))! });
      tamper = async (m) => (m === 'getblock' ? HUGE : undefined);
      const err = await new ChainFollower({ source: c, listener: rec }).sync().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(AnswerTooLargeError);
      expect(rec.best.height).to.equal(10);
      await c.close();
    });
  });

  describe('bcoin killed and restarted mid-run', () => {
    it('the source retries with backoff, logs each retry, and catches up once bcoin is back', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'jitlsp-bcoin-disk-'));
      const disk = await BcoinNode.start({ dataDir: dir }); // on disk: its chain survives the kill
      const sink = logSink();
      const c = await BitcoindRpcChain.connect(opts({ url: disk.url, log: sink.log }));
      try {
        await disk.mine(20, P2WSH(1));
        const rec = new Recorder({ height: 0, hash: (await c.hashAt(0))! });
        const follower = new ChainFollower({ source: c, listener: rec });
        await follower.sync();
        await disk.kill();
        const pending = follower.sync();
        await new Promise((r) => setTimeout(r, 300));
        await disk.restart();
        await disk.mine(3, P2WSH(1));
        await pending;
        expect((await follower.sync()).height).to.equal(23);
        const retries = sink.lines.filter((l) => l.msg === 'bitcoind not available; retrying');
        expect(retries.length).to.be.greaterThan(0);
        expect(JSON.stringify(sink.lines)).to.not.include(disk.apiKey);
      } finally {
        await c.close();
        await disk.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
