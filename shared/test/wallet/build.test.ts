import { expect } from 'chai';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { OutScript, RawTx, Transaction } from '@scure/btc-signer';
import {
  DUST_LIMIT_SAT,
  InsufficientFundsError,
  WalletInputError,
  addressToScript,
  buildCpfpChild,
  buildPayment,
  buildSend,
  reservationMade,
  satPerKwToSatPerVb,
  spendableUtxos,
  transactionSent,
  walletBalance,
  type WalletState,
} from '../../src/wallet/index.js';
import { connectAll, emptyWallet, keys, makeTx } from './fixtures.js';

const k = keys();
const FUNDING_SCRIPT = OutScript.encode({ type: 'wsh', hash: new Uint8Array(32).fill(7) });
const OTHER_ADDRESS = 'bcrt1qyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy';

/** A wallet holding confirmed deposits of the given amounts on receive addresses 0, 1, 2... */
function funded(amounts: bigint[]): WalletState {
  const txs = amounts.map(
    (amountSat, i) => makeTx({ outputs: [{ script: k.key('receive', i).script, amountSat }], tag: i }).raw,
  );
  return connectAll(emptyWallet(), k, [txs]);
}

/** Checks every input's BIP 143 signature against the key in its witness, and that the key is the output's. */
function verifySignatures(raw: Uint8Array, s: WalletState): void {
  const tx = Transaction.fromRaw(raw, { allowUnknownOutputs: true });
  for (let i = 0; i < tx.inputsLength; i++) {
    const input = tx.getInput(i);
    const u = s.utxos.get(`${bytesToHex(input.txid!)}:${input.index!}`)!;
    const [sig, pub] = input.finalScriptWitness!;
    expect(bytesToHex(pub)).to.equal(bytesToHex(k.key(u.branch, u.index).publicKey));
    const scriptCode = OutScript.encode({ type: 'pkh', hash: k.key(u.branch, u.index).script.subarray(2) });
    const digest = tx.preimageWitnessV0(i, scriptCode, sig[sig.length - 1], u.amountSat);
    expect(secp256k1.verify(sig.subarray(0, -1), digest, pub, { prehash: false, format: 'der' })).to.equal(true);
  }
}

describe('wallet build: funding payments', () => {
  it('pays the funding output, sends the change to a fresh change address, and signs every input', () => {
    const s = funded([30_000n, 80_000n, 40_000n]);
    const { state, built } = buildPayment(s, k, {
      outputs: [{ script: FUNDING_SCRIPT, amountSat: 100_000n }],
      feeRateSatPerVb: 2n,
    });
    const tx = RawTx.decode(built.raw);
    const funding = tx.outputs.find((o) => bytesToHex(o.script) === bytesToHex(FUNDING_SCRIPT));
    expect(funding?.amount).to.equal(100_000n);
    const change = tx.outputs[built.changeVout!];
    expect(bytesToHex(change.script)).to.equal(bytesToHex(k.key('change', 0).script));
    expect(state.next.change).to.equal(1);
    const inSat = built.inputs.reduce((sum, op) => sum + s.utxos.get(op)!.amountSat, 0n);
    expect(inSat - 100_000n - change.amount).to.equal(built.feeSat);
    expect(Number(built.feeSat)).to.be.at.least(Number(2n * BigInt(built.vsize)));
    expect(Number(built.feeSat)).to.be.below(Number(2n * BigInt(built.vsize) + 3n));
    verifySignatures(built.raw, s);
    expect(walletBalance(state)).to.deep.equal(walletBalance(s)); // building alone spends nothing
  });

  it('leaves reserved outputs out of the selection, and builds nothing when every output is reserved', () => {
    let s = funded([100_000n, 100_000n]);
    const [a, b] = [...s.utxos.keys()];
    s = reservationMade(s, { id: 'open-1', outpoints: [a], purpose: 'channel', nowMs: 0 });
    const { built } = buildPayment(s, k, {
      outputs: [{ script: FUNDING_SCRIPT, amountSat: 50_000n }],
      feeRateSatPerVb: 1n,
    });
    expect(built.inputs).to.deep.equal([b]);
    s = reservationMade(s, { id: 'open-2', outpoints: [b], purpose: 'channel', nowMs: 0 });
    expect(spendableUtxos(s)).to.have.length(0);
    expect(() => buildPayment(s, k, { outputs: [{ script: FUNDING_SCRIPT, amountSat: 50_000n }], feeRateSatPerVb: 1n }))
      .to.throw(InsufficientFundsError)
      .with.property('spendableSat', 0n);
  });

  it('converts LDK fee rates (sat per 1000 weight) to sat/vB rounding up', () => {
    expect(satPerKwToSatPerVb(253)).to.equal(2n);
    expect(satPerKwToSatPerVb(250)).to.equal(1n);
    expect(satPerKwToSatPerVb(1000)).to.equal(4n);
  });
});

