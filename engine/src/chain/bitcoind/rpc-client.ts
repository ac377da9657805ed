/**
 * A bitcoind JSON-RPC client on plain `fetch` (Bitcoin Core doc/JSON-RPC-interface.md): HTTP POST with basic
 * authentication, from the URL's user and password or from the node's `.cookie` file (`__cookie__:<hex>`,
 * rewritten by bitcoind at each start, so it is read again after a 401).
 *
 * Every call has a deadline; answers are read up to a size limit and must be JSON-RPC. While the node is
 * warming up (-28) or unreachable, calls are retried with exponential backoff, one log line per retry. The
 * password never reaches a log line or an error message: URLs are logged without credentials.
 */
import { readFileSync } from 'node:fs';
import {
  AnswerTooLargeError,
  ChainAuthError,
  ChainSourceError,
  ChainUnreachableError,
  MalformedAnswerError,
  RpcCallError,
} from '../errors.js';
import type { ChainLog } from '../types.js';

/** bitcoind's RPC_IN_WARMUP: loading the block index, verifying blocks... */
export const RPC_IN_WARMUP = -28;

export interface RpcClientOptions {
  /** `http://user:password@host:port` (the credentials are optional when `cookieFile` is given). */
  url: string;
  /** Path of bitcoind's `.cookie` file; used when the URL carries no password. */
  cookieFile?: string;
  /** Deadline of one HTTP call (default 30 s). */
  timeoutMs?: number;
  /** Largest answer read, in bytes (default 32 MiB: the largest block, 4 MB, is 8 MB of hex). */
  maxAnswerBytes?: number;
  /** First retry delay (default 250 ms), doubled per retry up to `maxRetryDelayMs` (default 10 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  log?: ChainLog;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface CallOptions {
  /** Retry on -28 and while unreachable (default true). */
  retry?: boolean;
  timeoutMs?: number;
}

export class BitcoindRpcClient {
  /** The URL without credentials, safe to log. */
  readonly endpoint: string;
  private user: string;
  private password: string | undefined;
  private readonly cookieFile: string | undefined;
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly log: ChainLog;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly closing = new AbortController();
  private seq = 0;

  constructor(opts: RpcClientOptions) {
    let url: URL;
    try {
      url = new URL(opts.url);
    } catch {
      throw new ChainSourceError('JITLSP_BITCOIND_RPC_URL is not a URL (expected http://user:password@host:port)');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ChainSourceError(`JITLSP_BITCOIND_RPC_URL must be http:// or https://, got ${url.protocol}`);
    }
    this.user = decodeURIComponent(url.username);
    this.password = url.password ? decodeURIComponent(url.password) : undefined;
    url.username = '';
    url.password = '';
    this.endpoint = url.toString();
    this.cookieFile = opts.cookieFile;
    if (this.password === undefined && this.cookieFile === undefined) {
      throw new ChainSourceError(
        'bitcoind credentials missing: put user:password in JITLSP_BITCOIND_RPC_URL or set JITLSP_BITCOIND_RPC_COOKIE_FILE',
      );
    }
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxAnswerBytes = opts.maxAnswerBytes ?? 32 * 1024 * 1024;
    this.retryDelayMs = opts.retryDelayMs ?? 250;
    this.maxRetryDelayMs = opts.maxRetryDelayMs ?? 10_000;
    this.log = opts.log ?? (() => {});
    this.fetchFn = opts.fetch ?? fetch;
    this.sleep = opts.sleep ?? ((ms) => abortableSleep(ms, this.closing.signal));
  }

