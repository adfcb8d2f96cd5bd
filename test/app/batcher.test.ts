import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, RunInfo } from '../../src/engine/events.js';
import { OutputBatcher } from '../../src/state/batcher.js';
import { clearPane, emptyPane, paneDropped, paneLines, scrollBy } from '../../src/state/panes.js';
import { createAppStore, type AppStore } from '../../src/state/store.js';
import { record } from './helpers/fake-engine.js';

const docker: RunInfo = { id: 'd1', mode: 'docker', workload: 'probe', iteration: 1, warmup: false };
const docker2: RunInfo = { ...docker, id: 'd2', iteration: 2 };
const podman: RunInfo = { ...docker, id: 'p1', mode: 'podman' };

function setup(options = {}): { store: AppStore; batcher: OutputBatcher; updates: () => number } {
  const store = createAppStore(['docker', 'podman'], ['probe'], { modes: ['docker', 'podman'], workload: 'probe', prompt: 'p', runs: 1 });
  store.setState({ phase: 'run', panes: [emptyPane('docker'), emptyPane('podman')] });
  let count = 0;
  store.subscribe(() => {
    count += 1;
  });
  return { store, batcher: new OutputBatcher(store, options), updates: () => count };
}

const line = (run: RunInfo, text: string): EngineEvent => ({ type: 'output', runId: run.id, stream: 'stdout', text, at: 0 });
const start = (run: RunInfo, at = 0): EngineEvent => ({ type: 'status', runId: run.id, status: 'running', step: null, at });
const DIM = (text: string) => `\u001B[2m${text}\u001B[22m`;

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('OutputBatcher', () => {
  it('turns a flood of lines into one store update per tick', async () => {
    const { store, batcher, updates } = setup({ tickMs: 50 });
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'run-queued', run: podman });
    for (let i = 0; i < 10_000; i++) batcher.handle(line(i % 2 ? docker : podman, `line ${i}`));
    // Everything waits for the tick: the store has not moved yet.
    expect(updates()).toBe(0);
    expect(store.getState().runs).toEqual({});
    await vi.advanceTimersByTimeAsync(50);
    expect(updates()).toBe(1);
    expect(store.getState().runs.d1?.output.length).toBe(2000);
    expect(paneLines(store.getState(), 0, 2)).toEqual(['line 9997', 'line 9999']);
    expect(store.getState().panes[0]?.runIds).toEqual(['d1']);
    // Nothing new: no more updates.
    await vi.advanceTimersByTimeAsync(500);
    expect(updates()).toBe(1);
    // A line is in its run's buffer at once, but the state shows it from the next update on.
    batcher.handle(line(docker, 'one more'));
    expect(store.getState().runs.d1?.output.total).toBe(5001);
    expect(paneLines(store.getState(), 0, 1)).toEqual(['line 9999']);
    await vi.advanceTimersByTimeAsync(50);
    expect(updates()).toBe(2);
    expect(paneLines(store.getState(), 0, 1)).toEqual(['one more']);
  });

  it('keeps each run bounded and counts what it dropped', () => {
    const { store, batcher } = setup({ maxLines: 100, maxBytes: 10_000 });
    batcher.handle({ type: 'run-queued', run: docker });
    for (let i = 0; i < 1000; i++) batcher.handle(line(docker, `line ${i}`));
    batcher.flush();
    const output = store.getState().runs.d1!.output;
    expect([output.length, output.dropped]).toEqual([100, 900]);
    expect(paneDropped(store.getState(), 0)).toBe(900);
    expect(paneLines(store.getState(), 0, 2)).toEqual(['line 998', 'line 999']);
    for (let i = 0; i < 100; i++) batcher.handle(line(docker, 'x'.repeat(500)));
    batcher.flush();
    expect(output.length).toBe(20);
  });

  it('stamps start and end from the events and keeps the record', () => {
    const { store, batcher } = setup();
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'status', runId: 'd1', status: 'preparing', step: null, at: 100 });
    batcher.handle({ type: 'status', runId: 'd1', status: 'running', step: 'probe', at: 900 });
    batcher.flush();
    expect(store.getState().runs.d1).toMatchObject({ status: 'running', step: 'probe', startedAt: 100, endedAt: null });
    batcher.handle({ type: 'status', runId: 'd1', status: 'passed', step: null, at: 2500 });
    batcher.handle({ type: 'run-finished', runId: 'd1', record: record(docker, 'passed'), at: 2500 });
    batcher.flush();
    expect(store.getState().runs.d1).toMatchObject({ status: 'passed', startedAt: 100, endedAt: 2500 });
    expect(store.getState().runs.d1?.record?.status).toBe('passed');
  });

  it('gives each run its own buffer and shows a pane’s runs one after another', () => {
    const { store, batcher } = setup();
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'run-queued', run: docker2 });
    batcher.handle(start(docker));
    batcher.handle(line(docker, 'first'));
    batcher.handle(start(docker2, 5));
    batcher.handle(line(docker2, 'second'));
    batcher.flush();
    const state = store.getState();
    expect(state.panes[0]).toMatchObject({ runIds: ['d1', 'd2'], currentRunId: 'd2' });
    expect(state.runs.d1?.output.tail(5)).toEqual(['first']);
    expect(state.runs.d2?.output.tail(5)).toEqual(['second']);
    expect(paneLines(state, 0, 5)).toEqual(['first', DIM('── docker #2 ──'), 'second']);
  });

  it('keeps only the tail of a pane’s earlier run once the next one starts', () => {
    const { store, batcher } = setup({ maxLines: 100 });
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'run-queued', run: docker2 });
    batcher.handle(start(docker));
    for (let i = 0; i < 100; i++) batcher.handle(line(docker, `one ${i}`));
    batcher.flush();
    expect(store.getState().runs.d1?.output.length).toBe(100);
    batcher.handle(start(docker2));
    batcher.flush();
    const earlier = store.getState().runs.d1!.output;
    expect([earlier.length, earlier.dropped]).toEqual([10, 90]);
    expect(earlier.tail(1)).toEqual(['one 99']);
  });

  it('keeps a scrolled pane on the same lines while output arrives, within the pane', () => {
    const { store, batcher } = setup();
    store.setState({ pageSize: 10 });
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle(start(docker));
    for (let i = 0; i < 50; i++) batcher.handle(line(docker, `line ${i}`));
    batcher.flush();
    store.setState(scrollBy(store.getState(), 5));
    expect(paneLines(store.getState(), 0, 1)).toEqual(['line 44']);
    for (let i = 50; i < 60; i++) batcher.handle(line(docker, `line ${i}`));
    expect(paneLines(store.getState(), 0, 1)).toEqual(['line 44']);
    batcher.flush();
    expect(store.getState().panes[0]?.scroll).toBe(15);
    expect(paneLines(store.getState(), 0, 1)).toEqual(['line 44']);
    // Scrolling stops where the oldest line tops the page, and at the newest line.
    store.setState(scrollBy(store.getState(), 1000));
    expect(store.getState().panes[0]?.scroll).toBe(50);
    expect(paneLines(store.getState(), 0, 10)[0]).toBe('line 0');
    store.setState(scrollBy(store.getState(), -Infinity));
    expect(store.getState().panes[0]?.scroll).toBe(0);
  });

  it('starts a rerun on a new run with a new buffer and lets the old runs go', () => {
    const { store, batcher } = setup();
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle(start(docker));
    batcher.handle(line(docker, 'old output'));
    batcher.flush();
    store.setState(clearPane(store.getState(), 0));
    expect(store.getState().runs.d1).toBeUndefined();
    expect(paneLines(store.getState(), 0, 5)).toEqual([]);
    const again: RunInfo = { ...docker, id: 'd9' };
    batcher.handle({ type: 'run-queued', run: again });
    batcher.handle(start(again));
    batcher.handle(line(again, 'new output'));
    batcher.flush();
    expect(store.getState().panes[0]).toMatchObject({ runIds: ['d9'], currentRunId: 'd9' });
    expect(paneLines(store.getState(), 0, 5)).toEqual(['new output']);
  });

  it('shows the engine’s own lines dimmed and ignores runs it was not told about', () => {
    const { store, batcher } = setup();
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'output', runId: 'd1', stream: 'cc-iso', text: 'image is up to date', at: 0 });
    batcher.handle(line(podman, 'stray'));
    batcher.flush();
    expect(paneLines(store.getState(), 0, 5)).toEqual([DIM('image is up to date')]);
    expect(paneLines(store.getState(), 1, 5)).toEqual([]);
    expect(store.getState().runs.p1).toBeUndefined();
  });
});
