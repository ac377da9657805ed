/**
 * The node's onion-message hooks (BOLT 4 "Onion Messages", BOLT 12 offers messages 64/66/68):
 *
 * - `OffersFront`: an `OffersMessageHandler` in front of the ChannelManager's. Every offers message
 *   reaches `hook` first, with its context (the `OffersContext` of the blinded path it came by). The
 *   hook answers synchronously: `pass` hands the message to LDK unchanged; `take` keeps it from LDK
 *   and queues it for the application, with the reply path as persistable bytes (`Responder.write`).
 *   The application answers later, outside LDK's callbacks, through the outbox.
 * - `CustomOnionOutbox`: a `CustomOnionMessageHandler` in place of the ignoring one. Messages the
 *   application sends wait in a queue LDK drains through `release_pending_custom_messages`; custom
 *   types the application registers are read and queued for it.
 *
 * Binding hazards (lightningdevkit 0.1): an `OffersMessage` is never sent through
 * `as_OnionMessageContents()` (its `tlv_type()` returns garbage upper bits); offers replies go out as
 * our own `OnionMessageContents` whose type is 64, 66 or 68 and whose bytes are the TLV stream. LDK
 * reads and writes the `invoice_error` value length-prefixed.
 */
import * as ldk from 'lightningdevkit';
import { toHex } from '@jitlsp/shared/crypto';

export type OffersMessageKind = 'invoice_request' | 'invoice' | 'invoice_error';

/** BOLT 4 `onionmsg_tlv` types of the offers messages (BOLT 12). */
export const OFFERS_MESSAGE_TYPE: Record<OffersMessageKind, bigint> = {
  invoice_request: 64n,
  invoice: 66n,
  invoice_error: 68n,
};

/** The `OffersContext` of the blinded path an offers message arrived by (LDK 0.1's three kinds). */
export type OffersContextInfo =
  | { kind: 'none' }
  | { kind: 'invoice-request'; nonce: Uint8Array }
  | { kind: 'outbound-payment'; paymentId: string; nonce: Uint8Array; hmac: Uint8Array }
  | { kind: 'inbound-payment'; paymentHash: string; nonce: Uint8Array; hmac: Uint8Array };

export interface OffersMessageIn {
  kind: OffersMessageKind;
  /** The message's value: the TLV stream (`invoice_error` as LDK frames it: length-prefixed). */
  bytes: Uint8Array;
  context: OffersContextInfo;
}

/** Queued for the application when the hook takes a message. `reply`: `Responder.write()` bytes. */
export type TakenOffersMessage = OffersMessageIn & { reply?: Uint8Array };

export type OffersHook = (m: OffersMessageIn) => 'pass' | 'take';

/**
 * A `Responder` argument is `None` when the message came without a reply path; the bindings then pass
 * an object around a null pointer, and calling it panics (a WASM trap).
 */
function present(o: ldk.Responder | null | undefined): o is ldk.Responder {
  return !!o && Number((o as unknown as { ptr: bigint | number }).ptr) !== 0;
}

function contextInfo(ctx: ldk.Option_OffersContextZ): OffersContextInfo {
  if (!(ctx instanceof ldk.Option_OffersContextZ_Some)) return { kind: 'none' };
  const c = ctx.some;
  if (c instanceof ldk.OffersContext_InvoiceRequest) return { kind: 'invoice-request', nonce: c.nonce.as_slice() };
  if (c instanceof ldk.OffersContext_OutboundPayment)
    return { kind: 'outbound-payment', paymentId: toHex(c.payment_id), nonce: c.nonce.as_slice(), hmac: c.hmac };
  if (c instanceof ldk.OffersContext_InboundPayment)
    return { kind: 'inbound-payment', paymentHash: toHex(c.payment_hash), nonce: c.nonce.as_slice(), hmac: c.hmac };
  return { kind: 'none' };
}

function kindOf(m: ldk.OffersMessage): OffersMessageKind | undefined {
  if (m instanceof ldk.OffersMessage_InvoiceRequest) return 'invoice_request';
  if (m instanceof ldk.OffersMessage_Invoice) return 'invoice';
  if (m instanceof ldk.OffersMessage_InvoiceError) return 'invoice_error';
  return undefined;
}

/** Wraps `inner` (the ChannelManager's handler). `taken` receives what the hook kept from LDK. */
export function offersFront(
  inner: ldk.OffersMessageHandler,
  hook: OffersHook,
  taken: (m: TakenOffersMessage) => void,
  onError: (e: unknown) => void,
): ldk.OffersMessageHandler {
  return ldk.OffersMessageHandler.new_impl({
    handle_message(message, context, responder) {
      try {
        const kind = kindOf(message);
        if (kind) {
          const m: OffersMessageIn = { kind, bytes: message.write(), context: contextInfo(context) };
          if (hook(m) === 'take') {
            taken(present(responder) ? { ...m, reply: responder.write() } : m);
            return ldk.Option_C2Tuple_OffersMessageResponseInstructionZZ.constructor_none();
          }
        }
      } catch (e) {
        // Never throw into WASM: a failing hook leaves the message to LDK.
        onError(e);
      }
      return inner.handle_message(message, context, responder);
    },
    release_pending_messages: () => inner.release_pending_messages(),
  });
}

