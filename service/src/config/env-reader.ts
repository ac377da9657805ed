/**
 * Reads typed values out of an environment map, collecting `VAR: expected X, got Y` problems instead of
 * throwing at the first one (see {@link ConfigError}). Values are trimmed; an empty string counts as unset,
 * which is what `VAR=` in an env file means to most operators.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  readonly problems: string[] = [];
  /** Every variable name asked for (the documentation test checks `.env.example` lists them all). */
  readonly names = new Set<string>();

  constructor(private readonly env: Env) {}

  /** The raw value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    this.names.add(name);
    const v = this.env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  problem(name: string, message: string): void {
    this.problems.push(`${name}: ${message}`);
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  /** One of a fixed set of words (case-insensitive). */
  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const hit = choices.find((c) => c === v.toLowerCase());
    if (hit === undefined) {
      this.problem(name, `expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return hit;
  }

  /** A safe integer in [min, max]. */
  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v)) {
      this.problem(name, `expected an integer, got ${JSON.stringify(v)}`);
      return fallback;
    }
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.problem(name, `expected an integer from ${min} to ${max}, got ${v}`);
      return fallback;
    }
    return n;
  }

  /** A non-negative integer amount (u64) as bigint, in [min, max]. */
  amount(name: string, fallback: bigint, min = 0n, max = U64_MAX): bigint {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const n = parseU64(v);
    if (n === undefined || n < min || n > max) {
      this.problem(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    this.problem(name, `expected true or false, got ${JSON.stringify(v)}`);
    return fallback;
  }
}

export const U64_MAX = (1n << 64n) - 1n;

/** A decimal u64 without sign, exponent or leading `+`; undefined when it is not one. */
export function parseU64(text: string): bigint | undefined {
  if (!/^\d{1,20}$/.test(text)) return undefined;
  const n = BigInt(text);
  return n <= U64_MAX ? n : undefined;
}
