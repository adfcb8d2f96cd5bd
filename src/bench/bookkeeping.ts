import { benchTable } from './report.js';
import { imageExists, planImage } from '../runtimes/image.js';
import { createRuntimes, detectSafely } from '../runtimes/registry.js';
import type { Isolation } from '../runtimes/types.js';
import { imageInputs, scratchDir, type BenchConfig, type Engine } from './harness.js';
import { records, rewriter } from './exports.js';
import { describeSample, tableMetrics, type BenchReport } from './report.js';

interface Phase {
  what: string;
  call: () => Promise<unknown>;
  times: number[];
}

/**
 * What each piece of cc-iso's own bookkeeping around a run costs, its functions called directly,
 * in turns (one call of each phase per round): detecting an engine (a fresh runtime each time,
 * as each `cc-iso run` process starts with), checking the image, asking what a run left behind,
 * rewriting the exports of a 100-run session. How often a session calls each: see the engine calls.
 */
export async function bookkeepingCase(config: BenchConfig, engines: readonly Engine[]): Promise<BenchReport> {
  const plan = planImage(imageInputs());
  const phases: Phase[] = [];
  const isolations: Isolation[] = [];
  for (const engine of engines) {
    const runtime = createRuntimes()[engine];
    // A prepared run that has not started anything: its leftovers query is the one a finished run makes.
    const isolation = await runtime.prepare({
      detection: await runtime.detect(),
      runId: `bench-${Date.now().toString(36)}`,
      workspace: scratchDir('workspace'),
      image: imageInputs(),
      adoptWorkspace: false,
      hostNetwork: false,
      registryUrl: '',
      onLine: () => {},
      signal: new AbortController().signal,
    });
    isolations.push(isolation);
    phases.push(
      { what: `detect ${engine}`, call: () => detectSafely(createRuntimes()[engine]), times: [] },
      { what: `image check, ${engine}`, call: () => imageExists(engine, plan.tag), times: [] },
      { what: `leftovers query, ${engine}`, call: () => isolation.leftovers(), times: [] },
    );
  }
  const rewrite = rewriter();
  const hundred = records(100);
  phases.push({ what: 'export rewrite, 100 records', call: () => rewrite(hundred), times: [] });

  for (const phase of phases) await phase.call();
  for (let round = 0; round < config.calls; round++) {
    for (const phase of phases) {
      const started = performance.now();
      await phase.call();
      phase.times.push(performance.now() - started);
    }
  }
  for (const isolation of isolations) await isolation.dispose();
  return {
    name: `cc-iso's bookkeeping per call, its functions called directly, ${config.calls} rounds in turns`,
    metrics: tableMetrics(
      benchTable(['phase', 'one call (median ±σ [min–max])'], phases.map((phase) => [phase.what, describeSample(phase.times)]), new Set([1])),
    ),
    floors: [],
  };
}
