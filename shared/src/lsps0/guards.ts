/**
 * Small assert-and-return guards for JSON values read from peers (bLIP-50 "Common Schemas").
 * Each failure is an `Lsps0FormatError` whose message reads `field: expected X, got Y`.
 */
import { Lsps0FormatError } from './errors.js';

/** A short, escaped description of a value for error messages (never the whole of a long string). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return value.length > 40
        ? `${JSON.stringify(value.slice(0, 40))}… (${value.length} chars)`
        : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'nothing';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function fail(field: string, expected: string, value: unknown): never {
  throw new Lsps0FormatError(field, `${field}: expected ${expected}, got ${describeValue(value)}`);
}

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectObject(value: unknown, field: string): Record<string, unknown> {
  if (!isJsonObject(value)) fail(field, 'an object', value);
  return value;
}

export function expectString(value: unknown, field: string): string {
  if (typeof value !== 'string') fail(field, 'a string', value);
  return value;
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail(field, 'a boolean', value);
  return value;
}

/** A JSON integral number in [0, max] (LSPS0.ppm, block counts, CLTV deltas). */
export function expectUint(value: unknown, field: string, max: number, what = 'an integer'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    fail(field, `${what} in 0..${max}`, value);
  }
  return value;
}

export const U16_MAX = 0xffff;
export const U32_MAX = 0xffff_ffff;

/** Own-property lookup: JSON keys such as `__proto__` or `constructor` are data, never inherited. */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

export function hasOwn(obj: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}
