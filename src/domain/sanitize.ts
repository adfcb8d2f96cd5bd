/**
 * Cleans untrusted output from inside an isolation before a pane shows it. One line in, one row
 * out: SGR colours stay; everything that could move the cursor, switch screens, retitle the
 * terminal, touch the clipboard or hide a link is removed. Pure.
 *
 * Node's `util.stripVTControlCharacters` is not enough here: it leaves DCS payloads, a lone ESC and
 * C0 controls (BEL, \r) in place, and it would drop the colours. So one small scanner does it.
 */

const ESC = 0x1b;
const BEL = 0x07;
const TAB = 0x09;
const CR = 0x0d;
const DEL = 0x7f;
/** String Terminator in its 8-bit form. */
const ST8 = 0x9c;
const CSI8 = 0x9b;
const OSC8 = 0x9d;
/** 8-bit DCS, SOS, PM and APC: strings that run until ST. */
const STRING_INTRODUCERS_8 = new Set([0x90, 0x98, 0x9e, 0x9f]);
/** The 7-bit forms: ESC P, ESC X, ESC ^, ESC _. */
const STRING_INTRODUCERS_7 = new Set(['P', 'X', '^', '_'].map((c) => c.charCodeAt(0)));

/** A TAB becomes two spaces: predictable, and no tab stops to track. */
const TAB_TEXT = '  ';

/** The line as a pane should show it: text and SGR colours only. */
export function sanitizeLine(line: string): string {
  return scan(line);
}

/**
 * At most `max` visible characters, the last one an ellipsis when something was cut. Meant for
 * sanitized lines: SGR sequences are not counted and never cut in half.
 */
export function truncateLine(line: string, max = 1000): string {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`truncateLine: max must be a whole number ≥ 1, got ${max}`);
  if (line.length <= max) return line;
  let visible = 0;
  let ellipsisAt = 0; // where the max-th visible character starts
  let i = 0;
  while (i < line.length) {
    if (line.charCodeAt(i) === ESC) {
      i = readSequence(line, i).end;
      continue;
    }
    if (visible === max - 1) ellipsisAt = i;
    if (visible === max) return `${line.slice(0, ellipsisAt)}…`;
    visible++;
    i += codePointLength(line, i);
  }
  return line;
}

function scan(line: string): string {
  let out = '';
  // Where `out` stood at the first \r since the last text. The cut waits for visible text, so a
  // trailing \r (a CRLF leftover) or a \r followed only by escapes does not blank the line.
  let cutAt: number | null = null;
  const appendText = (text: string): void => {
    if (cutAt !== null) {
      out = out.slice(cutAt);
      cutAt = null;
    }
    out += text;
  };

  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (isText(c)) {
      let end = i + 1;
      while (end < line.length && isText(line.charCodeAt(end))) end++;
      appendText(line.slice(i, end));
      i = end;
    } else if (c === TAB) {
      appendText(TAB_TEXT);
      i++;
    } else if (c === ESC || isC1(c)) {
      const sequence = readSequence(line, i);
      if (sequence.isSgr) out += line.slice(i, sequence.end);
      i = sequence.end;
    } else {
      // Any other C0 control, or DEL. Only \r matters: the text after it replaces the line.
      if (c === CR) cutAt ??= out.length;
      i++;
    }
  }
  return out;
}

function isText(c: number): boolean {
  return c >= 0x20 && c !== DEL && !isC1(c);
}

function isC1(c: number): boolean {
  return c >= 0x80 && c <= 0x9f;
}

interface Sequence {
  /** Index just past the sequence. */
  end: number;
  isSgr: boolean;
}

/**
 * Reads the escape sequence or C1 control at `start` (ESC or U+0080–U+009F). A malformed one ends
 * at the first character that cannot belong to it, which is then scanned as usual; an unterminated
 * one runs to the end of the line, so no part of it leaks out as text.
 */
function readSequence(s: string, start: number): Sequence {
  const c = s.charCodeAt(start);
  if (c === CSI8) return { end: readCsi(s, start + 1).end, isSgr: false }; // 8-bit SGR is dropped too
  if (c === OSC8) return { end: readString(s, start + 1, true), isSgr: false };
  if (STRING_INTRODUCERS_8.has(c)) return { end: readString(s, start + 1, false), isSgr: false };
  if (c !== ESC) return { end: start + 1, isSgr: false }; // any other C1 control stands alone

  const next = s.charCodeAt(start + 1);
  if (next === 0x5b /* [ */) return readCsi(s, start + 2);
  if (next === 0x5d /* ] */) return { end: readString(s, start + 2, true), isSgr: false };
  if (STRING_INTRODUCERS_7.has(next)) return { end: readString(s, start + 2, false), isSgr: false };
  // Two-byte and charset sequences: ESC, intermediates 0x20–0x2F, a final 0x30–0x7E (ESC c, ESC 7, ESC (B).
  let i = start + 1;
  while (inRange(s.charCodeAt(i), 0x20, 0x2f)) i++;
  return { end: inRange(s.charCodeAt(i), 0x30, 0x7e) ? i + 1 : i, isSgr: false };
}

/**
 * CSI body from `i`: parameters 0x30–0x3F, intermediates 0x20–0x2F, a final 0x40–0x7E. It is a
 * colour (SGR) only with final `m`, no intermediates, and parameters of digits, `;` and `:` —
 * which rules out private forms such as `ESC [ > 4 m`.
 */
function readCsi(s: string, i: number): Sequence {
  const paramsStart = i;
  while (inRange(s.charCodeAt(i), 0x30, 0x3f)) i++;
  const paramsEnd = i;
  while (inRange(s.charCodeAt(i), 0x20, 0x2f)) i++;
  const final = s.charCodeAt(i);
  if (!inRange(final, 0x40, 0x7e)) return { end: i, isSgr: false };
  const isSgr = final === 0x6d /* m */ && i === paramsEnd && /^[\d;:]*$/.test(s.slice(paramsStart, paramsEnd));
  return { end: i + 1, isSgr };
}

/**
 * Control string body (OSC, DCS, SOS, PM, APC) from `i` to its terminator: ST (ESC \ or U+009C),
 * or BEL for OSC, as xterm accepts. Any other ESC ends the string and starts a new sequence.
 */
function readString(s: string, i: number, belEnds: boolean): number {
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === ST8 || (c === BEL && belEnds)) return i + 1;
    if (c === ESC) return s.charCodeAt(i + 1) === 0x5c /* \ */ ? i + 2 : i;
  }
  return i;
}

function inRange(c: number, low: number, high: number): boolean {
  return c >= low && c <= high; // false for NaN past the end of the string
}

function codePointLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}
