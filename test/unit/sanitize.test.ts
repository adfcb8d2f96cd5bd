import { describe, expect, it } from 'vitest';
import { readableMap, readableText, sanitizeLine, truncateLine } from '../../src/domain/sanitize.js';

const ESC = '\x1b';
const ST = `${ESC}\\`;

describe('sanitizeLine keeps', () => {
  it('16-colour, 256-colour and truecolour SGR, in both ; and : forms', () => {
    const lines = [
      `${ESC}[31mred${ESC}[0m`,
      `${ESC}[1;4;92mbold${ESC}[m`,
      `${ESC}[38;5;196mx${ESC}[48;5;21my${ESC}[0m`,
      `${ESC}[38;2;255;128;0morange${ESC}[39m`,
      `${ESC}[38:2::255:128:0morange${ESC}[39m`,
      `${ESC}[4:3mcurly underline${ESC}[4:0m`,
    ];
    for (const line of lines) expect(sanitizeLine(line).replace(/\x1b\[0m$/, '')).toBe(line.replace(/\x1b\[0m$/, ''));
  });

  it('unicode text and emoji', () => {
    const line = 'naïve café — 日本語 ✔ 👩‍💻 🇫🇷 e\u0301';
    expect(sanitizeLine(line)).toBe(line);
  });
});

describe('sanitizeLine removes', () => {
  it('cursor movement, positioning and erasing', () => {
    expect(sanitizeLine(`a${ESC}[2Ab${ESC}[10;5Hc${ESC}[2J${ESC}[K${ESC}[1Kd${ESC}[3;20r${ESC}[S`)).toBe('abcd');
  });

  it('private modes: alternate screen, hidden cursor, modifyOtherKeys', () => {
    expect(sanitizeLine(`${ESC}[?1049h${ESC}[?25lx${ESC}[?25h${ESC}[?1049l`)).toBe('x');
    expect(sanitizeLine(`${ESC}[>4;2mx`)).toBe('x');
  });

  it('OSC 0 title, terminated by BEL or by ST', () => {
    expect(sanitizeLine(`${ESC}]0;pwned title\x07text`)).toBe('text');
    expect(sanitizeLine(`${ESC}]0;pwned title${ST}text`)).toBe('text');
  });

  it('OSC 52 clipboard writes', () => {
    expect(sanitizeLine(`before${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07after`)).toBe('beforeafter');
  });

  it('OSC 8 hyperlinks, keeping the link text', () => {
    expect(sanitizeLine(`see ${ESC}]8;;https://evil.example/?q=1${ST}the docs${ESC}]8;;${ST} now`)).toBe('see the docs now');
  });

  it('DCS, SOS, PM and APC strings', () => {
    expect(sanitizeLine(`a${ESC}Pq#0;2;0;0;0#0!7~${ST}b`)).toBe('ab');
    expect(sanitizeLine(`a${ESC}Xsos${ST}b${ESC}^pm${ST}c${ESC}_Gf=100;AAAA${ST}d`)).toBe('abcd');
  });

  it('8-bit C1 controls with their parameters: CSI, OSC, DCS and lone ones', () => {
    expect(sanitizeLine('a\x9b2Jb\x9b31mc')).toBe('abc');
    expect(sanitizeLine('a\x9d0;title\x07b\x9d8;;https://x\x9cc')).toBe('abc');
    expect(sanitizeLine('a\x90payload\x9cb\x85c\x8dd')).toBe('abcd');
  });

  it('other ESC sequences: reset, save/restore cursor, keypad, charsets', () => {
    expect(sanitizeLine(`${ESC}ca${ESC}7b${ESC}8c${ESC}=d${ESC}>e${ESC}(Bf${ESC})0g${ESC}#8h`)).toBe('abcdefgh');
  });

  it('a lone ESC, at the end or before text', () => {
    expect(sanitizeLine(`done${ESC}`)).toBe('done');
    expect(sanitizeLine(`a${ESC}${ESC}[31mb`)).toBe(`a${ESC}[31mb${ESC}[0m`);
    expect(sanitizeLine(`half${ESC}[12`)).toBe('half');
  });

  it('NUL, BEL, backspace, DEL and other C0 controls', () => {
    expect(sanitizeLine('a\x00b\x07c\x08d\x7fe\x0bf\x0cg\x1ah\ni')).toBe('abcdefghi');
  });

  it('an unterminated OSC, to the end of the line', () => {
    expect(sanitizeLine(`text${ESC}]0;no terminator and more text`)).toBe('text');
    expect(sanitizeLine(`text${ESC}]52;c;${'A'.repeat(1000)}`)).toBe('text');
  });

  it('an OSC cut short by another escape, which is then read on its own', () => {
    expect(sanitizeLine(`${ESC}]0;title${ESC}[32mgreen`)).toBe(`${ESC}[32mgreen${ESC}[0m`);
  });
});

describe('sanitizeLine control characters', () => {
  it('keeps only the text after the last \\r, as a progress bar shows', () => {
    expect(sanitizeLine('10%\r50%\r100%')).toBe('100%');
    expect(sanitizeLine('downloading 10%\r\x1b[Kdone')).toBe('done');
  });

  it('keeps colours set after the \\r', () => {
    expect(sanitizeLine(`${ESC}[31m10%\r${ESC}[32m100%${ESC}[0m`)).toBe(`${ESC}[32m100%${ESC}[0m`);
    expect(sanitizeLine(`10%\r${ESC}[32m\r100%`)).toBe(`${ESC}[32m100%${ESC}[0m`);
  });

  it('drops a trailing \\r left from CRLF', () => {
    expect(sanitizeLine('line\r')).toBe('line');
    expect(sanitizeLine(`${ESC}[31mline${ESC}[0m\r`)).toBe(`${ESC}[31mline${ESC}[0m`);
    expect(sanitizeLine('10%\r50%\r')).toBe('50%');
  });

  it('does not treat a \\r inside an OSC as a line reset', () => {
    expect(sanitizeLine(`keep${ESC}]0;a\rb\x07 me`)).toBe('keep me');
  });

  it('turns a TAB into two spaces', () => {
    expect(sanitizeLine('a\tb\t\tc')).toBe('a  b    c');
  });
});

describe('truncateLine', () => {
  it('leaves a line within the limit alone', () => {
    expect(truncateLine('abc', 3)).toBe('abc');
    expect(truncateLine(`${ESC}[31mabc${ESC}[0m`, 3)).toBe(`${ESC}[31mabc${ESC}[0m`);
  });

  it('cuts to max visible characters, ending in an ellipsis', () => {
    expect(truncateLine('abcdef', 4)).toBe('abc…');
    expect(truncateLine('x'.repeat(5000))).toBe(`${'x'.repeat(999)}…`);
  });

  it('does not count or split colour sequences', () => {
    expect(truncateLine(`${ESC}[31mab${ESC}[32mcdef`, 4)).toBe(`${ESC}[31mab${ESC}[32mc…${ESC}[0m`);
  });

  it('does not split a surrogate pair', () => {
    expect(truncateLine('😀😀😀😀', 3)).toBe('😀😀…');
  });

  it('rejects a max below 1', () => {
    expect(() => truncateLine('abc', 0)).toThrow(RangeError);
  });
});

describe('display attributes never outlive their line', () => {
  it('closes a line that sets conceal (or any attribute) and never resets it', () => {
    expect(sanitizeLine(`${ESC}[8mhidden`)).toBe(`${ESC}[8mhidden${ESC}[0m`);
    expect(sanitizeLine(`${ESC}[31mred${ESC}[0m and ${ESC}[7mreverse`)).toBe(`${ESC}[31mred${ESC}[0m and ${ESC}[7mreverse${ESC}[0m`);
  });

  it('adds nothing to a line without colours, and one reset however often a line is cleaned', () => {
    expect(sanitizeLine('plain')).toBe('plain');
    const once = sanitizeLine(`${ESC}[8mx`);
    expect(sanitizeLine(once)).toBe(once);
  });

  it('keeps the reset when a long coloured line is cut', () => {
    expect(truncateLine(sanitizeLine(`${ESC}[8m${'x'.repeat(50)}`), 10)).toBe(`${ESC}[8m${'x'.repeat(9)}…${ESC}[0m`);
  });
});

describe('invisible characters', () => {
  it('removes bidi controls that reorder what a reader sees', () => {
    // "Trojan source": an RLO makes `evil` read backwards.
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f'];
    for (const control of bidi) expect(sanitizeLine(`a${control}b`)).toBe('ab');
  });

  it('removes zero-width characters, the BOM, tag characters and the line/paragraph separators', () => {
    expect(sanitizeLine('to\u200bk\u200ce\u200dn\u2060!\ufeff')).toBe('token!');
    expect(sanitizeLine('one\u2028two\u2029three')).toBe('onetwothree');
    expect(sanitizeLine('a\u{e0041}\u{e007f}b\u00adc')).toBe('abc');
  });

  it('keeps the joiner inside an emoji sequence', () => {
    expect(sanitizeLine('👩\u200d💻 👩🏽\u200d🚀 ❤\ufe0f\u200d🔥')).toBe('👩\u200d💻 👩🏽\u200d🚀 ❤\ufe0f\u200d🔥');
  });

  it('readableText drops every escape and invisible character; readableMap maps each unit back', () => {
    const line = `a${ESC}[31mb\u200bc\u001b]0;t\u0007d\te\ufe0ff\rg`;
    expect(readableText(line)).toBe('abcd efg');
    const { text, at } = readableMap(line);
    expect(text).toBe('abcd efg');
    expect([...text].map((_char, i) => line[at[i]!])).toEqual(['a', 'b', 'c', 'd', '\t', 'e', 'f', 'g']);
    expect(readableText('plain')).toBe('plain');
  });
});
