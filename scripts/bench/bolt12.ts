/**
 * `npm run bench:bolt12`: BOLT 12 decoding throughput of @jitlsp/shared/bolt12 against LDK's WASM
 * bindings (`lightningdevkit` 0.1.0) in the same process, on the same strings.
 *
 * Rows: offer decode (the 20 valid offers of offers-test.json), LDK `Offer.constructor_from_str`
 * on the same strings, invoice_request decode + BIP-340 signature verify (signature-test.json's,
 * re-priced in msat),
 * LDK `InvoiceRequest.constructor_read` on the same bytes (LDK also checks the signature), and the
 * bare verify rate (Merkle root + schnorr verify, and schnorr verify alone).
 *
 * Each row warms up, then runs a fixed number of operations in batches; between batches (untimed)
 * the garbage collector runs and LDK's FinalizationRegistry callbacks get to free WASM objects.
 * Run with --expose-gc (the npm script does).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as ldk from 'lightningdevkit';
import { initLdk } from '@jitlsp/engine/node';
import {
  decodeInvoiceRequest,
  encodeBolt12String,
  decodeOffer,
  merkleRoot,
  signatureDigest,
  signInvoiceRequest,
  verifyInvoiceRequestSignature,
} from '@jitlsp/shared/bolt12';
import { schnorrVerify } from '@jitlsp/shared/crypto';

const vectors = (p: string) => JSON.parse(readFileSync(new URL(`../../vectors/${p}`, import.meta.url), 'utf8'));

const offers: string[] = (vectors('bolts/bolt12/offers-test.json') as { valid: boolean; bolt12: string }[])
  .filter((v) => v.valid)
  .map((v) => v.bolt12);
/**
 * The invoice_request of signature-test.json prices its offer in USD, which LDK 0.1 rejects
 * (unsupported currency), so both decoders get the same request re-signed by Bob (0x42...) with
 * the offer amount in msat instead.
 */
const specInvreq = decodeInvoiceRequest(
  (vectors('bolts/bolt12/signature-test.json') as { bolt12?: string }[])[3]!.bolt12!,
);
const invreqBytes = signInvoiceRequest(
  { ...specInvreq, offerCurrency: undefined, offerAmount: 100_000n, signature: undefined },
  new Uint8Array(32).fill(0x42),
);
const invreq = encodeBolt12String('lnr', invreqBytes);

const gc = (globalThis as { gc?: () => void }).gc;
const settle = async () => {
  gc?.();
  await new Promise((r) => setImmediate(r));
};

type Row = { name: string; ops: number; seconds: number };
type Op = { name: string; run: (i: number) => void };

/**
 * Runs each op `total` times after `warmup` calls, in batches of `batch`. The ops' batches are
 * interleaved (A, B, A, B, ...) so that both see the same machine load, which matters for the ratio
 * on a shared machine. Returns the timed seconds of each op.
 */
async function measure(ops: Op[], total: number, warmup: number, batch: number): Promise<Row[]> {
  for (const op of ops) for (let i = 0; i < warmup; i++) op.run(i);
  await settle();
  const seconds = ops.map(() => 0);
  for (let done = 0; done < total; done += batch) {
    const n = Math.min(batch, total - done);
    for (const [k, op] of ops.entries()) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) op.run(done + i);
      seconds[k]! += (performance.now() - t0) / 1000;
      await settle();
    }
  }
  return ops.map((op, k) => ({ name: op.name, ops: total, seconds: seconds[k]! }));
}

function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(`bench: ${what} failed`);
}

async function main(): Promise<void> {
  if (!gc) console.warn('warning: run with --expose-gc so LDK objects are freed between batches');
  await initLdk();

  // Both decoders must accept every input before anything is timed.
  for (const s of offers)
    must(ldk.Offer.constructor_from_str(s).is_ok() && decodeOffer(s) !== undefined, `decode of ${s.slice(0, 20)}…`);
  must(ldk.InvoiceRequest.constructor_read(invreqBytes).is_ok(), 'LDK invoice_request read');
  const req = decodeInvoiceRequest(invreq);
  must(verifyInvoiceRequestSignature(req), 'invoice_request signature');
  const digest = signatureDigest('invoice_request', merkleRoot(req.records));
  const xOnly = req.invreqPayerId.subarray(1);

  const N_OFFER = 20_000;
  const N_INVREQ = 3_000;
  const offerRows = await measure(
    [
      { name: 'offer decode (jitlsp)', run: (i) => void decodeOffer(offers[i % offers.length]!) },
      {
        name: 'offer decode (LDK Offer.constructor_from_str)',
        run: (i) => void ldk.Offer.constructor_from_str(offers[i % offers.length]!),
      },
    ],
    N_OFFER,
    2_000,
    2_000,
  );
  const invreqRows = await measure(
    [
      { name: 'invoice_request decode + verify (jitlsp)', run: () => void decodeInvoiceRequest(invreq) },
      {
        name: 'invoice_request read + verify (LDK constructor_read)',
        run: () => void ldk.InvoiceRequest.constructor_read(invreqBytes),
      },
      { name: 'signature verify: Merkle root + BIP-340 (jitlsp)', run: () => void verifyInvoiceRequestSignature(req) },
      { name: 'BIP-340 verify only (tiny-secp256k1)', run: () => void schnorrVerify(req.signature!, digest, xOnly) },
    ],
    N_INVREQ,
    200,
    250,
  );
  const rows = [...offerRows, ...invreqRows];

  const rate = (r: Row) => r.ops / r.seconds;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(
    `\nBOLT 12 decode benchmark (Node ${process.version}, ${offers.length} offers from offers-test.json, signature-test.json invoice_request in msat)\n`,
  );
  console.log(
    `${'operation'.padEnd(width)}  ${'ops'.padStart(7)}  ${'seconds'.padStart(8)}  ${'ops/sec'.padStart(10)}`,
  );
  console.log(`${'-'.repeat(width)}  -------  --------  ----------`);
  for (const r of rows)
    console.log(
      `${r.name.padEnd(width)}  ${String(r.ops).padStart(7)}  ${r.seconds.toFixed(3).padStart(8)}  ${fmt(rate(r)).padStart(10)}`,
    );
  const [ours, theirs, invOurs, invLdk, verify] = rows as [Row, Row, Row, Row, Row];
  console.log(
    `\noffer decode, jitlsp / LDK WASM:            ${(rate(ours) / rate(theirs)).toFixed(2)}x (goal >= 1.0x)`,
  );
  console.log(`invoice_request decode+verify, jitlsp / LDK: ${(rate(invOurs) / rate(invLdk)).toFixed(2)}x`);
  console.log(`signature verify rate:                       ${fmt(rate(verify))} per second`);
}

await main();