describe('wallet build: sends', () => {
  const addr = k.address('receive', 50); // a regtest address (ours, but any valid one will do)
  const base = () => funded([60_000n, 25_000n]);

  const bad: [string, Parameters<typeof buildSend>[2], string, RegExp][] = [
    [
      'a mainnet address',
      { address: 'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu', amountSat: 1_000n, feeRateSatPerVb: 1n },
      'address',
      /bitcoin address; this wallet runs on regtest/,
    ],
    [
      'a malformed address',
      { address: OTHER_ADDRESS, amountSat: 1_000n, feeRateSatPerVb: 1n },
      'address',
      /not a valid regtest address/,
    ],
    ['an empty address', { address: '', amountSat: 1_000n, feeRateSatPerVb: 1n }, 'address', /non-empty/],
    [
      'both an amount and all',
      { address: addr, amountSat: 1_000n, all: true, feeRateSatPerVb: 1n },
      'amount_sat',
      /either/,
    ],
    ['neither an amount nor all', { address: addr, feeRateSatPerVb: 1n }, 'amount_sat', /required/],
    ['a dust amount', { address: addr, amountSat: DUST_LIMIT_SAT - 1n, feeRateSatPerVb: 1n }, 'amount_sat', /dust/],
    ['a zero fee rate', { address: addr, amountSat: 1_000n, feeRateSatPerVb: 0n }, 'fee_rate_sat_per_vb', /1-10000/],
    [
      'an absurd fee rate',
      { address: addr, amountSat: 1_000n, feeRateSatPerVb: 20_000n },
      'fee_rate_sat_per_vb',
      /1-10000/,
    ],
  ];
  for (const [what, req, field, message] of bad) {
    it(`refuses ${what}, naming the field ${field}`, () => {
      try {
        buildSend(base(), k, req);
        expect.fail('built');
      } catch (err) {
        expect(err).to.be.instanceOf(WalletInputError);
        expect((err as WalletInputError).field).to.equal(field);
        expect((err as Error).message).to.match(message);
      }
    });
  }

  it('refuses more than spendable with the spendable amount, building nothing', () => {
    const s = base();
    try {
      buildSend(s, k, { address: addr, amountSat: 85_000n, feeRateSatPerVb: 1n });
      expect.fail('built');
    } catch (err) {
      expect(err).to.be.instanceOf(InsufficientFundsError);
      expect((err as InsufficientFundsError).spendableSat).to.equal(85_000n);
      expect((err as Error).message).to.match(/exceeds the spendable 85000 sat/);
    }
  });

  it('sends an amount with change back', () => {
    const s = base();
    const { state, built } = buildSend(s, k, { address: addr, amountSat: 70_000n, feeRateSatPerVb: 3n });
    const outs = RawTx.decode(built.raw).outputs;
    expect(outs.map((o) => o.amount)).to.include(70_000n);
    expect(built.changeVout).to.not.equal(undefined);
    const sent = transactionSent(state, k, built.raw, 0);
    expect(walletBalance(sent)).to.include({ confirmedSat: 0n, unconfirmedSat: 85_000n - 70_000n - built.feeSat });
    verifySignatures(built.raw, s);
  });

  it('sends everything in one output, the fee taken from the amount, with no change', () => {
    const s = base();
    const { state, built } = buildSend(s, k, { address: addr, all: true, feeRateSatPerVb: 2n });
    const outs = RawTx.decode(built.raw).outputs;
    expect(outs).to.have.length(1);
    expect(bytesToHex(outs[0].script)).to.equal(bytesToHex(addressToScript(addr, 'regtest')));
    expect(outs[0].amount + built.feeSat).to.equal(85_000n);
    expect(built.inputs).to.have.length(2);
    expect(state.next.change).to.equal(0);
    verifySignatures(built.raw, s);
  });

  it('refuses to send all when the balance does not cover the fee and a non-dust output', () => {
    expect(() => buildSend(funded([600n]), k, { address: addr, all: true, feeRateSatPerVb: 5n }))
      .to.throw(InsufficientFundsError)
      .with.property('field', 'all');
  });
});

