import iconv from 'iconv-lite';

/**
 * Columns a character takes on the printer: an ASCII character is one half-width cell (12 × 24 dots
 * in font A), anything else is printed in Chinese mode as one full-width cell (24 × 24 dots).
 */
export function charColumns(ch: string): 1 | 2 {
  return (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
}

export function textColumns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

export function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

/** GB18030 bytes (ASCII stays one byte; Chinese is two, rare characters four). */
export function encodeGb18030(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gb18030'));
}

/** Punctuation that must not start a line (Chinese line-breaking rule, 避头点). */
const NO_LINE_START = new Set([...'，。、：；！？）」』】》〉”’,.:;!?)]}%']);

/**
 * Breaks text into lines of at most `columns` columns: at spaces for Latin words (a word longer than
 * a line is cut), between any two Chinese characters, never putting closing punctuation at the start
 * of a line. Explicit newlines are kept.
 */
export function wrapText(text: string, columns: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    const tokens = tokenize(paragraph);
    let line = '';
    let width = 0;
    for (let i = 0; i < tokens.length; i++) {
      const tok = tokens[i]!;
      const w = textColumns(tok);
      if (tok === ' ') {
        if (width > 0 && width + 1 <= columns) {
          line += ' ';
          width += 1;
        }
        continue;
      }
      if (width + w <= columns) {
        line += tok;
        width += w;
        continue;
      }
      if (w > columns) {
        // A Latin word longer than the line: cut it.
        for (const ch of tok) {
          const cw = charColumns(ch);
          if (width + cw > columns) {
            out.push(line.trimEnd());
            line = '';
            width = 0;
          }
          line += ch;
          width += cw;
        }
        continue;
      }
      if (NO_LINE_START.has(tok) && line.length > 0) {
        // Take the previous character down with the punctuation rather than start a line with it.
        const chars = [...line.trimEnd()];
        const prev = chars.pop() ?? '';
        const rest = chars.join('');
        if (rest.length > 0 && textColumns(prev + tok) <= columns) {
          out.push(rest.trimEnd());
          line = prev + tok;
          width = textColumns(line);
          continue;
        }
      }
      out.push(line.trimEnd());
      line = tok;
      width = w;
    }
    out.push(line.trimEnd());
  }
  return out;
}

/** Latin words, single spaces and single non-ASCII characters. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  for (const ch of text) {
    if (ch === ' ') {
      if (word) tokens.push(word);
      word = '';
      tokens.push(' ');
    } else if (charColumns(ch) === 2) {
      if (word) tokens.push(word);
      word = '';
      tokens.push(ch);
    } else word += ch;
  }
  if (word) tokens.push(word);
  return tokens;
}
