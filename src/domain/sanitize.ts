/**
 * Cleans untrusted output from inside an isolation before a pane shows it. One line in, one row
 * out: SGR colours stay, and a line that set any is closed with a reset, so an attribute it left
 * on (conceal, \e[8m) cannot hide what follows; everything that could move the cursor, switch
 * screens, retitle the terminal, touch the clipboard or hide a link is removed, and so are
 * invisible characters (zero-width, bidi controls, line/paragraph separators) that could hide or
 * reorder text. Pure.
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
const RESET = `\u001b[0m`;
const ZWJ = 0x200d;

/**
 * Characters a terminal draws as nothing, or that reorder what is around them: soft hyphen,
 * combining grapheme joiner, Arabic letter mark, Hangul fillers, Khmer/Mongolian invisibles,
 * zero-width space/joiners and LRM/RLM (U+200B–U+200F), U+2028/2029, bidi embeddings and
 * overrides (U+202A–U+202E), word joiner and invisible operators (U+2060–U+2064), bidi isolates
 * and deprecated format controls (U+2066–U+206F), BOM, interlinear annotations.
 */
const INVISIBLE_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad], [0x034f, 0x034f], [0x061c, 0x061c], [0x115f, 0x1160], [0x17b4, 0x17b5],
  [0x180b, 0x180f], [0x200b, 0x200f], [0x2028, 0x202e], [0x2060, 0x2064], [0x2066, 0x206f],
  [0x3164, 0x3164], [0xfeff, 0xfeff], [0xffa0, 0xffa0], [0xfff9, 0xfffb],
];
/** Variation selectors: invisible after a letter; only detection removes them (emoji need them). */
const VARIATION_SELECTORS: readonly [number, number] = [0xfe00, 0xfe0f];
/** U+E0000–U+E03FF (tag characters, variation selectors 17–256), as UTF-16: this high surrogate. */
const TAG_HIGH = 0xdb40;
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\uFE0F/u;
/** Quick test: anything a reader would not see as itself (controls, escapes, invisibles). */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\udb40]/;

/** The line as a pane should show it: text and SGR colours only, attributes reset at its end. */
export function sanitizeLine(line: string): string {
  const out = scan(line);
  // Idempotent: a line cleaned twice gets one reset.
  return out.includes('\u001b[') && !out.endsWith(RESET) && !out.endsWith('\u001b[m') ? out + RESET : out;
}

/**
 * The text as a person reads it on a terminal, for finding secrets that output split with
 * colours, controls or invisible characters: every escape sequence, control and invisible
 * character removed, nothing cut at a \r (what came before it may well have been on screen),
 * a TAB as one space. The line itself when it holds nothing hidden.
 */
export function readableText(line: string): string {
  if (!HIDDEN.test(line)) return line;
  let text = '';
  walkReadable(line, (start, end, replacement) => {
    text += replacement ?? line.slice(start, end);
  });
  return text;
}

/** readableText, and where each of its UTF-16 units stands in the line (`at[i]`). */
export function readableMap(line: string): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  walkReadable(line, (start, end, replacement) => {
    text += replacement ?? line.slice(start, end);
    for (let i = start; i < end; i++) at.push(i);
  });
  return { text, at };
}

/** Calls `onText` for each stretch of the line a reader sees, in order (a TAB with its one space). */
function walkReadable(line: string, onText: (start: number, end: number, replacement?: string) => void): void {
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c === ESC || isC1(c)) {
      i = readSequence(line, i).end;
    } else if (c === TAB) {
      onText(i, i + 1, ' ');
      i++;
    } else if (c < 0x20 || c === DEL || isVariationSelector(c) || invisibleLength(line, i) > 0) {
      i += Math.max(1, invisibleLength(line, i));
    } else {
      let end = i + 1;
      while (end < line.length && isReadable(line, end)) end++;
      onText(i, end);
      i = end;
    }
  }
}

function isReadable(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x20 && c !== DEL && !isC1(c) && !isVariationSelector(c) && invisibleLength(s, i) === 0;
}

/** The SGR sequences in a piece of a line, in order: what keeps the colours right when the text is replaced. */
export function coloursIn(fragment: string): string {
  let out = '';
  let i = 0;
  while (i < fragment.length) {
    const c = fragment.charCodeAt(i);
    if (c === ESC || isC1(c)) {
      const sequence = readSequence(fragment, i);
      if (sequence.isSgr) out += fragment.slice(i, sequence.end);
      i = sequence.end;
    } else {
      i++;
    }
  }
  return out;
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
    if (visible === max) {
      const cut = `${line.slice(0, ellipsisAt)}…`;
      // The reset at the end of a sanitized line is past the cut: put it back.
      return cut.includes('\u001b[') ? cut + RESET : cut;
    }
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
    } else if (c >= 0xa0) {
      // Only invisible characters reach here (isText lets everything else through).
      if (c === ZWJ) {
        // Kept only where it joins emoji (👩‍💻); anywhere else it hides a break in the text.
        if (joinsEmoji(line, i)) appendText(line[i]!);
        i++;
      } else {
        i += invisibleLength(line, i);
      }
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
  if (c < 0xa0) return c >= 0x20 && c !== DEL && !isC1(c);
  return !isInvisibleUnit(c) && c !== TAG_HIGH;
}

function isInvisibleUnit(c: number): boolean {
  if (c > 0xfffb || c < 0x00ad) return false;
  for (const [low, high] of INVISIBLE_RANGES) if (c >= low && c <= high) return true;
  return false;
}

function isVariationSelector(c: number): boolean {
  return c >= VARIATION_SELECTORS[0] && c <= VARIATION_SELECTORS[1];
}

/**
 * The length in UTF-16 units of the invisible character at `i`, or 0: a tag character is two
 * units; a lone U+DB40 (half of nothing) goes as one.
 */
function invisibleLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === TAG_HIGH) return isLowSurrogate(s.charCodeAt(i + 1)) ? 2 : 1;
  return isInvisibleUnit(c) ? 1 : 0;
}

/** Whether the ZWJ at `i` stands between two emoji, as in 👩‍💻. */
function joinsEmoji(s: string, i: number): boolean {
  const beforeStart = i >= 2 && isLowSurrogate(s.charCodeAt(i - 1)) ? i - 2 : i - 1;
  const before = beforeStart >= 0 ? s.codePointAt(beforeStart) : undefined;
  const after = s.codePointAt(i + 1);
  if (before === undefined || after === undefined) return false;
  return PICTOGRAPHIC.test(String.fromCodePoint(before)) && PICTOGRAPHIC.test(String.fromCodePoint(after));
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
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
