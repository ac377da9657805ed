/**
 * `jitlsp decode <string>`: prints any BOLT 12 string (offer, invoice_request, invoice) as JSON, with both ids
 * of its offer: `offer_id` (Core Lightning's, SHA-256 of the offer TLVs) and `ldk_offer_id` (LDK's `OfferId`,
 * the key the jitlsp client's router registers offers under).
 * An invalid string exits 1 with one line on stderr naming the rule it broke (`Bolt12Error.rule`).
 * A signed message whose signature does not verify is still printed (operators want to see what
 * was sent), with `"signature_valid": false`, and also exits 1 with the signature rule on stderr.
 */
import { Bolt12Error, decodeBolt12Json } from '../bolt12/index.js';

export type Io = { out: (s: string) => void; err: (s: string) => void; readStdin: () => Promise<string> };

export async function runDecode(args: readonly string[], io: Io): Promise<number> {
  if (args.length === 0) {
    io.err('usage: jitlsp decode <bolt12-string>   (or `-` to read it from stdin)\n');
    return 2;
  }
  // `-` reads the string from stdin (long invoices); surrounding whitespace such as the final newline
  // is not part of it. A string split over several arguments (pasted unquoted with `+ `) is rejoined.
  const input = args.length === 1 && args[0] === '-' ? (await io.readStdin()).trim() : args.join(' ');
  try {
    const { json, signatureValid, kind } = decodeBolt12Json(input);
    io.out(JSON.stringify(json, null, 2) + '\n');
    if (signatureValid === false) {
      const rule = kind === 'invoice' ? 'invoice.signature' : 'invreq.signature';
      io.err(`jitlsp decode: invalid ${kind}: ${new Bolt12Error(rule).message}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof Bolt12Error) {
      io.err(`jitlsp decode: invalid: ${e.message.replace(/\s+/g, ' ')}\n`);
      return 1;
    }
    throw e;
  }
}
