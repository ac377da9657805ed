/**
 * Between TLV records and typed fields, for every BOLT 12 stream: decode each known record with
 * its codec, keep unknown odd records verbatim (BOLT 1 "it's OK to be odd"), reject unknown even
 * ones, and encode back in ascending type order. Errors of the TLV layer become `Bolt12Error`s
 * naming the BOLT 1 rule.
 */
import { toHex } from '../crypto/index.js';
import { decodeTlvStream, encodeTlvStream, TlvError, type TlvRecord } from '../tlv/index.js';
import { Bolt12Error } from './errors.js';
import type { AnyFields, UnknownField } from './field-types.js';
import type { FieldTable } from './registry.js';
import type { Bolt12Rule } from './rules.js';

export function toBolt12Error(e: unknown, context?: string): unknown {
  if (e instanceof TlvError)
    return new Bolt12Error(`tlv.${e.code}`, context ? `${context}: ${e.message}` : e.message, e.type);
  return e;
}

/** Decodes a TLV stream; a BOLT 12 message has at least one record. */
export function parseRecords(bytes: Uint8Array, scope: string): TlvRecord[] {
  let records: TlvRecord[];
  try {
    records = decodeTlvStream(bytes, scope);
  } catch (e) {
    throw toBolt12Error(e);
  }
  if (records.length === 0) throw new Bolt12Error('tlv.empty', `${scope} has no fields`);
  return records;
}

export type DecodedFields<T> = { fields: T; unknownFields: UnknownField[] };

/**
 * Decodes the records with `table`. `rangeRule(type)` returns the rule a type breaks by its number
 * alone (e.g. an offer field outside 1-79), checked before anything else about that record.
 */
export function readFields<T extends object>(
  records: readonly TlvRecord[],
  table: FieldTable,
  scope: string,
  rangeRule: (type: bigint) => Bolt12Rule | undefined,
): DecodedFields<T> {
  const fields: Record<string, unknown> = {};
  const unknownFields: UnknownField[] = [];
  for (const r of records) {
    const broken = rangeRule(r.type);
    if (broken) throw new Bolt12Error(broken, `${scope} has type ${r.type}`, r.type);
    const spec = table.byType.get(r.type);
    if (spec) {
      try {
        fields[spec.key] = spec.codec.decode(r.value, spec.name, r.offset);
      } catch (e) {
        throw toBolt12Error(e, spec.name);
      }
    } else if ((r.type & 1n) === 0n) {
      throw new Bolt12Error('tlv.unknown-even', `${scope} has unknown type ${r.type}`, r.type);
    } else {
      unknownFields.push({ type: r.type, value: r.value });
    }
  }
  return { fields: fields as T, unknownFields };
}

/** Encodes known fields and unknown records together, in ascending type order. */
export function fieldRecords(
  fields: AnyFields,
  unknownFields: readonly UnknownField[],
  table: FieldTable,
): UnknownField[] {
  const out: UnknownField[] = [];
  for (const spec of table.list) {
    const v = fields[spec.key];
    if (v !== undefined) out.push({ type: spec.type, value: spec.codec.encode(v) });
  }
  for (const u of unknownFields) {
    if (table.byType.has(u.type)) throw new RangeError(`unknown field type ${u.type} is a known field of this message`);
    out.push(u);
  }
  return out.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

export function writeFields(fields: AnyFields, unknownFields: readonly UnknownField[], table: FieldTable): Uint8Array {
  return encodeTlvStream(fieldRecords(fields, unknownFields, table));
}

/** JSON view: every present field by its spec name, in type order, then unknown fields as {type, hex}. */
export function fieldsToJson(
  fields: AnyFields,
  unknownFields: readonly UnknownField[],
  table: FieldTable,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of table.list) {
    const v = fields[spec.key];
    if (v !== undefined) out[spec.name] = spec.codec.json(v);
  }
  out.unknown_fields = unknownFields.map((u) => ({
    type: u.type.toString(),
    hex: toHex(u.value),
  }));
  return out;
}
