/**
 * Every rule the BOLT 12 readers here enforce, keyed by a stable identifier. The text quotes or
 * closely paraphrases the requirement in BOLT 12 (`12-offer-encoding.md`), BOLT 1 (TLV streams) or
 * the recurrence draft (lightning/bolts PR #1240, head cb7923335a7e203d1dccbc4a28b434850febc6b3,
 * "BOLT-recurrence"), so an error message names the requirement that was broken.
 */
export const RULES = {
  // BOLT 12 "Encoding": the string form.
  'string.not-ascii': 'a bolt12 string is ASCII: human-readable prefix, `1`, bech32 characters',
  'string.mixed-case': 'readers MUST handle strings which are all lowercase or all UPPERCASE; mixed case is invalid',
  'string.continuation': 'a `+` (optionally followed by whitespace) is only allowed between two bech32 characters',
  'string.whitespace': 'whitespace is only allowed after a `+` continuation',
  'string.no-separator': 'a bolt12 string is the human-readable prefix followed by `1` and the data',
  'string.unknown-prefix': 'the human-readable prefix must be the one of the expected message (lno, lnr, lni)',
  'string.invalid-char': 'the data part must contain only bech32 characters (qpzry9x8gf2tvdw0s3jn54khce6mua7l)',
  'string.padding': 'bech32 to bytes conversion allows at most 4 bits of zero padding',

  // BOLT 1 "Type-Length-Value Format".
  'tlv.truncated': 'BOLT 1: a TLV record must not extend past the end of the stream',
  'tlv.non-minimal': 'BOLT 1: BigSize types, lengths and truncated integers MUST be minimally encoded',
  'tlv.out-of-order': 'BOLT 1: TLV types MUST be strictly increasing',
  'tlv.duplicate': 'BOLT 1: a TLV type MUST NOT appear twice',
  'tlv.unknown-even': "BOLT 1 (it's OK to be odd): a reader MUST fail on an unknown even type",
  'tlv.invalid-value': "BOLT 1: a reader MUST fail if a field's value is not what its type expects",
  'tlv.empty': 'a BOLT 12 message has at least one TLV field',

  // Field encodings (BOLT 12 TLV definitions; BOLT 1 fundamental types).
  'field.chain-hashes': '`...*chain_hash` is a whole number of 32-byte chain hashes',
  'field.utf8': '`utf8` fields MUST be valid UTF-8',
  'field.point': '`point` fields MUST be valid compressed secp256k1 points',
  'field.fixed-length': 'the field has a fixed length',
  'field.blinded-path': '`blinded_path` must decode (BOLT 4 route blinding: valid points, complete hops)',
  'field.blinded-payinfo': '`blinded_payinfo` must decode completely',
  'field.fallback-address': '`fallback_address` must decode completely',
  'field.recurrence': 'the recurrence subtype must decode completely (BOLT-recurrence)',
  'field.bip353-name': '`invreq_bip_353_name` must decode as name_len, name, domain_len, domain',
  'field.empty': 'the field carries no data',

  // BOLT 12 "Requirements For Offers" (reader).
  'offer.range':
    'a reader of an offer MUST NOT respond if it contains TLV fields outside 1-79 and 1000000000-1999999999',
  'offer.unknown-even-feature': 'a reader of an offer MUST NOT respond if `offer_features` contains unknown even bits',
  'offer.empty-chains': '`offer_chains` present with zero entries is invalid (no chain could be requested)',
  'offer.amount-without-description':
    'a reader MUST NOT respond if `offer_amount` is set and `offer_description` is not',
  'offer.zero-amount': 'a reader MUST NOT respond if `offer_amount` is set and is not greater than zero',
  'offer.currency-without-amount': 'a reader MUST NOT respond if `offer_currency` is set and `offer_amount` is not',
  'offer.no-issuer-id-or-paths': 'a reader MUST NOT respond if neither `offer_issuer_id` nor `offer_paths` are set',
  'offer.zero-hops': 'a reader MUST NOT respond if `num_hops` is 0 in any `blinded_path` in `offer_paths`',
  'offer.unsupported-chain': 'a reader MUST NOT respond if it accepts none of `offer_chains` (or bitcoin, when absent)',
  'offer.expired': 'a reader MUST NOT (initially) respond if the current time is after `offer_absolute_expiry`',
  'offer.recurrence-both':
    'BOLT-recurrence: an offer includes exactly one of `offer_recurrence_optional` or `offer_recurrence_compulsory`',
  'offer.recurrence-time-unit': 'BOLT-recurrence: a reader MUST NOT respond if `time_unit` is not one of 0, 1 or 2',
  'offer.recurrence-zero-period': 'BOLT-recurrence: a reader MUST NOT respond if `period` is 0',
  'offer.recurrence-zero-limit':
    'BOLT-recurrence: a reader MUST NOT respond if `offer_recurrence_limit` is set and `max_period_index` is 0',
  'offer.recurrence-fields-without-recurrence':
    'BOLT-recurrence: a reader MUST NOT respond if `offer_recurrence_paywindow`, `_limit` or `_base` are set without recurrence',

  // BOLT 12 "Requirements for Invoice Requests" (reader).
  'invreq.missing-payer-id': 'MUST reject the invoice request if `invreq_payer_id` is not present',
  'invreq.missing-metadata': 'MUST reject the invoice request if `invreq_metadata` is not present',
  'invreq.range':
    'MUST reject the invoice request if any non-signature TLV fields are outside 0-159 and 1000000000-2999999999',
  'invreq.unknown-even-feature': 'MUST reject the invoice request if `invreq_features` contains unknown even bits',
  'invreq.missing-signature': 'MUST reject the invoice request if `signature` is not correct (it is missing)',
  'invreq.signature': 'MUST reject the invoice request if `signature` is not correct using the `invreq_payer_id`',
  'invreq.zero-hops': 'MUST reject the invoice request if `num_hops` is 0 in any `blinded_path` in `invreq_paths`',
  'invreq.missing-quantity':
    'if `offer_quantity_max` is present: MUST reject the invoice request if there is no `invreq_quantity`',
  'invreq.quantity-range':
    'if `offer_quantity_max` is non-zero: MUST reject the invoice request if `invreq_quantity` is zero or greater',
  'invreq.unexpected-quantity':
    'if `offer_quantity_max` is absent: MUST reject the invoice request if there is an `invreq_quantity`',
  'invreq.amount-below-expected': 'MUST reject the invoice request if `invreq_amount` is less than the expected amount',
  'invreq.missing-amount': 'MUST reject the invoice request if there is no `offer_amount` and no `invreq_amount`',
  'invreq.offer-fields-without-offer':
    'without `offer_issuer_id` or `offer_paths`: MUST reject if `offer_chains`, `offer_features` or `offer_quantity_max` are present',
  'invreq.unsupported-chain':
    'MUST reject the invoice request if `invreq_chain` (or bitcoin, when absent) is not a supported chain',
  'invreq.offer-mismatch':
    'MUST reject the invoice request if the offer fields do not exactly match a valid, unexpired offer',
  'invreq.bip353-chars':
    'MUST reject the invoice request if `name` or `domain` contain bytes other than 0-9 a-z A-Z - _ .',
  'invreq.recurrence-missing-counter':
    'BOLT-recurrence: MUST reject the invoice request if there is no `invreq_recurrence_counter`',
  'invreq.recurrence-missing-start':
    'BOLT-recurrence: with `offer_recurrence_base`, MUST reject if there is no `invreq_recurrence_start`',
  'invreq.recurrence-unexpected-start':
    'BOLT-recurrence: without `offer_recurrence_base`, MUST reject if there is an `invreq_recurrence_start`',
  'invreq.recurrence-over-limit':
    'BOLT-recurrence: MUST reject the invoice request if the period index is greater than `max_period_index`',
  'invreq.recurrence-cancel-initial':
    'BOLT-recurrence: MUST reject an initial request (counter 0) with `invreq_recurrence_cancel`',
  'invreq.recurrence-without-offer-recurrence':
    'BOLT-recurrence: with no offer recurrence, MUST reject `invreq_recurrence_counter`, `_start` or `_cancel`',

  // BOLT 12 "Invoices" (reader).
  'invoice.missing-amount': 'MUST reject the invoice if `invoice_amount` is not present',
  'invoice.missing-created-at': 'MUST reject the invoice if `invoice_created_at` is not present',
  'invoice.missing-payment-hash': 'MUST reject the invoice if `invoice_payment_hash` is not present',
  'invoice.missing-node-id': 'MUST reject the invoice if `invoice_node_id` is not present',
  'invoice.unknown-even-feature': 'MUST reject the invoice if `invoice_features` contains unknown even bits',
  'invoice.missing-paths': 'MUST reject the invoice if `invoice_paths` is not present or is empty',
  'invoice.zero-hops': 'MUST reject the invoice if `num_hops` is 0 in any `blinded_path` in `invoice_paths`',
  'invoice.missing-blindedpay': 'MUST reject the invoice if `invoice_blindedpay` is not present',
  'invoice.blindedpay-count':
    'MUST reject the invoice if `invoice_blindedpay` does not contain exactly one `blinded_payinfo` per path',
  'invoice.no-usable-path': 'MUST reject the invoice if unknown even `payinfo` features leave no usable paths',
  'invoice.amount-mismatch':
    'if `invreq_amount` is present: MUST reject the invoice if `invoice_amount` is not equal to it',
  'invoice.amount-not-expected':
    'without `invreq_amount`: the invoice_amount is the expected amount (`offer_amount` times `invreq_quantity`), as the writer MUST set it',
  'invoice.missing-signature': 'MUST reject the invoice if `signature` is not valid (it is missing)',
  'invoice.signature': 'MUST reject the invoice if `signature` is not a valid signature using `invoice_node_id`',
  'invoice.recurrence-missing-basetime':
    'BOLT-recurrence: MUST reject the invoice if `invoice_recurrence_basetime` is not present',
  'invoice.recurrence-basetime':
    'BOLT-recurrence: for counter 0, `invoice_recurrence_basetime` MUST equal the offer base or `invoice_created_at`',
  'invoice.expired':
    'MUST reject the invoice if the current time is after `invoice_created_at` plus the relative expiry (default 7200)',
  'invoice.unsupported-chain':
    'MUST reject the invoice if `invreq_chain` (or bitcoin, when absent) is not a supported chain',
  'invoice.request-mismatch':
    'MUST reject the invoice if fields in 0-159 and 1000000000-2999999999 do not exactly match the invoice request',
  'invoice.node-id-mismatch':
    'MUST reject the invoice if `invoice_node_id` is not `offer_issuer_id` (or, without it, the final `blinded_node_id` the request was sent to)',

  // BOLT 12 "Invoice Errors" (writer rules; the reader section is still FIXME in the spec).
  'invoice_error.missing-error': 'a writer of an invoice_error MUST set `error` to an explanatory string',
  'invoice_error.suggested-without-field': 'a writer MUST NOT set `suggested_value` without `erroneous_field`',
} as const;

export type Bolt12Rule = keyof typeof RULES;
