/**
 * The HTTP surface of the daemon: `GET /metrics`, `/healthz`, `/readyz`, and the admin API
 * under `/admin` behind a bearer token. `createHttpApp` never listens (tests and the daemon do, see
 * `server.ts`). Every error is JSON `{"error":{"code","message"}}` with its status; unknown paths are 404.
 * Request logs carry method, path, status and duration only: never headers (the admin token) or bodies.
 */
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Secret } from '../config/secret.js';
import type { Logger } from '../log.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import { adminAuth } from './admin-auth.js';
import { HttpError, notFound } from './http-error.js';
import { adminRoutes, type AdminSources } from './routes/admin.routes.js';
import { healthRoutes, type HealthChecks } from './routes/health.routes.js';
import { metricsRoutes } from './routes/metrics.routes.js';
import { walletRoutes, type WalletAdminSource } from './routes/wallet.routes.js';

export interface HttpAppDeps {
  metrics: ServiceMetrics;
  health: HealthChecks;
  admin: AdminSources;
  adminToken: Secret | undefined;
  /** The on-chain wallet's admin API (`/admin/wallet`), when the service runs one. */
  wallet?: WalletAdminSource;
  logger: Logger;
}

export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  const log = deps.logger;
  app.disable('x-powered-by');
  app.set('etag', false);
  // Query strings are parsed flat (`?a=1&a=2` is an array, no nested objects): nothing here needs more.
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug('http request', {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      });
    });
    next();
  });

  app.use(healthRoutes(deps.health));
  app.use(metricsRoutes(deps.metrics));
  if (deps.wallet) app.use('/admin/wallet', adminAuth(deps.adminToken), walletRoutes(deps.wallet, log));
  app.use('/admin', adminAuth(deps.adminToken), adminRoutes(deps.admin));

  app.use((req, _res, next) => next(notFound(`no route for ${req.method} ${req.path}`)));

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    let status = 500;
    let code = 'internal_error';
    let message = 'internal error';
    let details: Record<string, string> | undefined;
    if (err instanceof HttpError) {
      ({ status, code, message, details } = err);
    } else if (isClientError(err)) {
      // body-parser / express errors carrying a 4xx status (malformed JSON, payload too large, ...)
      status = err.status;
      code = err.type ?? 'bad_request';
      message = err.expose ? err.message : 'bad request';
    } else {
      log.error('http handler failed', { method: req.method, path: req.path, err });
    }
    if (res.headersSent) return;
    res.status(status).json({ error: { code, message, ...details } });
  };
  app.use(onError);
  return app;
}

function isClientError(e: unknown): e is { status: number; type?: string; expose?: boolean; message: string } {
  const s = (e as { status?: unknown })?.status;
  return typeof s === 'number' && s >= 400 && s < 500;
}
