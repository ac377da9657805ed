import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` beside the repository: the specs and public vectors (CI clones the repo next to it). */
export const SHARED_DIR = fileURLToPath(new URL('../../../../shared/', import.meta.url));

export function readVector<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(SHARED_DIR + 'vectors/' + relativePath, 'utf8')) as T;
}

export function readSpec(name: string): string {
  return readFileSync(SHARED_DIR + 'specs/' + name, 'utf8');
}
