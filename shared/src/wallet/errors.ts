/**
 * Errors the wallet reports to people (the admin API turns them into 400 answers): each names the field at fault
 * and, for a shortfall, the amount that could have been spent.
 */
export class WalletInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'WalletInputError';
  }
}

/** The wallet cannot pay what was asked: nothing is built, nothing is reserved (never a partial send). */
export class InsufficientFundsError extends WalletInputError {
  constructor(
    field: string,
    readonly spendableSat: bigint,
    readonly neededSat: bigint | undefined,
    message: string,
  ) {
    super(field, message);
    this.name = 'InsufficientFundsError';
  }
}
