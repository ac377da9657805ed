/**
 * The wallet shell against real components: SandboxChain blocks (real signed transactions), and the wallet's
 * tables on a SQLite file and on Postgres (the same tests on both).
 */
import { expect } from 'chai';
import { SandboxChain } from '@jitlsp/engine/chain';
import { OutScript, RawTx } from '@scure/btc-signer';
import {
  InsufficientFundsError,
  UNDO_WINDOW,
  WalletInputError,
  blockConnected,
  initialWalletState,
  type WalletState,
  type WalletUtxo,
} from '@jitlsp/shared/wallet';
import type { Database } from '../../src/db/database.js';
import { WalletRepository } from '../../src/db/repositories/wallet.repository.js';
import { OnChainWallet, WalletSync, walletBlockOf } from '../../src/wallet/index.js';
import { databaseSiteFactories, type TestDatabaseSite } from '../db/targets.js';
import { ForkableChain, SEED, deposit, depositAll, quietLogger } from './fixtures.js';

const factories = await databaseSiteFactories();
const FUNDING_SCRIPT = OutScript.encode({ type: 'wsh', hash: new Uint8Array(32).fill(9) });

for (const factory of factories) {
  const title = `on-chain wallet on ${factory.name}` + (factory.skipReason ? ` (skipped: ${factory.skipReason})` : '');
  (factory.skipReason ? describe.skip : describe)(title, function () {
    let site: TestDatabaseSite;
    let db: Database;
    let sandbox: SandboxChain;
    let chain: ForkableChain;
    let birthday: number;

    const open = async () =>
      OnChainWallet.open({
        store: new WalletRepository(db),
        seed: SEED,
        network: 'regtest',
        birthdayHeight: birthday,
        gapLimit: 5,
        logger: quietLogger(),
      });
    const follow = async (wallet: OnChainWallet) => {
      await chain.pull();
      await new WalletSync(wallet, chain, quietLogger()).catchUp();
    };
    /** The wallet a rescan of the current chain from the birthday gives. */
    const rescan = async () => {
      let s = initialWalletState({ network: 'regtest', birthdayHeight: birthday, gapLimit: 5 });
      const w = await open(); // for its keys
      for (let h = birthday; h <= (await chain.tip()).height; h++)
        s = blockConnected(s, w.keys, walletBlockOf((await chain.blockAt(h))!));
      return s;
    };

    beforeEach(async () => {
      site = await factory.create();
      db = await site.open();
      sandbox = await SandboxChain.create({ log: () => undefined });
      chain = new ForkableChain(sandbox);
      birthday = sandbox.height + 1;
    });
    afterEach(async () => {
      await db.close();
      await site.destroy();
      await sandbox.close();
    });

    it('shows a deposit to a fresh address as confirmed once its block is followed', async () => {
      const wallet = await open();
      const address = await wallet.newAddress();
      expect(address).to.match(/^bcrt1q/);
      await deposit(sandbox, address, 250_000n);
      await follow(wallet);
      expect(wallet.balance()).to.include({ confirmedSat: 250_000n, utxos: 1 });
      expect(wallet.state.tip?.height).to.equal(sandbox.height);
    });

    it('loads back equal after a restart and continues from its stored tip', async () => {
      const wallet = await open();
      await depositAll(sandbox, wallet, [100_000n, 200_000n]);
      await follow(wallet);
      const reserved = await fundOpen(wallet, 'test');
      await wallet.send({ address: await wallet.newAddress(), amountSat: 30_000n, feeRateSatPerVb: 2n }, (raw) =>
        sandbox.broadcast(raw),
      );
      const before = wallet.state;
      await db.close();
      db = await site.open();
      const again = await open();
      expect(again.state).to.deep.equal(before);
      expect(again.state.reservations.has(reserved.reservationId)).to.equal(true);
      await deposit(sandbox, await again.newAddress(), 5_000n);
      await follow(again);
      expect(again.state.tip?.height).to.equal(sandbox.height);
      expect(sortedUtxos(again.state)).to.deep.equal(sortedUtxos(await rescan()));
    });

    it('after a reorg of depth 3 holds the UTXO set a rescan from the birthday gives', async () => {
      const wallet = await open();
      await depositAll(sandbox, wallet, [10_000n, 20_000n, 30_000n, 40_000n]);
      await follow(wallet);
      expect(wallet.balance().confirmedSat).to.equal(100_000n);
      // The new branch, one block longer: the first replaced deposit moves a block later, the second is dropped,
      // the third moves a block later.
      chain.reorg(3, [[], [[0, 1]], [[2, 1]], []]);
      await new WalletSync(wallet, chain, quietLogger()).catchUp();
      const expected = await rescan();
      expect(sortedUtxos(wallet.state)).to.deep.equal(sortedUtxos(expected));
      expect(wallet.state.tip).to.deep.equal(expected.tip);
      expect(wallet.balance().confirmedSat).to.equal(10_000n + 20_000n + 40_000n);
      // And it survives a restart after the reorganisation.
      await db.close();
      db = await site.open();
      expect((await open()).state).to.deep.equal(wallet.state);
    });

    it('rescans from the birthday after a reorganisation deeper than its undo window, ending equal to a rescan', async () => {
      const wallet = await open();
      await depositAll(sandbox, wallet, [10_000n, 20_000n]);
      await sandbox.mine(UNDO_WINDOW + 5);
      await follow(wallet);
      // Replace every block since the birthday: the first deposit moves up a block, the second is dropped.
      const depth = sandbox.height - birthday + 1;
      chain.reorg(depth, [[], [[0, 1]], ...Array.from({ length: depth }, () => [])]);
      await new WalletSync(wallet, chain, quietLogger()).catchUp();
      expect(sortedUtxos(wallet.state)).to.deep.equal(sortedUtxos(await rescan()));
      expect(wallet.balance().confirmedSat).to.equal(10_000n);
      expect(wallet.state.tip).to.deep.equal((await rescan()).tip);
    });

    it('sends with change: the transaction is mined and the change confirmed, fees accounted to the satoshi', async () => {
      const wallet = await open();
      await depositAll(sandbox, wallet, [80_000n, 70_000n]);
      await follow(wallet);
      const to = await wallet.newAddress();
      const sent = await wallet.send({ address: to, amountSat: 100_000n, feeRateSatPerVb: 3n }, (raw) =>
        sandbox.broadcast(raw),
      );
      expect(sandbox.confirmations(sent.txid)).to.equal(0);
      await sandbox.mine(1);
      await follow(wallet);
      expect(sandbox.confirmations(sent.txid)).to.equal(1);
      // The payment went to our own receive address, so everything but the fee is still ours.
      expect(wallet.balance().confirmedSat).to.equal(150_000n - sent.feeSat);
      const outputs = RawTx.decode(sent.raw).outputs;
      expect(outputs.map((o) => o.amount)).to.include(100_000n);
      expect(outputs[sent.changeVout!].amount).to.equal(150_000n - 100_000n - sent.feeSat);
    });

    it('spends nothing when the chain refuses a send', async () => {
      const wallet = await open();
      await depositAll(sandbox, wallet, [80_000n]);
      await follow(wallet);
      const refuse = async () => {
        throw new Error('rejected: min relay fee not met');
      };
      await wallet.send({ address: await wallet.newAddress(), amountSat: 10_000n, feeRateSatPerVb: 1n }, refuse).then(
        () => expect.fail('sent'),
        (err: Error) => expect(err.message).to.match(/min relay fee/),
      );
      expect(wallet.balance()).to.include({ confirmedSat: 80_000n, unconfirmedSat: 0n });
      expect(wallet.state.ownTransactions.size).to.equal(0);
    });

    it('refuses more than spendable naming the spendable amount, and a wrong-network address naming the field', async () => {
      const wallet = await open();
      await depositAll(sandbox, wallet, [80_000n]);
      await follow(wallet);
      const never = async () => expect.fail('broadcast') as never;
      const err = await wallet
        .send({ address: await wallet.newAddress(), amountSat: 90_000n, feeRateSatPerVb: 1n }, never)
        .catch((e) => e);
      expect(err).to.be.instanceOf(InsufficientFundsError).with.property('spendableSat', 80_000n);
      const bad = await wallet
        .send({ address: 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', amountSat: 1_000n, feeRateSatPerVb: 1n }, never)
        .catch((e) => e);
      expect(bad).to.be.instanceOf(WalletInputError).with.property('field', 'address');
      expect(wallet.balance().confirmedSat).to.equal(80_000n);
    });

    it('reserves funding inputs until the funding transaction confirms, and gives them back when the open fails', async () => {
      const wallet = await open();
      await depositAll(sandbox, wallet, [60_000n, 60_000n]);
      await follow(wallet);
      const failed = await fundOpen(wallet, 'open A');
      expect(wallet.balance()).to.include({ confirmedSat: 60_000n, reservedSat: 60_000n });
      await wallet.release(failed.reservationId);
      expect(wallet.balance()).to.include({ confirmedSat: 120_000n, reservedSat: 0n });
      const funded = await fundOpen(wallet, 'open B');
      await sandbox.broadcast(funded.raw); // what LDK does once the channel is ready for it
      await wallet.transactionBroadcast(funded.raw);
      await sandbox.mine(1);
      await follow(wallet);
      expect(wallet.state.reservations.size).to.equal(0);
      expect(wallet.balance()).to.include({ confirmedSat: 120_000n - 50_000n - funded.feeSat, reservedSat: 0n });
    });

    it('keeps the stored and the current wallet unchanged when a write fails mid-transaction', async () => {
      // A failing store is a stand-in for a crash inside the transaction: the real tables, a throw after the
      // first statements ran.
      class FailingRepository extends WalletRepository {
        override async apply(...args: Parameters<WalletRepository['apply']>): Promise<void> {
          await db.write(async (m) => {
            await m.query('DELETE FROM wallet_utxos');
            throw new Error('crash');
          });
          return super.apply(...args);
        }
      }
      const wallet = await open();
      await depositAll(sandbox, wallet, [60_000n]);
      await follow(wallet);
      const before = wallet.state;
      const failing = await OnChainWallet.open({
        store: new FailingRepository(db),
        seed: SEED,
        network: 'regtest',
        birthdayHeight: birthday,
        logger: quietLogger(),
      });
      await deposit(sandbox, failing.keys.address('receive', 0), 1_000n);
      await chain.pull();
      await new WalletSync(failing, chain, quietLogger()).catchUp().then(
        () => expect.fail('written'),
        () => undefined,
      );
      expect(failing.state).to.deep.equal(before);
      expect((await open()).state).to.deep.equal(before);
    });
  });
}

/** Funds a 50,000 sat channel output at 2 sat/vB, as a JIT open would. */
function fundOpen(wallet: OnChainWallet, purpose: string) {
  return wallet.fund({ outputScript: FUNDING_SCRIPT, valueSat: 50_000n, feeRateSatPerVb: 2n, purpose });
}

function sortedUtxos(s: WalletState): WalletUtxo[] {
  return [...s.utxos.values()].sort((a, b) => (a.outpoint < b.outpoint ? -1 : 1));
}
