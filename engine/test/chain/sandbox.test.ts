import { expect } from 'chai';
import { RawTx } from '@scure/btc-signer';
import { SandboxChain, txidOf, type ChainTip } from '../../src/chain/index.js';

const P2WSH = (fill: number) => Uint8Array.of(0x00, 0x20, ...new Uint8Array(32).fill(fill));

describe('SandboxChain: in-process regtest chain with a wallet', () => {
  let chain: SandboxChain;
  const logs: string[] = [];
  before(async () => {
    chain = await SandboxChain.create({
      log: (_level, msg) => logs.push(msg),
      clock: () => new Date('2026-01-01T00:00:00Z'),
    });
  });
  after(() => chain.close());

  it('says in its logs that it is a sandbox, not Bitcoin', () => {
    expect(logs.some((m) => m.includes('SANDBOX'))).to.equal(true);
  });

  it('starts past coinbase maturity with a spendable balance', async () => {
    expect(chain.height).to.equal(110);
    expect(chain.balanceSat() > 0n).to.equal(true);
  });

  it('chains headers by hash with increasing timestamps', async () => {
    const a = (await chain.blockAt(109))!;
    const b = (await chain.blockAt(110))!;
    expect(Buffer.from(b.header.slice(4, 36)).reverse().toString('hex')).to.equal(a.hash);
    const time = (h: Uint8Array) => new DataView(h.buffer, h.byteOffset).getUint32(68, true);
    expect(time(b.header)).to.be.greaterThan(time(a.header));
  });

  it('funds a real signed segwit transaction paying the requested output', async () => {
    const raw = await chain.fundTransaction(P2WSH(1), 1_000_000n);
    const tx = RawTx.decode(raw);
    expect(tx.segwitFlag).to.equal(true);
    expect(tx.witnesses!.every((w) => w.length === 2)).to.equal(true); // P2WPKH: signature + pubkey
    expect(tx.outputs[0].amount).to.equal(1_000_000n);
    expect(Buffer.from(tx.outputs[0].script).equals(Buffer.from(P2WSH(1)))).to.equal(true);
  });

  it('broadcasts idempotently and confirms the mempool in the next mined block', async () => {
    const raw = await chain.fundTransaction(P2WSH(2), 500_000n);
    const txid = await chain.broadcast(raw);
    expect(txid).to.equal(txidOf(raw));
    expect(await chain.broadcast(raw)).to.equal(txid); // LDK re-broadcasts zero-conf funding
    expect(chain.confirmations(txid)).to.equal(0);
    const seen: ChainTip[] = [];
    const off = chain.subscribe((b) => seen.push(b));
    await chain.mine(2);
    off();
    expect(chain.confirmations(txid)).to.equal(2);
    expect(seen.map((b) => b.height)).to.deep.equal([111, 112]);
    const first = (await chain.blockByHash(seen[0].hash, 111))!;
    expect(first.txs.some((t) => txidOf(t.tx) === txid)).to.equal(true);
  });

  it('rejects a conflicting spend of an already spent input', async () => {
    const raw = await chain.fundTransaction(P2WSH(3), 100_000n);
    await chain.broadcast(raw);
    const tx = RawTx.decode(raw);
    const conflict = RawTx.encode({ ...tx, outputs: [{ amount: 1n, script: P2WSH(4) }] });
    let error: Error | undefined;
    try {
      await chain.broadcast(conflict);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.match(/already spent/);
  });

  it('refuses to fund more than the wallet holds, naming the amounts', async () => {
    let error: Error | undefined;
    try {
      await chain.fundTransaction(P2WSH(5), 2_100_000_000_000_000n);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).to.match(/^SandboxChain\/fundTransaction: wallet has \d+ sat spendable, needs \d+/);
  });
});
