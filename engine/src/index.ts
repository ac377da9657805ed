/**
 * @jitlsp/engine: the Lightning engine (a real LDK node over TCP with file persistence) and the chain
 * sources it follows. Everything here does I/O; the protocol code it carries bytes for is in `@jitlsp/shared`.
 * Test and benchmark helpers are at `@jitlsp/engine/testing`, outside this entry point.
 */
export * from './node/index.js';
export * from './chain/index.js';
