/**
 * A person's bad input to the offers API (an amount, a description, a quantity...): `field` names
 * it, the message says what was expected. Protocol rejections are the codec's `Bolt12Error` instead.
 */
export class OfferInputError extends Error {
  override readonly name = 'OfferInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
