/** bLIP-55's own examples, copied into the repository's `vectors/` (source and licence in the file). */
import { readFileSync } from 'node:fs';

interface Blip55Vectors {
  cases: { spec: string; fence_line: number; what: string; json: Record<string, unknown> }[];
  signed_message: { timestamp: string; body: string; hex: string };
}

export const BLIP55: Blip55Vectors = JSON.parse(
  readFileSync(new URL('../../../vectors/blip-0055-examples.json', import.meta.url), 'utf8'),
) as Blip55Vectors;

/** The example fenced at `line` of bLIP-55; throws if there is none. */
export function blip55Example(line: number): Record<string, unknown> {
  const c = BLIP55.cases.find((x) => x.fence_line === line);
  if (!c) throw new Error(`no bLIP-55 example at line ${line}`);
  return c.json;
}
