// Scan data quoted in a message: control characters (GS, RS, EOT…) become \xNN so a message stays readable.

/** At most `max` characters of `text`, control characters written as \xNN, an ellipsis when cut. */
export function printable(text: string, max = 40): string {
  let out = '';
  let count = 0;
  for (const ch of text) {
    if (count++ === max) return `${out}…`;
    const code = ch.codePointAt(0) ?? 0;
    out += code < 0x20 || (code >= 0x7f && code <= 0xa0) ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}
