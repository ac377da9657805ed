/**
 * Typed values of every BOLT 12 TLV field, as the codecs here decode them. Field names are the spec's
 * names in camelCase (`offer_issuer_id` -> `offerIssuerId`); u64 values are `bigint`, and amounts in
 * millisatoshi carry `Msat` in the name (`offer_amount` does not: its unit is `offer_currency`, or msat
 * when that is absent).
 *
 * Recurrence fields follow the recurrence draft (lightning/bolts PR #1240 "BOLT 12: re-add recurrence
 * support", head cb7923335a7e203d1dccbc4a28b434850febc6b3): offer 24/25/26/27/29, invreq 92/93/94,
 * invoice 177.
 */
import type { BlindedPath, BlindedPayInfo } from '../wire/index.js';

/** BOLT-recurrence subtype `recurrence`: `time_unit` 0 seconds, 1 days, 2 months; `period` in that unit. */
export type Recurrence = { timeUnit: number; period: number };
/** BOLT-recurrence subtype `recurrence_base`: period #0 starts at `basetime` (seconds since 1970). */
export type RecurrenceBase = { proportionalAmount: number; basetime: bigint };
/** BOLT-recurrence subtype `recurrence_paywindow`. */
export type RecurrencePaywindow = { secondsBefore: number; secondsAfter: number };
/** BOLT 12 subtype `fallback_address`. */
export type FallbackAddress = { version: number; address: Uint8Array };
/** BOLT 12 `invreq_bip_353_name`: the BIP 353 human-readable name `₿name@domain` (bytes as latin1). */
export type Bip353Name = { name: string; domain: string };

/** A TLV record this codec does not understand (always odd: unknown even types are rejected). */
export type UnknownField = { type: bigint; value: Uint8Array };

export interface OfferFields {
  offerChains?: Uint8Array[];
  offerMetadata?: Uint8Array;
  offerCurrency?: string;
  offerAmount?: bigint;
  offerDescription?: string;
  offerFeatures?: Uint8Array;
  /** Seconds since 1970-01-01 UTC. */
  offerAbsoluteExpiry?: bigint;
  offerPaths?: BlindedPath[];
  offerIssuer?: string;
  offerQuantityMax?: bigint;
  offerIssuerId?: Uint8Array;
  offerRecurrenceCompulsory?: Recurrence;
  offerRecurrenceOptional?: Recurrence;
  offerRecurrenceBase?: RecurrenceBase;
  offerRecurrencePaywindow?: RecurrencePaywindow;
  offerRecurrenceLimit?: number;
}

export interface InvoiceRequestFields extends OfferFields {
  invreqMetadata?: Uint8Array;
  invreqChain?: Uint8Array;
  invreqAmountMsat?: bigint;
  invreqFeatures?: Uint8Array;
  invreqQuantity?: bigint;
  invreqPayerId?: Uint8Array;
  invreqPayerNote?: string;
  invreqPaths?: BlindedPath[];
  invreqBip353Name?: Bip353Name;
  invreqRecurrenceCounter?: number;
  invreqRecurrenceStart?: number;
  /** BOLT-recurrence: a field with no data; present means "cancel". */
  invreqRecurrenceCancel?: true;
  /** BIP-340 signature (type 240). */
  signature?: Uint8Array;
}

export interface InvoiceFields extends InvoiceRequestFields {
  invoicePaths?: BlindedPath[];
  invoiceBlindedpay?: BlindedPayInfo[];
  /** Seconds since 1970-01-01 UTC. */
  invoiceCreatedAt?: bigint;
  /** Seconds after `invoiceCreatedAt`; BOLT 12 default 7200 when absent. */
  invoiceRelativeExpiry?: number;
  invoicePaymentHash?: Uint8Array;
  invoiceAmountMsat?: bigint;
  invoiceFallbacks?: FallbackAddress[];
  invoiceFeatures?: Uint8Array;
  invoiceNodeId?: Uint8Array;
  invoiceRecurrenceBasetime?: bigint;
}

export interface InvoiceErrorFields {
  erroneousField?: bigint;
  suggestedValue?: Uint8Array;
  error?: string;
}

export type AnyFields = InvoiceFields & InvoiceErrorFields;
