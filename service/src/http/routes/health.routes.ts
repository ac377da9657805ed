/**
 * Liveness and readiness. `/healthz`: the process answers. `/readyz`: the node is started, the database
 * answers a query and the node is synced to the chain tip; 503 with the failing check otherwise (load balancers and orchestrators stop routing).
 */
import { Router } from 'express';

export interface HealthChecks {
  nodeStarted: () => boolean;
  databaseReachable: () => Promise<boolean>;
  /** The node has caught up with the chain backend's tip (absent: not checked). */
  chainSynced?: () => boolean;
}

export function healthRoutes(checks: HealthChecks): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const [node, database] = [checks.nodeStarted(), await checks.databaseReachable().catch(() => false)];
    const chain = checks.chainSynced?.() ?? true;
    const ready = node && database && chain;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: { node, database, ...(checks.chainSynced && { chain }) },
    });
  });
  return r;
}