  /** Calls `method`, retrying while the node warms up or is unreachable (unless `retry: false`). */
  async call(method: string, params: unknown[] = [], opts: CallOptions = {}): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.callOnce(method, params, opts.timeoutMs ?? this.timeoutMs);
      } catch (err) {
        const retryable =
          err instanceof ChainUnreachableError || (err instanceof RpcCallError && err.code === RPC_IN_WARMUP);
        if (!retryable || opts.retry === false || this.closing.signal.aborted) throw err;
        const delayMs = Math.min(this.maxRetryDelayMs, this.retryDelayMs * 2 ** Math.min(attempt - 1, 20));
        this.log('warn', 'bitcoind not available; retrying', {
          method,
          attempt,
          delayMs,
          endpoint: this.endpoint,
          reason: (err as Error).message,
        });
        await this.sleep(delayMs);
        if (this.closing.signal.aborted) throw new ChainUnreachableError(`${method}: client closed`);
      }
    }
  }

  /** Aborts calls in flight and retries. */
  close(): void {
    this.closing.abort();
  }

  private async callOnce(method: string, params: unknown[], timeoutMs: number): Promise<unknown> {
    const id = ++this.seq;
    const body = JSON.stringify({ jsonrpc: '1.0', id, method, params });
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), this.closing.signal]);
    let res: Response;
    try {
      res = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: this.authorization() },
        body,
        signal,
      });
    } catch (err) {
      throw new ChainUnreachableError(`${method}: ${this.endpoint} unreachable (${describeFetchError(err)})`);
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      if (this.cookieFile !== undefined && this.rereadCookie()) return this.callOnce(method, params, timeoutMs);
      throw new ChainAuthError(
        this.cookieFile !== undefined
          ? `bitcoind refused the credentials from JITLSP_BITCOIND_RPC_COOKIE_FILE (HTTP ${res.status})`
          : `bitcoind refused the user and password in JITLSP_BITCOIND_RPC_URL (HTTP ${res.status})`,
      );
    }
    let text: string;
    try {
      text = await readLimited(res, this.maxAnswerBytes, method);
    } catch (err) {
      if (err instanceof ChainSourceError) throw err;
      throw new ChainUnreachableError(`${method}: answer interrupted (${describeFetchError(err)})`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new MalformedAnswerError(`${method}: answer is not JSON (HTTP ${res.status}, ${text.length} bytes)`);
    }
    if (typeof answer !== 'object' || answer === null || !('result' in answer || 'error' in answer)) {
      throw new MalformedAnswerError(`${method}: answer is not a JSON-RPC response (HTTP ${res.status})`);
    }
    const { result, error } = answer as { result?: unknown; error?: unknown };
    if (error !== null && error !== undefined) {
      const e = error as { code?: unknown; message?: unknown };
      if (typeof e.code !== 'number') throw new MalformedAnswerError(`${method}: error without a numeric code`);
      throw new RpcCallError(method, e.code, typeof e.message === 'string' ? e.message.slice(0, 500) : '');
    }
    if (!res.ok) throw new MalformedAnswerError(`${method}: HTTP ${res.status} without a JSON-RPC error`);
    return result;
  }

  private authorization(): string {
    if (this.password === undefined) this.rereadCookie();
    const user = this.password === undefined ? '' : this.user;
    return 'Basic ' + Buffer.from(`${user}:${this.password ?? ''}`).toString('base64');
  }

  /** Reads the cookie file; true when it changed the credentials. */
  private rereadCookie(): boolean {
    if (this.cookieFile === undefined) return false;
    let text: string;
    try {
      text = readFileSync(this.cookieFile, 'utf8').trim();
    } catch (err) {
      throw new ChainAuthError(
        `JITLSP_BITCOIND_RPC_COOKIE_FILE ${this.cookieFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? err})`,
      );
    }
    const colon = text.indexOf(':');
    if (colon <= 0) throw new ChainAuthError(`JITLSP_BITCOIND_RPC_COOKIE_FILE ${this.cookieFile} is not user:password`);
    const password = text.slice(colon + 1);
    const changed = password !== this.password;
    this.user = text.slice(0, colon);
    this.password = password;
    return changed;
  }
}

async function readLimited(res: Response, limit: number, method: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel();
    throw new AnswerTooLargeError(`${method}: answer of ${declared} bytes exceeds the ${limit}-byte limit`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new AnswerTooLargeError(`${method}: answer exceeds the ${limit}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  if (e?.name === 'AbortError') return 'aborted';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
