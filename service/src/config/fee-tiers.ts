/**
 * The LSP's `opening_fee_params_menu` as configured (bLIP-52 `lsps2.get_info`): one tier per menu entry,
 * without `valid_until` and `promise`, which are minted per request.
 *
 * `JITLSP_FEE_TIERS` takes either
 * - the compact form `<min_fee_msat>:<proportional_ppm>[,...]`, e.g. `546000:1200,1092000:2400`, where every
 *   other field comes from the global settings; or
 * - a JSON array of objects with the spec's field names, e.g.
 *   `[{"min_fee_msat":"546000","proportional":1200,"min_lifetime":1008,"max_client_to_self_delay":2016,
 *     "min_payment_size_msat":"1000","max_payment_size_msat":"1000000","valid_for_seconds":3600}]`,
 *   where every field but `min_fee_msat` and `proportional` is optional and defaults to the global setting.
 */
import type { FeeTier } from '../lsps2/menu.js';
import { parseU64, U64_MAX } from './env-reader.js';

export type { FeeTier } from '../lsps2/menu.js';

/** The global settings a tier inherits when it does not set a field. */
export type FeeTierDefaults = Omit<FeeTier, 'minFeeMsat' | 'proportionalPpm'>;

const U32_MAX = 0xffff_ffff;
const JSON_FIELDS = [
  'min_fee_msat',
  'proportional',
  'min_lifetime',
  'max_client_to_self_delay',
  'min_payment_size_msat',
  'max_payment_size_msat',
  'valid_for_seconds',
] as const;

/**
 * Parses `JITLSP_FEE_TIERS` (compact or JSON form) and checks the menu order. Returns the tiers, or the
 * problems found (each prefixed with `name`).
 */
export function parseFeeTiers(
  name: string,
  text: string,
  defaults: FeeTierDefaults,
): { tiers: FeeTier[]; problems: string[] } {
  const problems: string[] = [];
  const tiers = /^\s*[[{]/.test(text)
    ? parseJsonTiers(name, text, defaults, problems)
    : parseCompactTiers(name, text, defaults, problems);
  if (problems.length === 0) problems.push(...checkTiers(name, tiers));
  return { tiers, problems };
}

function parseCompactTiers(name: string, text: string, d: FeeTierDefaults, problems: string[]): FeeTier[] {
  const tiers: FeeTier[] = [];
  text.split(',').forEach((item, i) => {
    const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(item);
    const minFeeMsat = m ? parseU64(m[1]!) : undefined;
    const proportionalPpm = m ? Number(m[2]) : NaN;
    if (minFeeMsat === undefined || !(proportionalPpm <= U32_MAX)) {
      problems.push(
        `${name}[${i}]: expected <min_fee_msat>:<proportional_ppm> (whole numbers), got ${JSON.stringify(item.trim())}`,
      );
      return;
    }
    tiers.push({ ...d, minFeeMsat, proportionalPpm });
  });
  return tiers;
}

function parseJsonTiers(name: string, text: string, d: FeeTierDefaults, problems: string[]): FeeTier[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    problems.push(`${name}: expected a JSON array of fee tiers, got invalid JSON (${(e as Error).message})`);
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push(`${name}: expected a JSON array of fee tiers`);
    return [];
  }
  const tiers: FeeTier[] = [];
  value.forEach((item: unknown, i) => {
    const at = `${name}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${at}: expected an object, got ${JSON.stringify(item)}`);
      return;
    }
    const o = item as Record<string, unknown>;
    const unknown = Object.keys(o).filter((k) => !(JSON_FIELDS as readonly string[]).includes(k));
    if (unknown.length > 0)
      problems.push(`${at}: unknown field(s) ${unknown.join(', ')}; known: ${JSON_FIELDS.join(', ')}`);
    const before = problems.length;
    const msat = (k: string, fallback?: bigint): bigint => {
      const v = o[k];
      if (v === undefined && fallback !== undefined) return fallback;
      const n =
        typeof v === 'string'
          ? parseU64(v)
          : typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
            ? BigInt(v)
            : undefined;
      if (n === undefined)
        problems.push(
          `${at}.${k}: expected a whole number of millisatoshis (0 to ${U64_MAX}), got ${JSON.stringify(v)}`,
        );
      return n ?? 0n;
    };
    const int = (k: string, max: number, fallback?: number, min = 0): number => {
      const v = o[k];
      if (v === undefined && fallback !== undefined) return fallback;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
        problems.push(`${at}.${k}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
        return 0;
      }
      return v;
    };
    const tier: FeeTier = {
      minFeeMsat: msat('min_fee_msat'),
      proportionalPpm: int('proportional', U32_MAX),
      minLifetimeBlocks: int('min_lifetime', U32_MAX, d.minLifetimeBlocks),
      maxClientToSelfDelayBlocks: int('max_client_to_self_delay', U32_MAX, d.maxClientToSelfDelayBlocks),
      minPaymentSizeMsat: msat('min_payment_size_msat', d.minPaymentSizeMsat),
      maxPaymentSizeMsat: msat('max_payment_size_msat', d.maxPaymentSizeMsat),
      validForSeconds: int('valid_for_seconds', 365 * 24 * 3600, d.validForSeconds, 1),
    };
    if (problems.length === before) tiers.push(tier);
  });
  return tiers;
}

/**
 * Checks each tier's payment bounds and the menu order. bLIP-52: each succeeding item MUST have a larger
 * `min_fee_msat` and equal `proportional`, a larger `proportional` and equal `min_fee_msat`, or both larger
 * (so the fee rates are strictly increasing along the menu).
 */
export function checkTiers(name: string, tiers: readonly FeeTier[]): string[] {
  const problems: string[] = [];
  tiers.forEach((t, i) => {
    if (t.minPaymentSizeMsat > t.maxPaymentSizeMsat) {
      problems.push(
        `${name}[${i}]: min_payment_size_msat ${t.minPaymentSizeMsat} is above max_payment_size_msat ${t.maxPaymentSizeMsat}`,
      );
    }
    if (i === 0) return;
    const p = tiers[i - 1]!;
    const feeUp = t.minFeeMsat > p.minFeeMsat;
    const propUp = t.proportionalPpm > p.proportionalPpm;
    const ok =
      (feeUp && t.proportionalPpm === p.proportionalPpm) ||
      (propUp && t.minFeeMsat === p.minFeeMsat) ||
      (feeUp && propUp);
    if (!ok) {
      problems.push(
        `${name}[${i}]: tiers must strictly increase (bLIP-52 menu order): min_fee_msat ${t.minFeeMsat} / proportional ${t.proportionalPpm} ` +
          `after ${p.minFeeMsat} / ${p.proportionalPpm}`,
      );
    }
  });
  return problems;
}
