import { describe, expect, it } from 'vitest';
import { buildStep, parseStepLabel, progressBar, sessionProgress, stepLabel } from '../../src/domain/progress.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { startSession } from '../../src/engine/session.js';
import type { Runtime } from '../../src/runtimes/types.js';
import { FakeRuntime, ManualClock, probeLines } from '../helpers/fake-runtime.js';
import { sessionOptions } from '../helpers/session.js';

describe('progress', () => {
  it('reads an image build step from Podman\'s and Docker\'s build output', () => {
    expect(buildStep('STEP 5/13: RUN npm install -g @anthropic-ai/claude-code@2.1.332')).toEqual({ step: 5, total: 13 });
    expect(buildStep('Step 2/9 : FROM node:22-bookworm-slim')).toEqual({ step: 2, total: 9 });
    expect(buildStep(' ---> Running in 3b2c')).toBeNull();
    expect(buildStep('step 14/13: nonsense')).toBeNull();
    expect(parseStepLabel(stepLabel({ step: 5, total: 13 }))).toEqual({ step: 5, total: 13 });
    expect(parseStepLabel('probe')).toBeNull();
    expect(progressBar(5, 10, 10)).toBe('▰▰▰▰▰▱▱▱▱▱');
    expect(progressBar(13, 13, 4)).toBe('▰▰▰▰');
  });

  it('guesses the time left of a session from its pace so far', () => {
    expect(sessionProgress(0, 8, 5000)).toBe('0 of 8 runs done');
    expect(sessionProgress(2, 8, 30_000)).toBe('2 of 8 runs done · about 1m 30s left');
    expect(sessionProgress(8, 8, 90_000)).toBe('8 of 8 runs done');
  });

  it('the engine reports each build step as the preparing run\'s step', async () => {
    const clock = new ManualClock();
    const script = { prepareLines: ['STEP 1/3: FROM base', 'STEP 2/3: RUN npm i', 'noise', 'STEP 3/3: USER node'], lines: probeLines(), exitAfter: 10 };
    const runtimes = { docker: new FakeRuntime('docker', clock, script) } as unknown as Record<'docker', Runtime>;
    const events: EngineEvent[] = [];
    await startSession(sessionOptions({ modes: ['docker'] }), { runtimes: runtimes as never, now: clock.now }, (event) => events.push(event)).done;
    const steps = events.flatMap((event) => (event.type === 'status' && event.status === 'preparing' ? [event.step] : []));
    expect(steps).toEqual([null, 'STEP 1/3', 'STEP 2/3', 'STEP 3/3']);
    expect(events.some((event) => event.type === 'output' && event.text === 'STEP 2/3: RUN npm i')).toBe(true);
  });
});
