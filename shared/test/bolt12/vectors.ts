import { fromHex, toHex } from '../../src/crypto/hex.js';

/** Reads a JSON vector file from the repository's `vectors/` folder (see its README). */
export { readVector as readVectors } from '../support/paths.js';

export const hex = (b: Uint8Array): string => toHex(b);
export const unhex = (s: string): Uint8Array => fromHex(s, 'vector');

export type OfferVector = {
  description: string;
  valid: boolean;
  bolt12: string;
  fields?: { type: number; length: number; hex: string }[];
};
export type FormatVector = { comment: string; valid: boolean; string: string };
export type ExtraVector = {
  comment: string;
  valid_as_offer: boolean;
  string: string;
  roundtrip?: boolean;
  ldk_error?: string;
};
