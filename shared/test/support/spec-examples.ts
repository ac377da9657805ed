/** The JSON examples of the bLIP specs, extracted with the line each is fenced at. */
import { readVector } from './paths.js';

export interface SpecExample {
  spec: string;
  fence_line: number;
  what: string;
  json: Record<string, unknown>;
}

/** Every example of `vectors/blips/lsps-spec-json-examples.json`. */
export const specExamples: readonly SpecExample[] = readVector<{ cases: SpecExample[] }>(
  'blips/lsps-spec-json-examples.json',
).cases;

/** The example fenced at `line` of `spec` (a file name such as 'blip-0050.md'); throws if there is none. */
export function specExample(spec: string, line: number): SpecExample {
  const e = specExamples.find((c) => c.spec === spec && c.fence_line === line);
  if (!e) throw new Error(`no ${spec} example at line ${line}`);
  return e;
}
