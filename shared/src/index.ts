/**
 * @jitlsp/shared: the pure protocol code used by the service, the client and the engine (no I/O). Each
 * protocol lives in its own folder and is importable as `@jitlsp/shared/<folder>`; `@jitlsp/shared/log` holds
 * the logger interface every package logs through.
 */
export const JITLSP_VERSION = '0.1.0';
