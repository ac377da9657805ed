/**
 * Liveness and readiness. `/healthz`: the process answers. `/readyz`: the node is started and the database
 * answers a query; 503 with the failing check otherwise (load balancers and orchestrators stop routing).
 */
import { Router } from 'express';

export interface HealthChecks {
  nodeStarted: () => boolean;
  databaseReachable: () => Promise<boolean>;
}

export function healthRoutes(checks: HealthChecks): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const [node, database] = [checks.nodeStarted(), await checks.databaseReachable().catch(() => false)];
    const ready = node && database;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: { node, database } });
  });
  return r;
}
