/**
 * @jitlsp/shared: protocol code and the Lightning engine used by both the service and the client.
 * Each protocol lives in its own folder and is importable as `@jitlsp/shared/<folder>`.
 */
export const JITLSP_VERSION = '0.1.0';
