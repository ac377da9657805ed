/**
 * `invoice_error` (BOLT 12 "Invoice Errors"): the informative error returned in an onion message for
 * an invoice_request or an invoice. It has no string form. The reader section of the spec is still
 * "FIXME", so the decoder applies the writer's rules (an `error` string; `suggested_value` only
 * with `erroneous_field`) plus BOLT 1's unknown-even rule.
 */
import { BigSize } from '../tlv/index.js';
import { check, type Bolt12Error } from './errors.js';
import type { InvoiceErrorFields, UnknownField } from './field-types.js';
import { INVOICE_ERROR_FIELDS, table } from './registry.js';
import { parseRecords, readFields, writeFields } from './tlv-fields.js';

export const INVOICE_ERROR_TABLE = table(INVOICE_ERROR_FIELDS);

export type InvoiceError = InvoiceErrorFields & { error: string; readonly unknownFields: UnknownField[] };

export function checkInvoiceErrorFields(e: InvoiceErrorFields): void {
  check(e.error !== undefined, 'invoice_error.missing-error', undefined, 5n);
  check(
    e.suggestedValue === undefined || e.erroneousField !== undefined,
    'invoice_error.suggested-without-field',
    undefined,
    3n,
  );
}

export function decodeInvoiceErrorBytes(bytes: Uint8Array): InvoiceError {
  const records = parseRecords(bytes, 'invoice_error');
  const { fields, unknownFields } = readFields<InvoiceErrorFields>(
    records,
    INVOICE_ERROR_TABLE,
    'invoice_error',
    () => undefined,
  );
  checkInvoiceErrorFields(fields);
  return Object.assign(fields, { unknownFields }) as InvoiceError;
}

export function encodeInvoiceErrorBytes(
  e: InvoiceErrorFields & { unknownFields?: readonly UnknownField[] },
): Uint8Array {
  checkInvoiceErrorFields(e);
  return writeFields(e, e.unknownFields ?? [], INVOICE_ERROR_TABLE);
}

/**
 * Decodes the value of an onion message's `invoice_error` field (onionmsg_tlv type 68). BOLT 12 puts
 * the bare TLV stream there; LDK 0.1 writes it length-prefixed (`write_tlv_fields!`: a BigSize length,
 * then the stream, e.g. `03 05 01 78`). The prefixed form is taken when its length covers exactly the
 * rest of the value and the rest decodes; otherwise the bare stream.
 */
export function decodeInvoiceErrorPayload(value: Uint8Array): InvoiceError {
  const prefixed = lengthPrefixedBody(value);
  if (prefixed) {
    try {
      return decodeInvoiceErrorBytes(prefixed);
    } catch {
      // Not LDK's form after all: a bare stream whose first type happens to equal its length.
    }
  }
  return decodeInvoiceErrorBytes(value);
}

/**
 * The value of an onion message's `invoice_error` field. `ldkFraming` writes LDK 0.1's length-prefixed
 * form, which is what an LDK 0.1 reader expects (it reads the field with `read_tlv_fields!`).
 */
export function encodeInvoiceErrorPayload(
  e: InvoiceErrorFields & { unknownFields?: readonly UnknownField[] },
  opts: { ldkFraming?: boolean } = {},
): Uint8Array {
  const stream = encodeInvoiceErrorBytes(e);
  if (!opts.ldkFraming) return stream;
  const len = BigSize.encode(BigInt(stream.length));
  const out = new Uint8Array(len.length + stream.length);
  out.set(len, 0);
  out.set(stream, len.length);
  return out;
}

function lengthPrefixedBody(value: Uint8Array): Uint8Array | undefined {
  try {
    const { value: len, length } = BigSize.decode(value, 0);
    return len > 0n && len === BigInt(value.length - length) ? value.subarray(length) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `invoice_error` answering a rejected message: `erroneous_field` is the TLV type the broken rule
 * concerns (when it has one) and `error` names the rule, so the payer learns which field to fix.
 */
export function invoiceErrorFor(e: Bolt12Error, suggestedValue?: Uint8Array): InvoiceErrorFields & { error: string } {
  const out: InvoiceErrorFields & { error: string } = { error: e.message };
  if (e.type !== undefined) {
    out.erroneousField = e.type;
    if (suggestedValue) out.suggestedValue = suggestedValue;
  }
  return out;
}
