/**
 * `npm run bench:blinding`: route-blinding and onion-message throughput of @jitlsp/shared against
 * LDK's WASM bindings (`lightningdevkit` 0.1.0) in the same process.
 *
 * Rows:
 * - blinded payment paths built per second, one forwarding hop (the LSP, over its intercept SCID)
 *   + the recipient, as the client router builds them: ours (`buildBlindedPaymentPath`: encrypted
 *   data with padding, blinding, payinfo) against LDK's `BlindedPaymentPath.constructor_new`, both
 *   with the per-call construction of the forward-hop objects the JS router does, and
 *   LDK's `constructor_new` alone on prebuilt arguments;
 * - onion-message layers peeled per second: ours (`decodeOnionMessage` + `peelOnionMessage`) against
 *   LDK's `peel_onion_message` on the same wire bytes (a 3-hop message, first layer).
 *
 * Each op warms up, then runs in batches interleaved with the other ops of its group (A, B, A, B),
 * so both see the same machine load; between batches (untimed) the GC runs and LDK's
 * FinalizationRegistry frees WASM objects. Run with --expose-gc (the npm script does).
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import * as ldk from 'lightningdevkit';
import { initLdk } from '@jitlsp/engine/node';
import { buildBlindedPaymentPath, buildBlindedMessagePath } from '@jitlsp/shared/blinding';
import {
  buildOnionMessage,
  decodeOnionMessage,
  encodeOnionMessage,
  peelOnionMessage,
} from '@jitlsp/shared/onion-message';
import { getPublicKey } from '@jitlsp/shared/crypto';

await initLdk();

const gc = (globalThis as { gc?: () => void }).gc;
const settle = async () => {
  gc?.();
  await new Promise((r) => setTimeout(r, 2));
};

type Op = { name: string; run: (i: number) => void };

async function race(ops: Op[], total: number, batch: number, warmup: number): Promise<Map<string, number>> {
  for (const op of ops) for (let i = 0; i < warmup; i++) op.run(i);
  const seconds = new Map(ops.map((o) => [o.name, 0]));
  for (let done = 0; done < total; done += batch) {
    for (const op of ops) {
      await settle();
      const t = performance.now();
      for (let i = 0; i < batch; i++) op.run(done + i);
      seconds.set(op.name, seconds.get(op.name)! + (performance.now() - t) / 1000);
    }
  }
  return seconds;
}

function keys(seed: number) {
  const km = ldk.KeysManager.constructor_new(new Uint8Array(32).fill(seed), 1_700_000_000n, 0);
  const id = km.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node) as ldk.Result_PublicKeyNoneZ_OK;
  return { km, nodeId: id.res, secret: km.get_node_secret_key() };
}

const lsp = keys(0x4c);
const client = keys(0x43);
const interceptScid = (800_000n << 40n) | (7n << 16n) | 1n;
const relay = { cltvExpiryDelta: 144, feeProportionalMillionths: 0, feeBaseMsat: 0 };
const maxCltvExpiry = 802_016;

// --- blinded payment paths -------------------------------------------------------------------
const payer = getPublicKey(new Uint8Array(32).fill(0x44));
const receiveTlvs = ldk.UnauthenticatedReceiveTlvs.constructor_new(
  new Uint8Array(32).fill(5),
  ldk.PaymentConstraints.constructor_new(maxCltvExpiry, 1n),
  ldk.PaymentContext.constructor_bolt12_offer(
    ldk.Bolt12OfferContext.constructor_new(
      ldk.OfferId.constructor_new(new Uint8Array(32).fill(9)),
      ldk.InvoiceRequestFields.constructor_new(payer, ldk.Option_u64Z.constructor_none(), null, null),
    ),
  ),
).authenticate(
  ldk.Nonce.constructor_from_entropy_source(client.km.as_EntropySource()),
  ldk.ExpandedKey.constructor_new(new Uint8Array(32).fill(3)),
);
const entropy = client.km.as_EntropySource();
const ldkForwardNode = () =>
  ldk.PaymentForwardNode.constructor_new(
    ldk.ForwardTlvs.constructor_new(
      interceptScid,
      ldk.PaymentRelay.constructor_new(144, 0, 0),
      ldk.PaymentConstraints.constructor_new(maxCltvExpiry + 24 + 144, 1n),
      ldk.BlindedHopFeatures.constructor_empty(),
      null,
    ),
    lsp.nodeId,
    0xffff_ffff_ffff_ffffn,
  );
const prebuiltNode = ldkForwardNode();
const ldkBuild = (node: ldk.PaymentForwardNode) => {
  const r = ldk.BlindedPaymentPath.constructor_new(
    [node],
    client.nodeId,
    receiveTlvs,
    0xffff_ffff_ffff_ffffn,
    24,
    entropy,
  );
  if (!(r instanceof ldk.Result_BlindedPaymentPathNoneZ_OK))
    throw new Error('LDK BlindedPaymentPath.constructor_new failed');
};
const pathId = new Uint8Array(32).fill(0x77);
const oursBuild = () =>
  buildBlindedPaymentPath({
    sessionKey: randomBytes(32),
    forwardHops: [{ nodeId: lsp.nodeId, shortChannelId: interceptScid, relay }],
    recipient: { nodeId: client.nodeId, pathId, constraints: { maxCltvExpiry, htlcMinimumMsat: 1n } },
    minFinalCltvExpiryDelta: 24,
  });

const PATHS = Number(process.env.BENCH_PATHS ?? 2000);
const pathSeconds = await race(
  [
    { name: 'ours', run: () => void oursBuild() },
    { name: 'ldk', run: () => ldkBuild(ldkForwardNode()) },
    { name: 'ldk-core', run: () => ldkBuild(prebuiltNode) },
  ],
  PATHS,
  250,
  100,
);

// --- onion-message layers peeled --------------------------------------------------------------
// A 3-hop message: the LSP (LDK keys, so LDK can peel the same bytes) -> a relay -> the client.
const relayNode = keys(0x52);
const { path: clientPath } = buildBlindedMessagePath({
  sessionKey: randomBytes(32),
  forwardNodeIds: [lsp.nodeId, relayNode.nodeId],
  recipientNodeId: client.nodeId,
  recipientData: { pathId },
});
const MESSAGES = 64;
const wires = Array.from({ length: MESSAGES }, () =>
  encodeOnionMessage(
    buildOnionMessage({
      sessionKey: randomBytes(32),
      blindingSessionKey: randomBytes(32),
      intermediateNodeIds: [],
      destination: { kind: 'blindedPath', path: clientPath },
      contents: { invoiceRequest: randomBytes(300) },
    }).message,
    { withType: false },
  ),
);
const ldkMsgs = wires.map((w) => (ldk.OnionMessage.constructor_read(w) as ldk.Result_OnionMessageDecodeErrorZ_OK).res);
const logger = ldk.Logger.new_impl({ log() {} });
const ignoring = ldk.IgnoringMessageHandler.constructor_new();
const custom = ignoring.as_CustomOnionMessageHandler();
const signer = lsp.km.as_NodeSigner();
const oursPeel = (i: number) => {
  const r = peelOnionMessage(decodeOnionMessage(wires[i % MESSAGES], { withType: false }), lsp.secret);
  if (r.kind !== 'forward') throw new Error('expected a forward');
};
const ldkPeel = (i: number) => {
  const r = ldk.UtilMethods.constructor_peel_onion_message(ldkMsgs[i % MESSAGES], signer, logger, custom);
  if (!(r instanceof ldk.Result_PeeledOnionNoneZ_OK)) throw new Error('LDK peel_onion_message failed');
};
const PEELS = Number(process.env.BENCH_PEELS ?? 2000);
const peelSeconds = await race(
  [
    { name: 'ours', run: oursPeel },
    { name: 'ldk', run: ldkPeel },
  ],
  PEELS,
  250,
  100,
);

// --- report -----------------------------------------------------------------------------------
const rate = (n: number, s: number) => n / s;
const fmt = (n: number) => n.toFixed(0).padStart(8);
const p = (name: string, n: number, s: number) =>
  console.log(`  ${name.padEnd(72)} ${fmt(rate(n, s))} /s  (${n} in ${s.toFixed(2)} s)`);
console.log(`blinded payment paths built (1 forwarding hop + recipient), ${PATHS} each, interleaved:`);
p('ours  buildBlindedPaymentPath (data, padding, blinding, payinfo)', PATHS, pathSeconds.get('ours')!);
p('LDK   ForwardTlvs+PaymentForwardNode+BlindedPaymentPath.constructor_new', PATHS, pathSeconds.get('ldk')!);
p('LDK   BlindedPaymentPath.constructor_new alone (prebuilt arguments)', PATHS, pathSeconds.get('ldk-core')!);
console.log(
  `  ratio ours / LDK (router-equivalent): ${(pathSeconds.get('ldk')! / pathSeconds.get('ours')!).toFixed(2)}x   (vs constructor_new alone: ${(pathSeconds.get('ldk-core')! / pathSeconds.get('ours')!).toFixed(2)}x; goal >= 1.0x)`,
);
console.log(
  `onion-message layers peeled (first hop of a 3-hop message, 1366-byte packet), ${PEELS} each, interleaved:`,
);
p('ours  decodeOnionMessage + peelOnionMessage', PEELS, peelSeconds.get('ours')!);
p('LDK   peel_onion_message', PEELS, peelSeconds.get('ldk')!);
console.log(`  ratio ours / LDK: ${(peelSeconds.get('ldk')! / peelSeconds.get('ours')!).toFixed(2)}x`);
