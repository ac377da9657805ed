/**
 * `invoice_error` (BOLT 12 "Invoice Errors"): the informative error returned in an onion message for
 * an invoice_request or an invoice. It has no string form. The reader section of the spec is still
 * "FIXME", so the decoder applies the writer's rules (an `error` string; `suggested_value` only
 * with `erroneous_field`) plus BOLT 1's unknown-even rule.
 */
import { check } from './errors.js';
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
