/**
 * bLIP-50 "Error Handling": clients MUST filter error messages of problematic characters (NUL,
 * `<`, newlines, ASCII control characters) before displaying them anywhere (HTML, a TTY, C strings).
 */

// C0 and C1 controls (incl. NUL, CR, LF, ESC, DEL), HTML-active `<` `>` `&`, and the Unicode
// bidi overrides that can make a message display differently from what it says.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>&\u202a-\u202e\u2066-\u2069]/g;

/**
 * A display-safe copy of an LSP's error `message`: unsafe characters become `?`, and the text is
 * cut to `maxLength` characters.
 * @example sanitizeErrorMessage('bad\n<b>fee</b>') // 'bad??b?fee?/b?'
 */
export function sanitizeErrorMessage(message: string, maxLength = 200): string {
  const clean = String(message).replace(UNSAFE, '?');
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}
