/**
 * The JIT sessions at run time. `pure/`: the decisions (the session machine, routing of node events, the
 * onion mailbox, the fee split), no I/O. `memory/`: the session index. `io/`: the runner, the executor of
 * the machine's actions against the node and the store, the metrics recorder.
 */
export * from './pure/machine.js';
export * from './pure/fee-split.js';
export * from './pure/mailbox.js';
export * from './pure/route.js';
export * from './memory/session-index.js';
export * from './io/runner.js';
export type * from './io/recorder.js';
