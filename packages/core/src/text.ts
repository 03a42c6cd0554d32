/**
 * Text a person typed (a name, a reason, a notice) as the hub accepts it: no control characters (C0
 * and DEL: a NUL cannot even be stored by PostgreSQL, the bank's central store) and no half of a
 * UTF-16 surrogate pair without the other half, which is not text at all and cannot be encoded as
 * UTF-8. Checked where such text enters (the protocol's input schemas, the domain's configuration
 * checks), never on what is already in the log: a log is folded whatever it holds.
 */
export function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}
