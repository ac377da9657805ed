/** `GET /metrics`: the Prometheus text exposition of {@link ServiceMetrics}. */
import { Router } from 'express';
import type { ServiceMetrics } from '../../metrics/metrics.js';

export function metricsRoutes(metrics: ServiceMetrics): Router {
  const r = Router();
  r.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.exposition();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  });
  return r;
}
