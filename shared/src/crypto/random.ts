/**
 * Random bytes drawn from the operating system's CSPRNG in blocks. Node makes a native job object (with a weak
 * handle every young-generation GC visits) for each `randomBytes` call; on the LSPS2 buy path, one call per
 * buy for 15 bytes of user_channel_id made it the commonest such object at thousands of buys a second.
 * Each byte of a block is handed out once, so the output is as random as the source's.
 */
export function pooledRandom(source: (n: number) => Uint8Array, blockBytes = 4096): (n: number) => Uint8Array {
  let block: Uint8Array = new Uint8Array(0);
  let used = 0;
  return (n) => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`pooledRandom/n: expected a byte count, got ${n}`);
    if (n > blockBytes) return source(n);
    if (used + n > block.length) {
      block = source(blockBytes);
      used = 0;
    }
    const out = block.slice(used, used + n);
    used += n;
    return out;
  };
}
