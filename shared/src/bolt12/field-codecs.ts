/**
 * Value codecs for the data types of BOLT 12 TLV fields (BOLT 1 fundamental types plus the BOLT 12
 * and BOLT-recurrence subtypes). Each decodes one record's value completely (trailing bytes are an
 * error), encodes canonically, and renders JSON for the `jitlsp decode` command. Canonical
 * encoding plus strict decoding is what makes `encode(decode(x))` byte-identical.
 */
import { isValidPublicKey, toHex } from '../crypto/index.js';
import { ByteReader, ByteWriter, decodeTu32, decodeTu64, encodeTu32, encodeTu64 } from '../tlv/index.js';
import {
  decodeBlindedPayInfos,
  decodeBlindedPaths,
  encodeBlindedPayInfos,
  encodeBlindedPaths,
  type BlindedPath,
  type BlindedPayInfo,
} from '../wire/index.js';
import { Bolt12Error } from './errors.js';
import type { Bip353Name, FallbackAddress, Recurrence, RecurrenceBase, RecurrencePaywindow } from './field-types.js';

export interface FieldCodec<T> {
  /** `name` is the spec's field name, for errors; `offset` is where the value starts in the stream. */
  decode(value: Uint8Array, name: string, offset: number): T;
  encode(v: T): Uint8Array;
  json(v: T): unknown;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export const bytes: FieldCodec<Uint8Array> = {
  decode: (v) => v,
  encode: (v) => v,
  json: (v) => toHex(v),
};

export const utf8: FieldCodec<string> = {
  decode(v, name) {
    try {
      return utf8Decoder.decode(v);
    } catch {
      throw new Bolt12Error('field.utf8', `${name} is not valid UTF-8`);
    }
  },
  encode: (v) => utf8Encoder.encode(v),
  json: (v) => v,
};

export const tu64: FieldCodec<bigint> = {
  decode: (v, _name, offset) => decodeTu64(v, offset),
  encode: (v) => encodeTu64(v),
  json: (v) => v.toString(),
};

export const tu32: FieldCodec<number> = {
  decode: (v, _name, offset) => decodeTu32(v, offset),
  encode: (v) => encodeTu32(v),
  json: (v) => v,
};

function fixed(length: number): FieldCodec<Uint8Array> {
  return {
    decode(v, name) {
      if (v.length !== length)
        throw new Bolt12Error('field.fixed-length', `${name}: expected ${length} bytes, got ${v.length}`);
      return v;
    },
    encode: (v) => v,
    json: (v) => toHex(v),
  };
}

export const sha256Hash = fixed(32);
export const chainHash = fixed(32);
export const bip340sig = fixed(64);

export const point: FieldCodec<Uint8Array> = {
  decode(v, name) {
    if (!isValidPublicKey(v)) throw new Bolt12Error('field.point', `${name} is not a valid compressed point`);
    return v;
  },
  encode: (v) => v,
  json: (v) => toHex(v),
};

export const chainHashes: FieldCodec<Uint8Array[]> = {
  decode(v, name) {
    if (v.length % 32 !== 0)
      throw new Bolt12Error('field.chain-hashes', `${name}: ${v.length} bytes is not a multiple of 32`);
    const out: Uint8Array[] = [];
    for (let i = 0; i < v.length; i += 32) out.push(v.subarray(i, i + 32));
    return out;
  },
  encode: (v) => concat(v),
  json: (v) => v.map(toHex),
};

/** `short_channel_id` as `BLOCKxTXxOUTPUT` (BOLT 7). */
export function scidToString(scid: bigint): string {
  return `${scid >> 40n}x${(scid >> 16n) & 0xffffffn}x${scid & 0xffffn}`;
}

export const blindedPaths: FieldCodec<BlindedPath[]> = {
  decode(v, name, offset) {
    const paths = decodeBlindedPaths(v, name, offset);
    // The wire codec checks framing; BOLT 12/BOLT 4 points must also be on the curve.
    paths.forEach((p, i) => {
      if (p.introduction.kind === 'nodeId' && !isValidPublicKey(p.introduction.nodeId)) {
        throw new Bolt12Error('field.blinded-path', `${name}[${i}].first_node_id is not a valid point`);
      }
      if (!isValidPublicKey(p.firstPathKey))
        throw new Bolt12Error('field.blinded-path', `${name}[${i}].first_path_key is not a valid point`);
      p.hops.forEach((h, j) => {
        if (!isValidPublicKey(h.blindedNodeId)) {
          throw new Bolt12Error('field.blinded-path', `${name}[${i}].hops[${j}].blinded_node_id is not a valid point`);
        }
      });
    });
    return paths;
  },
  encode: (v) => encodeBlindedPaths(v),
  json: (v) =>
    v.map((p) => ({
      first_node_id:
        p.introduction.kind === 'nodeId'
          ? toHex(p.introduction.nodeId)
          : { short_channel_id: scidToString(p.introduction.scid), direction: p.introduction.direction },
      first_path_key: toHex(p.firstPathKey),
      hops: p.hops.map((h) => ({
        blinded_node_id: toHex(h.blindedNodeId),
        encrypted_recipient_data: toHex(h.encryptedRecipientData),
      })),
    })),
};

export const blindedPayInfos: FieldCodec<BlindedPayInfo[]> = {
  decode: (v, name, offset) => decodeBlindedPayInfos(v, name, offset),
  encode: (v) => encodeBlindedPayInfos(v),
  json: (v) =>
    v.map((p) => ({
      fee_base_msat: p.feeBaseMsat,
      fee_proportional_millionths: p.feeProportionalMillionths,
      cltv_expiry_delta: p.cltvExpiryDelta,
      htlc_minimum_msat: p.htlcMinimumMsat.toString(),
      htlc_maximum_msat: p.htlcMaximumMsat.toString(),
      features: toHex(p.features),
    })),
};

export const fallbackAddresses: FieldCodec<FallbackAddress[]> = {
  decode(v, name, offset) {
    const r = new ByteReader(v, name, offset);
    const out: FallbackAddress[] = [];
    while (!r.done()) {
      const version = r.u8();
      out.push({ version, address: r.bytes(r.u16()) });
    }
    return out;
  },
  encode(v) {
    const w = new ByteWriter();
    for (const f of v) w.u8(f.version).u16(f.address.length).bytes(f.address);
    return w.finish();
  },
  json: (v) => v.map((f) => ({ version: f.version, address: toHex(f.address) })),
};

export const recurrence: FieldCodec<Recurrence> = {
  decode(v, name, offset) {
    const r = new ByteReader(v, name, offset);
    const timeUnit = r.u8();
    return { timeUnit, period: r.tu32() };
  },
  encode: (v) => new ByteWriter().u8(v.timeUnit).tu32(v.period).finish(),
  json: (v) => ({ time_unit: v.timeUnit, period: v.period }),
};

export const recurrenceBase: FieldCodec<RecurrenceBase> = {
  decode(v, name, offset) {
    const r = new ByteReader(v, name, offset);
    const proportionalAmount = r.u8();
    return { proportionalAmount, basetime: r.tu64() };
  },
  encode: (v) => new ByteWriter().u8(v.proportionalAmount).tu64(v.basetime).finish(),
  json: (v) => ({ proportional_amount: v.proportionalAmount, basetime: v.basetime.toString() }),
};

export const recurrencePaywindow: FieldCodec<RecurrencePaywindow> = {
  decode(v, name, offset) {
    const r = new ByteReader(v, name, offset);
    const secondsBefore = r.u32();
    return { secondsBefore, secondsAfter: r.tu32() };
  },
  encode: (v) => new ByteWriter().u32(v.secondsBefore).tu32(v.secondsAfter).finish(),
  json: (v) => ({ seconds_before: v.secondsBefore, seconds_after: v.secondsAfter }),
};

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);
const fromLatin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

export const bip353Name: FieldCodec<Bip353Name> = {
  decode(v, name, offset) {
    const r = new ByteReader(v, name, offset);
    const n = r.bytes(r.u8());
    const d = r.bytes(r.u8());
    r.end();
    return { name: latin1(n), domain: latin1(d) };
  },
  encode(v) {
    const n = fromLatin1(v.name);
    const d = fromLatin1(v.domain);
    return new ByteWriter().u8(n.length).bytes(n).u8(d.length).bytes(d).finish();
  },
  json: (v) => ({ name: v.name, domain: v.domain }),
};

/** A field with no data (`invreq_recurrence_cancel`). */
export const flag: FieldCodec<true> = {
  decode(v, name) {
    if (v.length !== 0) throw new Bolt12Error('field.empty', `${name}: expected 0 bytes, got ${v.length}`);
    return true;
  },
  encode: () => EMPTY,
  json: () => true,
};

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
