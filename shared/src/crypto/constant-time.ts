/**
 * Byte comparison whose time does not depend on where the inputs differ, for secrets such as
 * LSPS2 promises and admin tokens (bLIP-52 leaves the promise format to the LSP; comparing it in
 * variable time would leak a valid promise byte by byte).
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
