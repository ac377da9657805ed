import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's `vectors/` folder: public test vectors, each with its source and licence in its README. */
export const VECTORS_DIR = fileURLToPath(new URL('../../../vectors/', import.meta.url));

/** The text of a file under `vectors/` (for vectors that live inside a spec's Markdown). */
export function readVectorText(relativePath: string): string {
  return readFileSync(VECTORS_DIR + relativePath, 'utf8');
}

/** A JSON file under `vectors/`, parsed. */
export function readVector<T = unknown>(relativePath: string): T {
  return JSON.parse(readVectorText(relativePath)) as T;
}