/** Contents LDK writes as they are: `tlv_type` and the value bytes we give. */
export function rawContents(type: bigint, bytes: Uint8Array): ldk.OnionMessageContents {
  return ldk.OnionMessageContents.new_impl({
    tlv_type: () => type,
    msg_type: () => `jitlsp-${type}`,
    write: () => bytes,
    debug_str: () => `onion message type ${type} (${bytes.length} bytes)`,
  });
}

export type CustomOnionMessageIn = {
  messageType: bigint;
  bytes: Uint8Array;
  /** The `MessageContext::Custom` bytes of the blinded path it arrived by. */
  context?: Uint8Array;
  reply?: Uint8Array;
};

/** The context of a reply path LDK's message router builds for us. */
export type ReplyContext =
  | { kind: 'outbound-payment'; paymentId: Uint8Array; nonce: Uint8Array; hmac: Uint8Array }
  | { kind: 'custom'; data: Uint8Array };

/** Where a message goes, and how replies come back (a path we have, or one LDK builds with a context). */
export type OnionMessageTarget =
  | { reply: Uint8Array }
  | (({ blindedPath: Uint8Array } | { nodeId: Uint8Array }) & { replyPath?: Uint8Array; replyContext?: ReplyContext });

export class CustomOnionOutbox {
  private readonly pending: ldk.TwoTuple_OnionMessageContentsMessageSendInstructionsZ[] = [];
  readonly handler: ldk.CustomOnionMessageHandler;

  constructor(
    readTypes: ReadonlySet<bigint>,
    received: (m: CustomOnionMessageIn) => void,
    onError: (e: unknown) => void,
  ) {
    this.handler = ldk.CustomOnionMessageHandler.new_impl({
      handle_custom_message(message, context, responder) {
        try {
          const m: CustomOnionMessageIn = { messageType: message.tlv_type(), bytes: message.write() };
          if (context instanceof ldk.Option_CVec_u8ZZ_Some) m.context = context.some;
          if (present(responder)) m.reply = responder.write();
          received(m);
        } catch (e) {
          onError(e);
        }
        return ldk.Option_C2Tuple_OnionMessageContentsResponseInstructionZZ.constructor_none();
      },
      read_custom_message: (type, buffer) => {
        // Unregistered types: `None` tells LDK the type is unknown (it drops even ones, BOLT 1).
        if (!readTypes.has(type))
          return ldk.Result_COption_OnionMessageContentsZDecodeErrorZ.constructor_ok(
            ldk.Option_OnionMessageContentsZ.constructor_none(),
          );
        return ldk.Result_COption_OnionMessageContentsZDecodeErrorZ.constructor_ok(
          ldk.Option_OnionMessageContentsZ.constructor_some(rawContents(type, Uint8Array.from(buffer))),
        );
      },
      release_pending_custom_messages: () => this.pending.splice(0),
    });
  }

  /** Queues a message; LDK sends it on the next pass. Throws a TypeError for bytes that do not decode. */
  send(type: bigint, bytes: Uint8Array, to: OnionMessageTarget): void {
    this.pending.push(
      ldk.TwoTuple_OnionMessageContentsMessageSendInstructionsZ.constructor_new(
        rawContents(type, bytes),
        instructions(to),
      ),
    );
  }
}

function readPath(bytes: Uint8Array, what: string): ldk.BlindedMessagePath {
  const res = ldk.BlindedMessagePath.constructor_read(bytes);
  if (!(res instanceof ldk.Result_BlindedMessagePathDecodeErrorZ_OK))
    throw new TypeError(`${what}: expected a blinded message path`);
  return res.res;
}

function instructions(to: OnionMessageTarget): ldk.MessageSendInstructions {
  if ('reply' in to) {
    const res = ldk.Responder.constructor_read(to.reply);
    if (!(res instanceof ldk.Result_ResponderDecodeErrorZ_OK)) throw new TypeError('reply: expected Responder bytes');
    return ldk.MessageSendInstructions.constructor_for_reply(res.res.respond());
  }
  const dest =
    'blindedPath' in to
      ? ldk.Destination.constructor_blinded_path(readPath(to.blindedPath, 'blindedPath'))
      : ldk.Destination.constructor_node(to.nodeId);
  if (to.replyPath)
    return ldk.MessageSendInstructions.constructor_with_specified_reply_path(dest, readPath(to.replyPath, 'replyPath'));
  if (to.replyContext)
    return ldk.MessageSendInstructions.constructor_with_reply_path(dest, messageContext(to.replyContext));
  return ldk.MessageSendInstructions.constructor_without_reply_path(dest);
}

function messageContext(c: ReplyContext): ldk.MessageContext {
  if (c.kind === 'custom') return ldk.MessageContext.constructor_custom(c.data);
  const nonce = ldk.Nonce.constructor_read(c.nonce);
  if (!(nonce instanceof ldk.Result_NonceDecodeErrorZ_OK)) throw new TypeError('replyContext.nonce: expected 16 bytes');
  return ldk.MessageContext.constructor_offers(
    ldk.OffersContext.constructor_outbound_payment(c.paymentId, nonce.res, c.hmac),
  );
}
