/**
 * Bearer-token guard for the admin API. The token comes from JITLSP_ADMIN_TOKEN; without it the admin API is
 * closed (401). Comparison is constant-time: both sides are hashed to 32 bytes first, so neither the
 * content nor the length of the configured token leaks through timing. The token is never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Secret } from '../config/secret.js';
import { unauthorized } from './http-error.js';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function adminAuth(token: Secret | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token.reveal());
  return (req, res, next) => {
    res.setHeader('WWW-Authenticate', 'Bearer realm="jitlsp-admin"');
    if (expected === undefined)
      return next(unauthorized('the admin API is disabled: set JITLSP_ADMIN_TOKEN to enable it'));
    const header = req.get('authorization') ?? '';
    const m = /^Bearer +(\S+)\s*$/i.exec(header);
    if (!m) return next(unauthorized('expected an Authorization: Bearer <token> header'));
    if (!timingSafeEqual(digest(m[1]!), expected)) return next(unauthorized('invalid admin token'));
    res.removeHeader('WWW-Authenticate');
    next();
  };
}
