/** Strict hex <-> bytes for inputs from people and peers: errors name the field. */
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses even-length hex; `expectedLength` (bytes) is checked when given. */
export function fromHex(hex: string, field = 'hex', expectedLength?: number): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) {
    throw new TypeError(`${field}: expected an even-length hex string, got ${describe(hex)}`);
  }
  const out = new Uint8Array(Buffer.from(hex, 'hex'));
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new TypeError(`${field}: expected ${expectedLength} bytes, got ${out.length}`);
  }
  return out;
}

function describe(v: unknown): string {
  if (typeof v !== 'string') return typeof v;
  return v.length > 20 ? `${JSON.stringify(v.slice(0, 20))}… (${v.length} chars)` : JSON.stringify(v);
}
