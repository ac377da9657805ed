/**
 * Typed errors of the chain sources. Everything a chain backend answers is checked at the boundary; a bad answer
 * becomes one of these, the consumer does not advance, and the caller decides whether to retry.
 */

/** Base class: something went wrong talking to, or believing, the chain backend. */
export class ChainSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The backend could not be reached (connection refused, reset, DNS, timeout). */
export class ChainUnreachableError extends ChainSourceError {}

/** The backend refused our credentials (HTTP 401/403). */
export class ChainAuthError extends ChainSourceError {}

/** A JSON-RPC error answer, with bitcoind's code (e.g. -8 out of range, -28 warming up, -26 rejected). */
export class RpcCallError extends ChainSourceError {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
  ) {
    super(`${method}: ${rpcMessage} (code ${code})`);
  }
}

/** The answer is not what the method returns: not JSON, not JSON-RPC, or a field of the wrong shape. */
export class MalformedAnswerError extends ChainSourceError {}

/** The answer is larger than the configured limit; it was not read to the end. */
export class AnswerTooLargeError extends ChainSourceError {}

/** The data do not verify: a block whose hash or merkle root does not match, a header that does not chain. */
export class ChainDataError extends ChainSourceError {}

/** The backend runs another network than the one configured. */
export class WrongNetworkError extends ChainSourceError {}

/** Why a broadcast failed, classified from the node's answer. */
export type BroadcastFailure =
  | 'conflict' // an input is already spent by another transaction (-26 txn-mempool-conflict, -25 spent inputs)
  | 'missing-inputs' // an input does not exist (yet)
  | 'rejected' // policy or consensus rejection with a reason (-26)
  | 'not-accepted' // the node took it but it is neither in the mempool nor in a block (bcoin's silent drop)
  | 'invalid'; // undecodable (-22)

export class BroadcastError extends ChainSourceError {
  constructor(
    readonly txid: string,
    readonly failure: BroadcastFailure,
    readonly reason: string,
  ) {
    super(`broadcast of ${txid} failed (${failure}): ${reason}`);
  }
}
