import { expect } from 'chai';
import {
  COINBASE_MATURITY,
  UNDO_WINDOW,
  WalletChainError,
  blockConnected,
  blockDisconnected,
  dropUnconfirmed,
  reservationMade,
  transactionSent,
  walletBalance,
  type WalletState,
} from '../../src/wallet/index.js';
import { FOREIGN, connectAll, emptyWallet, keys, makeBlock, makeTx, utxoRows } from './fixtures.js';

const k = keys();
const ours = (index: number, branch: 'receive' | 'change' = 'receive') => k.key(branch, index).script;

/** Disconnects the wallet's top `depth` blocks (the follower reports them tip first). */
function disconnect(s: WalletState, depth: number): WalletState {
  let out = s;
  for (let i = 0; i < depth; i++) out = blockDisconnected(out, out.tip!);
  return out;
}

describe('wallet blocks: connecting', () => {
  it('ignores blocks below the birthday and starts at the birthday block', () => {
    const s0 = emptyWallet({ birthdayHeight: 100 });
    const deposit = makeTx({ outputs: [{ script: ours(0), amountSat: 10_000n }] });
    expect(blockConnected(s0, k, makeBlock(99, '00', [deposit.raw]))).to.equal(s0);
    const s1 = blockConnected(s0, k, makeBlock(100, '00', [deposit.raw]));
    expect(s1.tip?.height).to.equal(100);
    expect(walletBalance(s1).confirmedSat).to.equal(10_000n);
  });

  it('refuses a block that skips a height or builds on another tip', () => {
    const s = connectAll(emptyWallet(), k, [[]]);
    expect(() => blockConnected(s, k, makeBlock(102, s.tip!.hash, []))).to.throw(WalletChainError, /does not follow/);
    expect(() => blockConnected(s, k, makeBlock(101, 'ff'.repeat(32), []))).to.throw(WalletChainError, /builds on/);
  });

  it('counts only outputs to its own scripts, on both branches', () => {
    const tx = makeTx({
      outputs: [
        { script: ours(0), amountSat: 1_000n },
        { script: FOREIGN, amountSat: 5_000n },
        { script: ours(0, 'change'), amountSat: 2_000n },
      ],
    });
    const s = connectAll(emptyWallet(), k, [[tx.raw]]);
    expect(utxoRows(s)).to.deep.equal([
      `${tx.txid}:0 1000 receive/0 h=100 cb=false by=undefined`,
      `${tx.txid}:2 2000 change/0 h=100 cb=false by=undefined`,
    ]);
  });

  it('watches the gap limit past the last used index and moves the window when an address is used', () => {
    const s0 = emptyWallet({ gapLimit: 5 });
    const beyond = makeTx({ outputs: [{ script: ours(5), amountSat: 1_000n }], tag: 1 });
    expect(connectAll(s0, k, [[beyond.raw]]).utxos.size).to.equal(0);
    // Index 4 is inside the window; using it watches up to 9, so index 5 in a later block is seen.
    const inside = makeTx({ outputs: [{ script: ours(4), amountSat: 1_000n }], tag: 2 });
    const s = connectAll(s0, k, [[inside.raw], [beyond.raw]]);
    expect(s.next.receive).to.equal(6);
    expect(s.utxos.size).to.equal(2);
  });

  it('matures a coinbase output only at 100 confirmations', () => {
    const cb = makeTx({ coinbase: true, outputs: [{ script: ours(0), amountSat: 5_000_000_000n }] });
    let s = connectAll(emptyWallet(), k, [[cb.raw]]);
    s = connectAll(
      s,
      k,
      Array.from({ length: COINBASE_MATURITY - 2 }, () => []),
    );
    expect(walletBalance(s)).to.include({ confirmedSat: 0n, immatureSat: 5_000_000_000n });
    s = connectAll(s, k, [[]]);
    expect(walletBalance(s)).to.include({ confirmedSat: 5_000_000_000n, immatureSat: 0n });
  });

  it('removes an output when a block spends it, and ends a reservation whose outputs are all spent', () => {
    const deposit = makeTx({ outputs: [{ script: ours(0), amountSat: 50_000n }] });
    let s = connectAll(emptyWallet(), k, [[deposit.raw]]);
    s = reservationMade(s, { id: 'open-1', outpoints: [`${deposit.txid}:0`], purpose: 'channel', nowMs: 1 });
    expect(walletBalance(s).reservedSat).to.equal(50_000n);
    const funding = makeTx({
      inputs: [{ txid: deposit.txid, vout: 0 }],
      outputs: [{ script: FOREIGN, amountSat: 49_000n }],
    });
    s = connectAll(s, k, [[funding.raw]]);
    expect(s.utxos.size).to.equal(0);
    expect(s.reservations.size).to.equal(0);
  });

  it('forgets undo records and confirmed own transactions below the undo window', () => {
    let s = connectAll(
      emptyWallet(),
      k,
      Array.from({ length: UNDO_WINDOW + 10 }, () => []),
    );
    expect(s.undo.size).to.equal(UNDO_WINDOW);
    expect(Math.min(...s.undo.keys())).to.equal(s.tip!.height - UNDO_WINDOW + 1);
  });
});

