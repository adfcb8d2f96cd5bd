import { DEFAULT_CLAUDE_VERSION } from '../../src/config/options.js';
import type { ModeId } from '../../src/domain/modes.js';
import type { RunRecord } from '../../src/domain/results.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { sessionWith } from '../../src/engine/plan-session.js';
import { startSession, type Session, type SessionOptions } from '../../src/engine/session.js';
import { createRuntimes } from '../../src/runtimes/registry.js';
import type { Runtime } from '../../src/runtimes/types.js';
import { BASE_IMAGE } from './engines.js';

export function sessionOptions(overrides: Partial<SessionOptions> & { modes: ModeId[] }): SessionOptions {
  return sessionWith({ image: { baseImage: BASE_IMAGE, claudeVersion: DEFAULT_CLAUDE_VERSION }, ...overrides });
}

/** Runs a session on the real runtimes (some replaced, if given) and keeps every event for assertions. */
export function runSession(
  options: SessionOptions,
  onEvent: (event: EngineEvent, session: Session) => void = () => {},
  replaced: Partial<Record<ModeId, Runtime>> = {},
): { session: Session; events: EngineEvent[]; done: Promise<RunRecord[]> } {
  const events: EngineEvent[] = [];
  let session: Session | undefined;
  const pending: EngineEvent[] = [];
  session = startSession(options, { runtimes: { ...createRuntimes(), ...replaced } }, (event) => {
    events.push(event);
    if (session) onEvent(event, session);
    else pending.push(event);
  });
  for (const event of pending) onEvent(event, session);
  return { session, events, done: session.done };
}

export function outputOf(events: EngineEvent[], runId: string): string[] {
  return events.flatMap((event) => (event.type === 'output' && event.runId === runId ? [event.text] : []));
}
