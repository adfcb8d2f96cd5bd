import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../src/credentials/mask.js';
import { MODE_IDS, type ModeId } from '../../src/domain/modes.js';
import { readableText } from '../../src/domain/sanitize.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { startSession } from '../../src/engine/session.js';
import { exportContent } from '../../src/export/export-files.js';
import { buildResultsFile, sessionFacts } from '../../src/export/results-file.js';
import type { Runtime } from '../../src/runtimes/types.js';
import { FakeRuntime, ManualClock, probeLines } from '../helpers/fake-runtime.js';
import { sessionOptions } from '../helpers/session.js';

const TOKEN = 'sk-ant-oat01-Zq3xVb7NcW1mKp9RtY5uHs2LdF8gJ4e';
const MASK = maskSecret(TOKEN);

/** The token in each disguise a person would still read (or decode) as the token. */
const DISGUISES: Record<string, string> = {
  sgr: `${TOKEN.slice(0, 10)}\u001b[0m\u001b[31m${TOKEN.slice(10)}\u001b[0m`,
  zwsp: `${TOKEN.slice(0, 7)}\u200b${TOKEN.slice(7, 20)}\u2060${TOKEN.slice(20)}`,
  url: encodeURIComponent(TOKEN).replaceAll('-', '%2D'),
  base64: Buffer.from(`Bearer ${TOKEN}`).toString('base64'),
};

/** Every way the token could still be read in a text. */
function readsToken(text: string): boolean {
  const read = readableText(text);
  const decodedBase64 = (read.match(/[A-Za-z0-9+/=_-]{16,}/g) ?? []).map((piece) => Buffer.from(piece, 'base64').toString('latin1'));
  return [read, decodeURIComponentSafe(read), ...decodedBase64].some((form) => form.includes(TOKEN));
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function strings(json: string): string[] {
  const found: string[] = [];
  JSON.parse(json, (_key, value: unknown) => {
    if (typeof value === 'string') found.push(value);
    return value;
  });
  return found;
}

describe('a token in output, split or encoded', () => {
  for (const [name, disguised] of Object.entries(DISGUISES)) {
    it(`is masked on the terminal line, in results.json and in RESULTS.md (${name})`, async () => {
      expect(readsToken(disguised), 'the disguise still reads as the token').toBe(true);
      const clock = new ManualClock();
      const lines = probeLines().map((line) =>
        line.text.startsWith('cc-iso-probe kernel') ? { ...line, text: `cc-iso-probe kernel 6.1 ${disguised}` } : line,
      );
      const script = { lines: [...lines.slice(0, 3), { after: 1, text: `note ${disguised} end` }, ...lines.slice(3)], exitAfter: 5 };
      const fake = (mode: ModeId) => new FakeRuntime(mode, clock, script);
      const runtimes = Object.fromEntries(MODE_IDS.map((mode) => [mode, fake(mode)])) as unknown as Record<ModeId, Runtime>;
      const events: EngineEvent[] = [];
      const records = await startSession(
        sessionOptions({ modes: ['docker'], secrets: [TOKEN] }),
        { runtimes, now: clock.now },
        (event) => events.push(event),
      ).done;

      const shown = events.flatMap((event) => (event.type === 'output' ? [event.text] : []));
      const note = shown.find((line) => line.startsWith('note'));
      // The base64 form keeps the characters that encode the text around the token ("Bearer ").
      expect(note && readableText(note)).toMatch(new RegExp(`^note \\S*${MASK} end$`));
      for (const line of shown) expect(readsToken(line), line).toBe(false);

      const file = buildResultsFile(sessionFacts([], 'cc-iso run'), records, true);
      const json = exportContent(file, 'json');
      expect(strings(json).some((value) => value.includes(MASK)), 'the evidence keeps the masked kernel line').toBe(true);
      for (const value of strings(json)) expect(readsToken(value), value).toBe(false);
      const markdown = exportContent(file, 'markdown');
      expect(markdown).toContain(MASK);
      expect(readsToken(markdown)).toBe(false);
    });
  }
});
