/** Real LDK objects for router tests: WASM init, key material, authenticated ReceiveTlvs, hop decryption. */
import * as ldk from 'lightningdevkit';
import { initLdk as initEngineLdk } from '@jitlsp/engine/node';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmacSha256, toHex } from '@jitlsp/shared/crypto';
import { decodeTlvStream, ByteReader } from '@jitlsp/shared/tlv';

/**
 * The engine's once-per-process init: initialising the bindings a second time (e.g. router tests and the
 * integration tests in one mocha run) would swap the WASM instance under live objects.
 */
export function initLdk(): Promise<void> {
  return initEngineLdk();
}

export interface Keys {
  km: ldk.KeysManager;
  nodeId: Uint8Array;
  nodeIdHex: string;
}

const keyCache = new Map<number, Keys>();

/** Cached per seed: a KeysManager must outlive every object derived from it (WASM finalizers run in any order). */
export function makeKeys(seedByte: number): Keys {
  const cached = keyCache.get(seedByte);
  if (cached) return cached;
  const km = ldk.KeysManager.constructor_new(new Uint8Array(32).fill(seedByte), 1_700_000_000n, 0);
  const res = km.as_NodeSigner().get_node_id(ldk.Recipient.LDKRecipient_Node);
  if (!(res instanceof ldk.Result_PublicKeyNoneZ_OK)) throw new Error('no node id');
  const keys = { km, nodeId: res.res, nodeIdHex: Buffer.from(res.res).toString('hex') };
  keyCache.set(seedByte, keys);
  return keys;
}

export interface TlvsOptions {
  offerId?: Uint8Array;
  payerKey?: Uint8Array;
  maxCltvExpiry?: number;
  paymentSecret?: Uint8Array;
  refund?: boolean;
}

/** ReceiveTlvs as LDK hands them to the router: authenticated, with a BOLT 12 offer context. */
export function makeTlvs(keys: Keys, o: TlvsOptions = {}): ldk.ReceiveTlvs {
  const payer = o.payerKey ?? makeKeys(99).nodeId;
  const ctx = o.refund
    ? ldk.PaymentContext.constructor_bolt12_refund(ldk.Bolt12RefundContext.constructor_new())
    : ldk.PaymentContext.constructor_bolt12_offer(
        ldk.Bolt12OfferContext.constructor_new(
          ldk.OfferId.constructor_new(o.offerId ?? new Uint8Array(32).fill(9)),
          ldk.InvoiceRequestFields.constructor_new(
            payer,
            ldk.Option_u64Z.constructor_none(),
            null,
            null as unknown as ldk.HumanReadableName,
          ),
        ),
      );
  const unauth = ldk.UnauthenticatedReceiveTlvs.constructor_new(
    o.paymentSecret ?? new Uint8Array(32).fill(1),
    ldk.PaymentConstraints.constructor_new(o.maxCltvExpiry ?? 1000, 1n),
    ctx,
  );
  return unauth.authenticate(
    ldk.Nonce.constructor_from_entropy_source(keys.km.as_EntropySource()),
    ldk.ExpandedKey.constructor_new(new Uint8Array(32).fill(3)),
  );
}

/** An inner router that answers with one one-hop path to the recipient (or fails), counting calls. */
export function stubInner(
  keys: Keys,
  fail = false,
): { router: ldk.Router; calls: { blinded: number; findRoute: number } } {
  const calls = { blinded: 0, findRoute: 0 };
  const err = () =>
    ldk.Result_RouteLightningErrorZ.constructor_err(
      ldk.LightningError.constructor_new('stub', ldk.ErrorAction.constructor_ignore_error()),
    );
  const router = ldk.Router.new_impl({
    find_route: () => {
      calls.findRoute++;
      return err();
    },
    find_route_with_id: () => {
      calls.findRoute++;
      return err();
    },
    create_blinded_payment_paths: (recipient, _hops, tlvs) => {
      calls.blinded++;
      if (fail) return ldk.Result_CVec_BlindedPaymentPathZNoneZ.constructor_err();
      const one = ldk.BlindedPaymentPath.constructor_one_hop(recipient, tlvs, 24, keys.km.as_EntropySource());
      if (!(one instanceof ldk.Result_BlindedPaymentPathNoneZ_OK)) throw new Error('one_hop failed');
      return ldk.Result_CVec_BlindedPaymentPathZNoneZ.constructor_ok([one.res]);
    },
  });
  return { router, calls };
}

export interface DecodedForwardHop {
  shortChannelId: bigint;
  cltvExpiryDelta: number;
  feeProportionalMillionths: number;
  feeBaseMsat: number;
  maxCltvExpiry: number;
  htlcMinimumMsat: bigint;
}

/**
 * Decrypts the first hop's `encrypted_recipient_data` as the LSP would (BOLT 4 route blinding:
 * ss = ECDH(lsp key, path key), rho = HMAC("rho", ss), ChaCha20-Poly1305 with a zero nonce) and reads
 * the forward TLVs: 2 short_channel_id, 10 payment_relay, 12 payment_constraints.
 */
export function decryptFirstHop(path: ldk.BlindedPaymentPath, lsp: Keys): DecodedForwardHop {
  const ss = lsp.km
    .as_NodeSigner()
    .ecdh(ldk.Recipient.LDKRecipient_Node, path.blinding_point(), ldk.Option_BigEndianScalarZ.constructor_none());
  if (!(ss instanceof ldk.Result_ThirtyTwoBytesNoneZ_OK)) throw new Error('ecdh failed');
  const rho = hmacSha256(new TextEncoder().encode('rho'), ss.res);
  const hop = path.blinded_hops()[0];
  if (!hop) throw new Error('no hops');
  const plain = chacha20poly1305(rho, new Uint8Array(12)).decrypt(hop.get_encrypted_payload());
  const out: Partial<DecodedForwardHop> = {};
  for (const rec of decodeTlvStream(plain)) {
    const r = new ByteReader(rec.value);
    if (rec.type === 2n) out.shortChannelId = r.u64();
    if (rec.type === 10n) {
      out.cltvExpiryDelta = r.u16();
      out.feeProportionalMillionths = r.u32();
      out.feeBaseMsat = Number(r.tu64(r.remaining));
    }
    if (rec.type === 12n) {
      out.maxCltvExpiry = r.u32();
      out.htlcMinimumMsat = r.tu64(r.remaining);
    }
  }
  return out as DecodedForwardHop;
}

export const hex = (b: Uint8Array): string => toHex(b);
