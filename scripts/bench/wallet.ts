/**
 * `npm run bench:wallet`: the on-chain wallet against the bare library operations, in the same process.
 *
 * A. Building and signing a channel funding transaction from a wallet of 1,000 UTXOs: the wallet's
 *    `buildPayment` (spendable filter, btc-signer `selectUTXO`, key lookup and signing) against the bare
 *    `selectUTXO` + sign + extract on prebuilt inputs with the private keys at hand. Interleaved batches.
 * B. A rescan of 1,000 blocks (SandboxChain blocks, each with a deposit to the wallet): the wallet core alone
 *    (decode, match, undo records), and the shell with its SQLite tables (batches of 100 blocks per database
 *    transaction), against the bare catch-up loop of the chain source (`blockAt` for each block, no
 *    processing). The engine's reorg-aware ChainFollower is not on this branch yet; once it is, its catch-up
 *    becomes the baseline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hexToBytes } from '@noble/hashes/utils.js';
import { OutScript, RawTx, selectUTXO, type Transaction } from '@scure/btc-signer';
import { SandboxChain } from '@jitlsp/engine/chain';
import {
  WalletKeys,
  addressParams,
  blockConnected,
  buildPayment,
  initialWalletState,
  spendableUtxos,
  type WalletState,
} from '@jitlsp/shared/wallet';
import { Database, WalletRepository } from '@jitlsp/service/db';
import { OnChainWallet, WalletSync, walletBlockOf } from '@jitlsp/service/wallet';
import { createLogger } from '@jitlsp/service';

const SEED = hexToBytes('42'.repeat(32));
const UTXOS = 1000;
const ADDRESSES = 100;
const BLOCKS = 1000;
const FUNDING = { script: OutScript.encode({ type: 'wsh', hash: new Uint8Array(32).fill(3) }), amountSat: 2_000_000n };
const FEE_RATE = 5n;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---- A. funding transaction from 1,000 UTXOs ----------------------------------------------------------------
const keys = WalletKeys.fromSeed(SEED, 'regtest');
let state: WalletState = initialWalletState({ network: 'regtest', birthdayHeight: 1, gapLimit: ADDRESSES });
{
  // 1,000 deposits of 10,000-1,009,000 sat to 100 addresses, 10 outputs per transaction, one block.
  const txs: Uint8Array[] = [];
  for (let t = 0; t < UTXOS / 10; t++) {
    txs.push(
      RawTx.encode({
        version: 2,
        segwitFlag: false,
        inputs: [{ txid: new Uint8Array(32).fill(t % 255), index: t, finalScriptSig: new Uint8Array(0), sequence: 0 }],
        outputs: Array.from({ length: 10 }, (_, o) => ({
          amount: 10_000n + BigInt(((t * 10 + o) * 7919) % 1000) * 1000n,
          script: keys.key('receive', (t * 10 + o) % ADDRESSES).script,
        })),
        witnesses: undefined,
        lockTime: 0,
      }),
    );
  }
  state = blockConnected(state, keys, { height: 1, hash: '01'.repeat(32), previousHash: '00'.repeat(32), txs });
}
const utxos = spendableUtxos(state);
if (utxos.length !== UTXOS) throw new Error(`expected ${UTXOS} UTXOs, got ${utxos.length}`);
// The bare baseline gets everything precomputed: inputs in btc-signer's shape, private keys by outpoint.
const bareInputs = utxos.map((u) => ({
  txid: hexToBytes(u.txid),
  index: u.vout,
  witnessUtxo: { script: keys.key(u.branch, u.index).script, amount: u.amountSat },
}));
const privByOutpoint = new Map(utxos.map((u) => [`${u.txid}:${u.vout}`, keys.privateKey(u.branch, u.index)]));
const changeAddress = keys.address('change', 0);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function bare(): Uint8Array {
  const sel = selectUTXO(bareInputs, [{ script: FUNDING.script, amount: FUNDING.amountSat }], 'default', {
    feePerByte: FEE_RATE,
    changeAddress,
    network: addressParams('regtest'),
    bip69: true,
    createTx: true,
    allowUnknownOutputs: true,
  });
  const tx = sel!.tx as Transaction;
  for (let i = 0; i < tx.inputsLength; i++) {
    const input = tx.getInput(i);
    tx.signIdx(privByOutpoint.get(`${hex(input.txid!)}:${input.index}`)!, i);
  }
  tx.finalize();
  return tx.extract();
}
const ours = () => buildPayment(state, keys, { outputs: [FUNDING], feeRateSatPerVb: FEE_RATE }).built.raw;

// Same transaction from both (selection is deterministic; signatures are RFC 6979 deterministic too).
if (hex(ours()) !== hex(bare())) throw new Error('the wallet and the bare path built different transactions');
const ROUNDS = 10;
const PER_ROUND = 20;
const timesMs: Record<'ours' | 'bare', number[]> = { ours: [], bare: [] };
for (let i = 0; i < 5; i++) (ours(), bare());
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of [
    ['ours', ours],
    ['bare', bare],
  ] as const) {
    gc();
    const t = performance.now();
    for (let i = 0; i < PER_ROUND; i++) fn();
    timesMs[name].push((performance.now() - t) / PER_ROUND);
  }
}
const inputs = RawTx.decode(ours()).inputs.length;
const a = { ours: median(timesMs.ours), bare: median(timesMs.bare) };
console.log(`A. funding transaction (${FUNDING.amountSat} sat at ${FEE_RATE} sat/vB) from a wallet of ${UTXOS} UTXOs`);
console.log(`   selected inputs: ${inputs}; median of ${ROUNDS} rounds x ${PER_ROUND}`);
console.log(`   wallet buildPayment           ${fmt(a.ours)} ms/tx`);
console.log(`   bare selectUTXO + sign        ${fmt(a.bare)} ms/tx`);
console.log(`   ratio wallet / bare           ${(a.ours / a.bare).toFixed(2)}x`);

// ---- B. rescan of 1,000 blocks --------------------------------------------------------------------------------
console.log(`\nB. rescan of ${BLOCKS} blocks (each with a deposit to the wallet); preparing the chain...`);
const sandbox = await SandboxChain.create({ log: () => undefined });
const birthday = sandbox.height + 1;
const depositScripts = Array.from({ length: 20 }, (_, i) => keys.key('receive', i).script);
for (let i = 0; i < BLOCKS; i++) {
  await sandbox.broadcast(await sandbox.fundTransaction(depositScripts[i % 20], 50_000n + BigInt(i)));
  await sandbox.mine(1);
  if ((i + 1) % 250 === 0) console.log(`   mined ${i + 1}/${BLOCKS}`);
}
const tipHeight = sandbox.height;

async function bareCatchUp(): Promise<number> {
  let txs = 0;
  for (let h = birthday; h <= tipHeight; h++) txs += (await sandbox.blockAt(h))!.txs.length;
  return txs;
}
async function coreRescan(): Promise<number> {
  let s = initialWalletState({ network: 'regtest', birthdayHeight: birthday });
  for (let h = birthday; h <= tipHeight; h++) s = blockConnected(s, keys, walletBlockOf((await sandbox.blockAt(h))!));
  return s.utxos.size;
}
async function shellRescan(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'jitlsp-bench-wallet-'));
  const db = await Database.open({ kind: 'sqlite', path: join(dir, 'w.sqlite') });
  try {
    const logger = createLogger({ level: 'silent' });
    const w = await OnChainWallet.open({
      store: new WalletRepository(db),
      seed: SEED,
      network: 'regtest',
      birthdayHeight: birthday,
      logger,
    });
    await new WalletSync(w, sandbox, logger).catchUp();
    return w.state.utxos.size;
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
const b: Record<string, number[]> = { bare: [], core: [], shell: [] };
let found = 0;
for (let r = 0; r < 3; r++) {
  for (const [name, fn] of [
    ['bare', bareCatchUp],
    ['core', coreRescan],
    ['shell', shellRescan],
  ] as const) {
    gc();
    const t = performance.now();
    const n = await fn();
    b[name].push(performance.now() - t);
    if (name !== 'bare') found = n;
  }
}
await sandbox.close();
if (found !== BLOCKS) throw new Error(`the rescan found ${found} deposits, expected ${BLOCKS}`);
const m = { bare: median(b.bare), core: median(b.core), shell: median(b.shell) };
console.log(`   (${found} deposits found; median of 3 runs)`);
console.log(`   bare catch-up (blockAt loop)   ${fmt(m.bare)} ms  (${fmt((m.bare * 1000) / BLOCKS)} us/block)`);
console.log(`   wallet core rescan             ${fmt(m.core)} ms  (${fmt((m.core * 1000) / BLOCKS)} us/block)`);
console.log(`   wallet + SQLite (WalletSync)   ${fmt(m.shell)} ms  (${fmt((m.shell * 1000) / BLOCKS)} us/block)`);
console.log(`   ratio core / bare              ${(m.core / m.bare).toFixed(1)}x`);
console.log(`   ratio shell / bare             ${(m.shell / m.bare).toFixed(1)}x`);
console.log('   note: the baseline is the chain source read loop; the engine ChainFollower is not on this branch yet.');
