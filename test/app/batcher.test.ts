import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineEvent, RunInfo } from '../../src/engine/events.js';
import { OutputBatcher } from '../../src/state/batcher.js';
import { emptyPane } from '../../src/state/panes.js';
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

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('OutputBatcher', () => {
  it('turns a flood of lines into one store update per tick', async () => {
    const { store, batcher, updates } = setup({ tickMs: 50 });
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'run-queued', run: podman });
    for (let i = 0; i < 10_000; i++) batcher.handle(line(i % 2 ? docker : podman, `line ${i}`));
    // The lines are in the buffers at once, the store has not moved yet.
    expect(batcher.buffer('docker').length).toBe(2000);
    expect(updates()).toBe(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(updates()).toBe(1);
    expect(store.getState().panes.map((pane) => pane.revision)).toEqual([1, 1]);
    expect(store.getState().panes[0]?.runIds).toEqual(['d1']);
    // Nothing new: no more updates.
    await vi.advanceTimersByTimeAsync(500);
    expect(updates()).toBe(1);
    batcher.handle(line(docker, 'one more'));
    await vi.advanceTimersByTimeAsync(50);
    expect(updates()).toBe(2);
    expect(store.getState().panes.map((pane) => pane.revision)).toEqual([2, 1]);
  });

  it('keeps each pane bounded and counts what it dropped', () => {
    const { batcher } = setup({ maxLines: 100, maxBytes: 10_000 });
    batcher.handle({ type: 'run-queued', run: docker });
    for (let i = 0; i < 1000; i++) batcher.handle(line(docker, `line ${i}`));
    const buffer = batcher.buffer('docker');
    expect(buffer.length).toBe(100);
    expect(buffer.dropped).toBe(900);
    expect(buffer.tail(2)).toEqual(['line 998', 'line 999']);
    for (let i = 0; i < 100; i++) batcher.handle(line(docker, 'x'.repeat(500)));
    expect(buffer.length).toBe(20);
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

  it('follows the latest run of a pane and separates the runs', () => {
    const { store, batcher } = setup();
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'run-queued', run: docker2 });
    batcher.handle({ type: 'status', runId: 'd1', status: 'preparing', step: null, at: 0 });
    batcher.handle(line(docker, 'first'));
    batcher.handle({ type: 'status', runId: 'd2', status: 'preparing', step: null, at: 5 });
    batcher.handle(line(docker2, 'second'));
    batcher.flush();
    expect(store.getState().panes[0]).toMatchObject({ runIds: ['d1', 'd2'], currentRunId: 'd2' });
    expect(batcher.buffer('docker').tail(3)).toEqual(['first', '\u001B[2m── docker #2 ──\u001B[22m', 'second']);
  });

  it('keeps a scrolled pane on the same lines while output arrives', () => {
    const { store, batcher } = setup();
    store.setState({ pageSize: 10 });
    batcher.handle({ type: 'run-queued', run: docker });
    for (let i = 0; i < 50; i++) batcher.handle(line(docker, `line ${i}`));
    batcher.flush();
    store.setState({ panes: store.getState().panes.map((pane, i) => (i === 0 ? { ...pane, scroll: 5 } : pane)) });
    for (let i = 50; i < 60; i++) batcher.handle(line(docker, `line ${i}`));
    batcher.flush();
    expect(store.getState().panes[0]?.scroll).toBe(15);
  });

  it('shows the engine’s own lines dimmed and ignores runs it was not told about', () => {
    const { batcher } = setup();
    batcher.handle({ type: 'run-queued', run: docker });
    batcher.handle({ type: 'output', runId: 'd1', stream: 'cc-iso', text: 'image is up to date', at: 0 });
    batcher.handle(line(podman, 'stray'));
    expect(batcher.buffer('docker').tail(5)).toEqual(['\u001B[2mimage is up to date\u001B[22m']);
    expect(batcher.buffer('podman').length).toBe(0);
  });
});
