/**
 * Commands for the BOLT 12 flows run in TypeScript: a payment hash and secret LDK will recognise, and a
 * payment over blinded paths the caller decoded (routed by `PayerRoutes`), and the route a payer uses for a
 * payment the caller pays.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';
import { idBytes } from './ids.js';
import { errText } from './mappers.js';
import type { PayerRoute, PayerRoutes, RawBlindedPath } from './payer-routes.js';
import type { Hex32, IdInput } from './types.js';

export function createInboundPayment(
  cm: ldk.ChannelManager,
  amountMsat: bigint | undefined,
  expirySecs: number,
): { paymentHash: Hex32; paymentSecret: Uint8Array } {
  if (!Number.isInteger(expirySecs) || expirySecs <= 0 || expirySecs > 0xffff_ffff)
    throw new RangeError(`Node/createInboundPayment.expirySecs: expected a positive u32, got ${expirySecs}`);
  if (amountMsat !== undefined && amountMsat <= 0n)
    throw new RangeError(`Node/createInboundPayment.amountMsat: expected > 0, got ${amountMsat}`);
  const res = cm.create_inbound_payment(
    amountMsat === undefined ? ldk.Option_u64Z.constructor_none() : ldk.Option_u64Z.constructor_some(amountMsat),
    expirySecs,
    ldk.Option_u16Z.constructor_none(),
  );
  if (!(res instanceof ldk.Result_C2Tuple_ThirtyTwoBytesThirtyTwoBytesZNoneZ_OK))
    throw new Error('Node/createInboundPayment: LDK refused (amount above 21 million bitcoin?)');
  return { paymentHash: toHex(res.res.get_a()), paymentSecret: res.res.get_b() };
}

export interface BlindedPayment {
  paymentId?: IdInput;
  paymentHash: IdInput;
  amountMsat: bigint;
  payeeNodeId: Uint8Array;
  paths: RawBlindedPath[];
}

export function payBlindedPaths(
  cm: ldk.ChannelManager,
  routes: PayerRoutes,
  p: BlindedPayment,
  random: (n: number) => Uint8Array,
): Hex32 {
  if (p.amountMsat <= 0n) throw new RangeError(`Node/payBlindedPaths.amountMsat: expected > 0, got ${p.amountMsat}`);
  if (p.paths.length === 0) throw new RangeError('Node/payBlindedPaths.paths: expected at least one path');
  const id = p.paymentId === undefined ? random(32) : idBytes(p.paymentId, 32, 'paymentId');
  const idHex = toHex(id);
  routes.set(idHex, { kind: 'blinded', amountMsat: p.amountMsat, paths: p.paths });
  // The payer router answers with the blinded route; these parameters carry the amount only.
  const params = ldk.RouteParameters.constructor_from_payment_params_and_value(
    ldk.PaymentParameters.constructor_from_node_id(idBytes(p.payeeNodeId, 33, 'payeeNodeId'), 0),
    p.amountMsat,
  );
  const res = cm.send_payment(
    idBytes(p.paymentHash, 32, 'paymentHash'),
    ldk.RecipientOnionFields.constructor_spontaneous_empty(),
    id,
    params,
    ldk.Retry.constructor_attempts(0),
  );
  if (!(res instanceof ldk.Result_NoneRetryableSendFailureZ_OK)) {
    routes.delete(idHex);
    throw new Error(
      `Node/payBlindedPaths: ${errText(res, ldk.RetryableSendFailure as unknown as Record<number, string>)}`,
    );
  }
  return idHex;
}

export function setPayerRoute(routes: PayerRoutes, paymentId: IdInput, route: PayerRoute): void {
  if (route.kind === 'share' && !(route.shareMsat > 0n && route.shareMsat <= route.totalMsat))
    throw new RangeError(
      `Node/setPayerRoute: expected 0 < share <= total, got ${route.shareMsat} of ${route.totalMsat}`,
    );
  routes.set(toHex(idBytes(paymentId, 32, 'paymentId')), route);
}

export function clearPayerRoute(routes: PayerRoutes, paymentId: IdInput): void {
  routes.delete(toHex(idBytes(paymentId, 32, 'paymentId')));
}
