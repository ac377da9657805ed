/**
 * Boundary guards shared by the BOLT 4 modules: each returns its value or throws an
 * {@link OnionError} naming the field (`Scope/field: expected X, got Y`).
 */
import { isValidPublicKey } from '../crypto/secp256k1.js';
import { OnionError } from './onion-error.js';

export function checkPubkey(
  value: Uint8Array,
  field: string,
  code: 'bad-pubkey' | 'invalid-argument' = 'bad-pubkey',
): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 33) {
    throw new OnionError(code, `${field}: expected a 33-byte compressed public key, got ${describe(value)}`);
  }
  if (!isValidPublicKey(value))
    throw new OnionError(code, `${field}: expected a valid secp256k1 point, got an invalid one`);
  return value;
}

export function checkPrivkey(value: Uint8Array, field: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== 32) {
    throw new OnionError('invalid-argument', `${field}: expected a 32-byte private key, got ${describe(value)}`);
  }
  return value;
}

export function checkBytes(value: Uint8Array, length: number, field: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new OnionError('invalid-argument', `${field}: expected ${length} bytes, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length} bytes` : typeof value;
}
