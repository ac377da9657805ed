/**
 * Keys ordered by an expiry time (ms since the epoch): a binary min-heap, so that the shell's timer finds the
 * idle sessions whose `valid_until` passed without visiting the thousands that did not (bLIP-52: the LSP
 * must stop honouring the sale after `valid_until` when no payment arrived). Entries are not removed when
 * their key changes state; the caller checks each popped key against its own record (lazy deletion), and
 * {@link ExpiryQueue.compact} drops the stale ones when they outnumber the live ones.
 */
export class ExpiryQueue<K> {
  private readonly atMs: number[] = [];
  private readonly keys: K[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(key: K, expiresAtMs: number): void {
    this.atMs.push(expiresAtMs);
    this.keys.push(key);
    this.up(this.keys.length - 1);
  }

  /** Removes and returns every key whose expiry is at or before `nowMs`, earliest first. */
  popDue(nowMs: number): { key: K; expiresAtMs: number }[] {
    const due: { key: K; expiresAtMs: number }[] = [];
    while (this.keys.length > 0 && this.atMs[0]! <= nowMs) {
      due.push({ key: this.keys[0]!, expiresAtMs: this.atMs[0]! });
      this.removeTop();
    }
    return due;
  }

  /** Keeps only the entries `live` accepts (rebuilds the heap: O(n)). */
  compact(live: (key: K, expiresAtMs: number) => boolean): void {
    let w = 0;
    for (let r = 0; r < this.keys.length; r++) {
      if (!live(this.keys[r]!, this.atMs[r]!)) continue;
      this.keys[w] = this.keys[r]!;
      this.atMs[w] = this.atMs[r]!;
      w++;
    }
    this.keys.length = w;
    this.atMs.length = w;
    for (let i = (w >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private removeTop(): void {
    const last = this.keys.length - 1;
    this.swap(0, last);
    this.keys.pop();
    this.atMs.pop();
    this.down(0);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.atMs[p]! <= this.atMs[i]!) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.keys.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.atMs[l]! < this.atMs[m]!) m = l;
      if (r < n && this.atMs[r]! < this.atMs[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    const t = this.atMs[a]!;
    this.atMs[a] = this.atMs[b]!;
    this.atMs[b] = t;
    const k = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = k;
  }
}
