/**
 * The one error type of the BOLT 12 codecs. Every rejection names the rule it enforces (`rule`, a
 * stable identifier from `rules.ts`) and says what was found, so an operator reading the single-line
 * message knows which requirement of BOLT 12 (or BOLT 1, for the TLV layer) the input broke.
 */
import { RULES, type Bolt12Rule } from './rules.js';

export class Bolt12Error extends Error {
  override readonly name = 'Bolt12Error';
  constructor(
    readonly rule: Bolt12Rule,
    /** What was actually found, e.g. `got type 80`. */
    readonly detail?: string,
    /** The TLV type concerned, when there is one. */
    readonly type?: bigint,
  ) {
    super(`${rule}: ${RULES[rule]}${detail ? ` (${detail})` : ''}`);
  }
}

/** Throws the rule's error unless `ok`. */
export function check(ok: boolean, rule: Bolt12Rule, detail?: string, type?: bigint): asserts ok {
  if (!ok) throw new Bolt12Error(rule, detail, type);
}
