/**
 * The BOLT 12 string form (BOLT 12 "Encoding"): a human-readable prefix, `1`, then the TLV stream
 * as bech32 characters with NO checksum. Writers use one case throughout; readers accept all
 * lowercase or all UPPERCASE and remove every `+` followed by optional whitespace that sits between
 * two bech32 characters (vectors: `bolt12/format-string-test.json`).
 *
 * The 5-bit to 8-bit regrouping is @scure/base's `bech32.fromWords`/`toWords`, which is strict: more
 * than 4 bits of padding, or non-zero padding, throws (offers-test.json "Bech32 padding exceeds
 * 4-bit limit", lightning/bolts #1312).
 */
import { bech32 } from '@scure/base';
import { Bolt12Error } from './errors.js';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
/** char code (lowercase) -> 5-bit value, or -1. */
const WORD_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < CHARSET.length; i++) WORD_OF[CHARSET.charCodeAt(i)] = i;

const PLUS = 0x2b;
const ONE = 0x31;

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
function isUpper(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}
function isLower(c: number): boolean {
  return c >= 0x61 && c <= 0x7a;
}
/** ASCII whitespace (space, \t \n \v \f \r): what may follow a `+`. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

export type Bolt12String = { hrp: string; data: Uint8Array };

/**
 * Decodes a bolt12 string to its prefix and TLV bytes. Throws `Bolt12Error` naming the string rule
 * that was broken. It does not judge the prefix; `expectHrp` makes it do so.
 */
export function decodeBolt12String(input: string, expectHrp?: string): Bolt12String {
  const n = input.length;
  // Pass 1: strip `+`/whitespace joins, check case and ASCII. `codes` holds lowercased char codes.
  const codes: number[] = [];
  let upper = false;
  let lower = false;
  for (let i = 0; i < n; i++) {
    let c = input.charCodeAt(i);
    if (c === PLUS) {
      // BOLT 12: "+ followed by zero or more whitespace characters between two bech32 characters".
      const prev = i > 0 ? input.charCodeAt(i - 1) : -1;
      let j = i + 1;
      while (j < n && isSpace(input.charCodeAt(j))) j++;
      const next = j < n ? input.charCodeAt(j) : -1;
      if (!isAlnum(prev) || !isAlnum(next)) throw new Bolt12Error('string.continuation', `at character ${i}`);
      i = j - 1;
      continue;
    }
    if (c > 0x7e || c < 0x21) {
      if (isSpace(c)) throw new Bolt12Error('string.whitespace', `at character ${i}`);
      throw new Bolt12Error('string.not-ascii', `character code ${c} at ${i}`);
    }
    if (isUpper(c)) {
      upper = true;
      c += 0x20;
    } else if (isLower(c)) lower = true;
    codes.push(c);
  }
  if (upper && lower) throw new Bolt12Error('string.mixed-case');
  const sep = codes.lastIndexOf(ONE);
  if (sep < 1) throw new Bolt12Error('string.no-separator');
  const hrp = String.fromCharCode(...codes.slice(0, sep));
  if (expectHrp !== undefined && hrp !== expectHrp) {
    throw new Bolt12Error('string.unknown-prefix', `expected ${expectHrp}, got ${hrp}`);
  }
  const words = new Array<number>(codes.length - sep - 1);
  for (let i = sep + 1, k = 0; i < codes.length; i++, k++) {
    const w = WORD_OF[codes[i]!]!;
    if (w < 0)
      throw new Bolt12Error(
        'string.invalid-char',
        `${JSON.stringify(String.fromCharCode(codes[i]!))} at data position ${k}`,
      );
    words[k] = w;
  }
  let data: Uint8Array;
  try {
    data = bech32.fromWords(words);
  } catch (e) {
    throw new Bolt12Error('string.padding', (e as Error).message);
  }
  return { hrp, data };
}

/**
 * Encodes TLV bytes as a bolt12 string. BOLT 12: writers SHOULD use lowercase, except uppercase for
 * QR codes; `chunk` splits with `+\n` every `chunk` data characters (MAY use `+`).
 */
export function encodeBolt12String(
  hrp: string,
  data: Uint8Array,
  opts: { uppercase?: boolean; chunk?: number } = {},
): string {
  const words = bech32.toWords(data);
  let body = '';
  for (let i = 0; i < words.length; i++) {
    if (opts.chunk && i > 0 && i % opts.chunk === 0) body += '+\n';
    body += CHARSET[words[i]!];
  }
  const s = `${hrp}1${body}`;
  return opts.uppercase ? s.toUpperCase() : s;
}
