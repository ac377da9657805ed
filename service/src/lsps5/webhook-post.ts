/**
 * One LSPS5 webhook POST (bLIP-55 "Webhook Call") over HTTPS to an address that already passed the destination
 * check: the connection is pinned to that address (a custom `lookup`) whatever DNS answers now, the certificate
 * is verified against the host name, the request has a deadline and at most 64 KiB of the answer is read.
 */
import { type Agent, request } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { LSPS5_SIGNATURE_HEADER, LSPS5_TIMESTAMP_HEADER } from '@jitlsp/shared/lsps5';

/** Largest response body read before the connection is dropped (the body is ignored anyway). */
const MAX_RESPONSE_BYTES = 65_536;

/** The signed notification of one POST, as made on its first attempt and reused by its retries. */
export interface SignedBody {
  timestamp?: string;
  body?: string;
  signature?: string;
}

/** One POST to the checked address; the HTTP status, or an error text. */
export function postToAddress(
  agent: Agent,
  url: URL,
  host: string,
  address: { address: string; family: number },
  job: SignedBody,
  timeoutMs: number,
): Promise<number | string> {
  // The connection goes to the address that passed the check, whatever DNS says now.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: number | string) => {
      if (!settled) {
        settled = true;
        resolve(v);
      }
    };
    const body = Buffer.from(job.body!, 'utf8');
    const req = request({
      host,
      port: url.port === '' ? 443 : Number(url.port),
      path: url.pathname + url.search,
      method: 'POST',
      servername: isIP(host) ? undefined : host,
      lookup: pinned,
      agent,
      rejectUnauthorized: true,
      headers: {
        'content-type': 'application/json',
        'content-length': body.length,
        [LSPS5_TIMESTAMP_HEADER]: job.timestamp!,
        [LSPS5_SIGNATURE_HEADER]: job.signature!,
      },
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    req.on('response', (res) => {
      done(res.statusCode ?? 0);
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) req.destroy();
      });
      res.on('end', () => clearTimeout(timer));
      res.on('error', () => clearTimeout(timer));
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      done(errorText(e));
    });
    req.on('close', () => clearTimeout(timer));
    req.end(body);
  });
}

/** A short text for an error: its errno code when it has one. */
export function errorText(e: unknown): string {
  if (e instanceof Error) return (e as NodeJS.ErrnoException).code ?? e.message;
  return String(e);
}
