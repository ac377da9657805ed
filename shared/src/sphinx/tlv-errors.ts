/**
 * Runs a TLV decoding step and converts its failures into {@link OnionError}, so that every BOLT 4
 * decoder throws one error type. `TlvError('unknown-even')` keeps its meaning (BOLT 1: a reader MUST
 * fail on an unknown even type); every other TLV failure is 'invalid-tlv'.
 */
import { TlvError } from '../tlv/index.js';
import { OnionError } from './onion-error.js';

export function decodingTlv<T>(scope: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof OnionError) throw e;
    if (e instanceof TlvError)
      throw new OnionError(e.code === 'unknown-even' ? 'unknown-even' : 'invalid-tlv', `${scope}: ${e.message}`, {
        cause: e,
      });
    throw new OnionError('invalid-tlv', `${scope}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
