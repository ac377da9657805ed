/**
 * Waits for a condition driven by node events or the JIT core (not a timed assertion: it fails only once
 * `timeoutMs` has passed without the condition holding).
 */
export async function until(cond: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('until: condition not reached');
    await new Promise((r) => setTimeout(r, 50));
  }
}
