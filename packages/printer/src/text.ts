import iconv from 'iconv-lite';
import { TICKET_WORDS } from './words.ts';

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

/** Punctuation that must not start a line (Chinese line-breaking rule, 避头点): it stays with what is before it. */
const NO_LINE_START = new Set([...'，。、：；！？）」』】》〉”’…,.:;!?)]}%']);
/** Punctuation and signs that must not end a line (避尾点): they stay with what follows them. */
const NO_LINE_END = new Set([...'（「『【《〈“‘([{￥$#']);
/** A number binds to the Chinese character right after it: "3号", "5万元". */
const DIGIT = /\d$/;

const WORDS = new Set(TICKET_WORDS);
const LONGEST_WORD = Math.max(...TICKET_WORDS.map((w) => [...w].length));

/**
 * Characters a Chinese-market printer's two-byte font may lack, written as ones it has (its font
 * covers GB2312; GB18030's four-byte area is out of reach for most, hardware/escpos.md §3): the
 * half-width yen sign as the full-width one, an en dash as a hyphen.
 */
const PRINTABLE: Record<string, string> = { '¥': '￥', '–': '-' };

export function printable(text: string): string {
  return text.replace(/[¥–]/g, (c) => PRINTABLE[c] ?? c);
}

type TokenKind = 'space' | 'latin' | 'cjk';
interface Token {
  text: string;
  kind: TokenKind;
}

/**
 * Breaks text into lines of at most `columns` columns (hardware/escpos.md §2.1). A line may break:
 * at a space; between two Chinese words, where a word is an entry of TICKET_WORDS (longest match)
 * or else a single character; before a run of Latin letters and digits. It never breaks inside a
 * run of Latin letters, digits and ASCII punctuation ("50,000", "A023", "10-15"), inside a listed
 * word, between a number and the Chinese character right after it ("3号", "5万元"), before closing
 * punctuation ("，" "。" "）" "》") or after opening punctuation and currency signs ("《" "（" "￥").
 * Only a piece longer than a whole line is cut, where it has to be. Explicit newlines are kept.
 */
export function wrapText(text: string, columns: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let width = 0;
    const push = () => {
      out.push(line.trimEnd());
      line = '';
      width = 0;
    };
    for (const unit of units(tokenize(paragraph))) {
      if (unit === ' ') {
        if (width > 0 && width + 1 <= columns) {
          line += ' ';
          width += 1;
        }
        continue;
      }
      const w = textColumns(unit);
      if (width + w <= columns) {
        line += unit;
        width += w;
        continue;
      }
      if (w > columns) {
        // Longer than a whole line (a long URL, a very long word): cut where it has to be.
        for (const ch of unit) {
          const cw = charColumns(ch);
          if (width + cw > columns) push();
          if (width === 0 && ch === ' ') continue;
          line += ch;
          width += cw;
        }
        continue;
      }
      push();
      line = unit;
      width = w;
    }
    out.push(line.trimEnd());
  }
  return out;
}

/** Spaces, runs of ASCII (Latin words, numbers), listed Chinese words and single other characters. */
function tokenize(text: string): Token[] {
  const chars = [...text];
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; ) {
    const ch = chars[i]!;
    if (ch === ' ') {
      tokens.push({ text: ' ', kind: 'space' });
      i++;
    } else if (charColumns(ch) === 1) {
      let j = i;
      while (j < chars.length && chars[j] !== ' ' && charColumns(chars[j]!) === 1) j++;
      tokens.push({ text: chars.slice(i, j).join(''), kind: 'latin' });
      i = j;
    } else {
      // The longest listed word starting here, or this one character.
      let n = Math.min(LONGEST_WORD, chars.length - i);
      while (n > 1 && !WORDS.has(chars.slice(i, i + n).join(''))) n--;
      tokens.push({ text: chars.slice(i, i + n).join(''), kind: 'cjk' });
      i += n;
    }
  }
  return tokens;
}

/** Tokens glued into the pieces a line may break between (' ' stands for a space). */
function units(tokens: readonly Token[]): string[] {
  const out: string[] = [];
  let cur: Token | null = null;
  for (const tok of tokens) {
    if (tok.kind === 'space') {
      // "（ " or "￥ ": the space does not let the sign end a line.
      if (cur && NO_LINE_END.has([...cur.text].at(-1)!)) {
        cur.text += ' ';
        continue;
      }
      if (cur) out.push(cur.text);
      out.push(' ');
      cur = null;
      continue;
    }
    if (cur === null && NO_LINE_START.has([...tok.text][0]!) && out.at(-1) === ' ' && out.length > 1) {
      // " ，": a space before closing punctuation does not let it start a line either.
      out.pop();
      cur = { text: `${out.pop()!} ${tok.text}`, kind: tok.kind };
      continue;
    }
    if (cur === null) {
      cur = { ...tok };
      continue;
    }
    const glue =
      NO_LINE_START.has([...tok.text][0]!) ||
      NO_LINE_END.has([...cur.text.trimEnd()].at(-1)!) ||
      (cur.kind === 'latin' && DIGIT.test(cur.text) && tok.kind === 'cjk');
    if (glue) {
      cur.text += tok.text;
      cur.kind = tok.kind;
    } else {
      out.push(cur.text);
      cur = { ...tok };
    }
  }
  if (cur) out.push(cur.text);
  return out;
}