describe('wallet build: child pays for parent', () => {
  it('spends the funding transaction change so the package pays the target rate', () => {
    const s0 = funded([200_000n]);
    const parent = buildPayment(s0, k, {
      outputs: [{ script: FUNDING_SCRIPT, amountSat: 100_000n }],
      feeRateSatPerVb: 1n,
    });
    const s1 = transactionSent(parent.state, k, parent.built.raw, 0);
    const child = buildCpfpChild(s1, k, { parentTxid: parent.built.txid, feeRateSatPerVb: 10n });
    const packageFee = parent.built.feeSat + child.built.feeSat;
    const packageVsize = BigInt(parent.built.vsize + child.built.vsize);
    expect(Number(packageFee)).to.be.at.least(Number(10n * packageVsize));
    expect(Number(packageFee)).to.be.below(Number(10n * packageVsize + 20n));
    const tx = RawTx.decode(child.built.raw);
    expect(bytesToHex(tx.inputs[0].txid)).to.equal(parent.built.txid);
    expect(tx.inputs[0].index).to.equal(parent.built.changeVout);
    verifySignatures(child.built.raw, s1);
    const s2 = transactionSent(child.state, k, child.built.raw, 1);
    expect(walletBalance(s2).unconfirmedSat).to.equal(200_000n - 100_000n - packageFee);
  });

  it('refuses a parent that is not an unconfirmed transaction of ours, or a rate it already pays', () => {
    const s0 = funded([200_000n]);
    expect(() => buildCpfpChild(s0, k, { parentTxid: 'ab'.repeat(32), feeRateSatPerVb: 5n })).to.throw(
      /not an unconfirmed/,
    );
    const parent = buildPayment(s0, k, {
      outputs: [{ script: FUNDING_SCRIPT, amountSat: 100_000n }],
      feeRateSatPerVb: 8n,
    });
    const s1 = transactionSent(parent.state, k, parent.built.raw, 0);
    expect(() => buildCpfpChild(s1, k, { parentTxid: parent.built.txid, feeRateSatPerVb: 2n })).to.throw(
      /already pays/,
    );
  });

  it('refuses a parent with no unspent output of ours to spend', () => {
    const s0 = funded([100_000n]);
    const { built } = buildSend(s0, k, { address: k.address('receive', 60), all: true, feeRateSatPerVb: 1n });
    // The send-all pays our own receive address 60, beyond the watch window: nothing of ours to spend.
    const s1 = transactionSent(s0, k, built.raw, 0);
    expect(() => buildCpfpChild(s1, k, { parentTxid: built.txid, feeRateSatPerVb: 5n })).to.throw(/no unspent output/);
  });
});
