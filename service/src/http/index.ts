/** The HTTP surface: metrics, health, admin API (express 5). */
export { createHttpApp, type HttpAppDeps } from './app.js';
export { listen, type RunningHttpServer } from './server.js';
export { HttpError } from './http-error.js';
export { adminAuth } from './admin-auth.js';
export {
  adminRoutes,
  sessionView,
  type AdminSources,
  type AdminSessionSource,
  type AdminNodeView,
} from './routes/admin.routes.js';
export { healthRoutes, type HealthChecks } from './routes/health.routes.js';
export { toJsonSafe } from './json.js';
