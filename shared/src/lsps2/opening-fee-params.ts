/**
 * bLIP-52 "1. API Information": the `opening_fee_params` object. It has exactly eight fields
 * and MUST NOT have more; a client MUST abort on an unrecognised field; the promise is at most
 * 512 bytes as a UTF-8 JSON string (without the quotes), printable ASCII, needing no escapes.
 */
import { type Lsps0Datetime, parseDatetime } from '../lsps0/datetime.js';
import { Lsps0FormatError } from '../lsps0/errors.js';
import { U32_MAX, expectObject, expectUint, fail, own } from '../lsps0/guards.js';
import { formatMsat, parseMsat } from '../lsps0/msat.js';

export interface OpeningFeeParams {
  /** The least fee the LSP charges, whatever the payment size. */
  minFeeMsat: bigint;
  /** Parts per million of the payment size (LSPS0.ppm). */
  proportional: number;
  /** Until when these params are valid; also the deadline for the whole JIT flow. */
  validUntil: Lsps0Datetime;
  /** Blocks after confirmation during which the LSP will not close the paid-for channel. */
  minLifetime: number;
  /** The largest `to_self_delay` the client may impose on the LSP. */
  maxClientToSelfDelay: number;
  /** Inclusive bounds of the payment size. */
  minPaymentSizeMsat: bigint;
  maxPaymentSizeMsat: bigint;
  /** LSP-made, opaque to the client, echoed verbatim. */
  promise: string;
}

/** The seven fields the promise commits to. */
export type UnsignedOpeningFeeParams = Omit<OpeningFeeParams, 'promise'>;

/** The wire keys, in the spec's order. */
export const OPENING_FEE_PARAMS_FIELDS = [
  'min_fee_msat',
  'proportional',
  'valid_until',
  'min_lifetime',
  'max_client_to_self_delay',
  'min_payment_size_msat',
  'max_payment_size_msat',
  'promise',
] as const;

/** bLIP-52: "no longer than 512 bytes (not including the `"` delimiters) when encoded as a UTF8-encoded JSON string". */
export const MAX_PROMISE_BYTES = 512;

const utf8 = new TextEncoder();

/** The promise's length in bytes as it appears inside a JSON string (escapes counted). */
export function promiseJsonByteLength(promise: string): number {
  return utf8.encode(JSON.stringify(promise)).length - 2;
}

/**
 * Reads an `opening_fee_params` object, refusing unknown and missing fields (bLIP-52: clients
 * MUST abort on unrecognised fields) and promises over 512 bytes (clients MUST abort). The
 * promise is otherwise not interpreted.
 * @throws Lsps0FormatError naming the field, e.g. `lsps2.buy/opening_fee_params.min_fee_msat: expected ...`
 */
export function parseOpeningFeeParams(value: unknown, field: string): OpeningFeeParams {
  const obj = expectObject(value, field);
  for (const key of Object.keys(obj)) {
    if (!(OPENING_FEE_PARAMS_FIELDS as readonly string[]).includes(key)) {
      throw new Lsps0FormatError(
        `${field}.${key}`,
        `${field}: expected only the 8 opening_fee_params fields, got unrecognised field ${JSON.stringify(key.slice(0, 40))}`,
      );
    }
  }
  const promise = own(obj, 'promise');
  if (typeof promise !== 'string') fail(`${field}.promise`, 'a string', promise);
  const promiseBytes = promiseJsonByteLength(promise);
  if (promiseBytes > MAX_PROMISE_BYTES) {
    throw new Lsps0FormatError(
      `${field}.promise`,
      `${field}.promise: expected at most ${MAX_PROMISE_BYTES} bytes, got ${promiseBytes} bytes`,
    );
  }
  return {
    minFeeMsat: parseMsat(own(obj, 'min_fee_msat'), `${field}.min_fee_msat`),
    proportional: expectUint(own(obj, 'proportional'), `${field}.proportional`, U32_MAX, 'LSPS0.ppm (an integer)'),
    validUntil: parseDatetime(own(obj, 'valid_until'), `${field}.valid_until`),
    minLifetime: expectUint(own(obj, 'min_lifetime'), `${field}.min_lifetime`, U32_MAX, 'a block count'),
    maxClientToSelfDelay: expectUint(
      own(obj, 'max_client_to_self_delay'),
      `${field}.max_client_to_self_delay`,
      U32_MAX,
      'a block count',
    ),
    minPaymentSizeMsat: parseMsat(own(obj, 'min_payment_size_msat'), `${field}.min_payment_size_msat`),
    maxPaymentSizeMsat: parseMsat(own(obj, 'max_payment_size_msat'), `${field}.max_payment_size_msat`),
    promise,
  };
}

/**
 * The wire object, keys in the spec's order. `valid_until` is written as the text it was read
 * from, so a client's buy echoes the LSP's params verbatim (bLIP-52 MUST).
 */
export function openingFeeParamsToWire(p: OpeningFeeParams): Record<string, unknown> {
  return {
    min_fee_msat: formatMsat(p.minFeeMsat, 'min_fee_msat'),
    proportional: checkUint(p.proportional, 'proportional'),
    valid_until: p.validUntil.text,
    min_lifetime: checkUint(p.minLifetime, 'min_lifetime'),
    max_client_to_self_delay: checkUint(p.maxClientToSelfDelay, 'max_client_to_self_delay'),
    min_payment_size_msat: formatMsat(p.minPaymentSizeMsat, 'min_payment_size_msat'),
    max_payment_size_msat: formatMsat(p.maxPaymentSizeMsat, 'max_payment_size_msat'),
    promise: p.promise,
  };
}

/**
 * The LSP's rules for a promise it makes (bLIP-52): at most 512 bytes, printable ASCII only, and
 * no character that JSON would escape (`"` and `\`). Throws RangeError otherwise.
 */
export function assertPromiseFormat(promise: string): string {
  if (promise.length > MAX_PROMISE_BYTES) {
    throw new RangeError(`promise: expected at most ${MAX_PROMISE_BYTES} bytes, got ${promise.length}`);
  }
  if (!/^[\x20-\x7e]*$/.test(promise) || /["\\]/.test(promise)) {
    throw new RangeError('promise: expected printable ASCII without " or \\');
  }
  return promise;
}

function checkUint(v: number, field: string): number {
  if (!Number.isInteger(v) || v < 0 || v > U32_MAX)
    throw new RangeError(`opening_fee_params.${field}: expected a u32, got ${v}`);
  return v;
}