describe('wallet blocks: our own unconfirmed transactions', () => {
  const deposit = makeTx({ outputs: [{ script: ours(0), amountSat: 100_000n }] });
  const send = makeTx({
    inputs: [{ txid: deposit.txid, vout: 0 }],
    outputs: [
      { script: FOREIGN, amountSat: 60_000n },
      { script: ours(0, 'change'), amountSat: 39_000n },
    ],
  });
  const base = () => connectAll(emptyWallet(), k, [[deposit.raw]]);

  it('marks the inputs spent and shows the change as unconfirmed the moment a transaction is sent', () => {
    const s = transactionSent(base(), k, send.raw, 5);
    expect(walletBalance(s)).to.include({ confirmedSat: 0n, unconfirmedSat: 39_000n, utxos: 1 });
    expect(s.ownTransactions.get(send.txid)?.feeSat).to.equal(1_000n);
    expect(s.next.change).to.equal(1);
    expect(transactionSent(s, k, send.raw, 6)).to.equal(s); // idempotent
  });

  it('confirms the change in the block that mines the transaction', () => {
    const s = connectAll(transactionSent(base(), k, send.raw, 5), k, [[send.raw]]);
    expect(walletBalance(s)).to.include({ confirmedSat: 39_000n, unconfirmedSat: 0n });
    expect(s.ownTransactions.get(send.txid)?.height).to.equal(101);
  });

  it('drops a transaction of ours when a block confirms a conflicting spend, freeing nothing twice', () => {
    const s1 = transactionSent(base(), k, send.raw, 5);
    const conflict = makeTx({
      inputs: [{ txid: deposit.txid, vout: 0 }],
      outputs: [{ script: FOREIGN, amountSat: 99_000n }],
    });
    const s2 = connectAll(s1, k, [[conflict.raw]]);
    expect(s2.ownTransactions.has(send.txid)).to.equal(false);
    expect(s2.utxos.size).to.equal(0);
  });

  it('abandoning an unconfirmed transaction frees its inputs and drops its descendants', () => {
    const s1 = transactionSent(base(), k, send.raw, 5);
    const child = makeTx({
      inputs: [{ txid: send.txid, vout: 1 }],
      outputs: [{ script: ours(1, 'change'), amountSat: 38_000n }],
    });
    const s2 = transactionSent(s1, k, child.raw, 6);
    const s3 = dropUnconfirmed(s2, send.txid);
    expect(s3.ownTransactions.size).to.equal(0);
    expect(utxoRows(s3)).to.deep.equal(utxoRows(base()));
  });
});

describe('wallet blocks: reorganisations', () => {
  const deposit = makeTx({ outputs: [{ script: ours(0), amountSat: 100_000n }], tag: 1 });
  const deposit2 = makeTx({ outputs: [{ script: ours(1), amountSat: 7_000n }], tag: 2 });
  const send = makeTx({
    inputs: [{ txid: deposit.txid, vout: 0 }],
    outputs: [
      { script: FOREIGN, amountSat: 60_000n },
      { script: ours(0, 'change'), amountSat: 39_000n },
    ],
  });
  const coinbase = makeTx({ coinbase: true, outputs: [{ script: ours(2), amountSat: 50_000n }], tag: 3 });

  function history(): WalletState {
    const s = connectAll(emptyWallet(), k, [[deposit.raw], []]);
    return connectAll(transactionSent(s, k, send.raw, 1), k, [[send.raw, deposit2.raw], [coinbase.raw], []]);
  }

  it('un-confirms on a reorg of depth 3: own transactions go back to unconfirmed, others disappear', () => {
    const s = disconnect(history(), 3);
    expect(s.tip!.height).to.equal(101);
    expect(s.ownTransactions.get(send.txid)?.height).to.equal(undefined);
    expect(utxoRows(s)).to.deep.equal(
      [
        `${deposit.txid}:0 100000 receive/0 h=100 cb=false by=${send.txid}`,
        `${send.txid}:1 39000 change/0 h=undefined cb=false by=undefined`,
      ].sort(),
    );
  });

  it('after a reorg of depth 3 to a branch confirming the same transactions elsewhere, equals a rescan from the birthday', () => {
    const reorged = connectAll(disconnect(history(), 3), k, [[], [deposit2.raw], [send.raw], [coinbase.raw]], 'b');
    const common = connectAll(emptyWallet(), k, [[deposit.raw], []]);
    const rescan = connectAll(common, k, [[], [deposit2.raw], [send.raw], [coinbase.raw]], 'b');
    expect(utxoRows(reorged)).to.deep.equal(utxoRows(rescan));
    expect(walletBalance(reorged)).to.deep.equal(walletBalance(rescan));
    expect(reorged.tip).to.deep.equal(rescan.tip);
  });

  it('disconnecting a block that created and spent the same output restores neither', () => {
    const payIn = makeTx({ outputs: [{ script: ours(3), amountSat: 5_000n }], tag: 9 });
    const spendIt = makeTx({
      inputs: [{ txid: payIn.txid, vout: 0 }],
      outputs: [{ script: FOREIGN, amountSat: 4_000n }],
    });
    const s0 = connectAll(emptyWallet(), k, [[]]);
    const s1 = connectAll(s0, k, [[payIn.raw, spendIt.raw]]);
    expect(utxoRows(disconnect(s1, 1))).to.deep.equal(utxoRows(s0));
  });

  it('refuses to disconnect anything but the tip, and asks for a rescan below the undo window', () => {
    const s = history();
    expect(() => blockDisconnected(s, { height: 101, hash: s.undo.get(101)!.hash })).to.throw(WalletChainError);
    const long = connectAll(
      emptyWallet(),
      k,
      Array.from({ length: UNDO_WINDOW + 1 }, () => []),
    );
    const shallow = disconnect(long, UNDO_WINDOW);
    try {
      blockDisconnected(shallow, shallow.tip!);
      expect.fail('disconnected past the undo window');
    } catch (err) {
      expect(err).to.be.instanceOf(WalletChainError);
      expect((err as WalletChainError).needsRescan).to.equal(true);
    }
  });
});
