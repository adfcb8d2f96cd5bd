import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerRuntime, type ContainerFacts } from '../../src/runtimes/container.js';
import { planImage } from '../../src/runtimes/image.js';
import { newSessionId, ownerToken, thisProcess } from '../../src/runtimes/ownership.js';
import type { Detection, PrepareOptions } from '../../src/runtimes/types.js';

/**
 * A `podman` on PATH that logs every call and answers like the real one after a `run --rm` whose
 * command exited by itself: the container is gone, so `ps` lists nothing.
 */
const FAKE_PODMAN = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_ENGINE_LOG"
case "$1" in
  run) sleep "\${FAKE_RUN_SECONDS:-0}"; echo ran; exit "\${FAKE_RUN_EXIT:-0}" ;;
  ps) echo '[]' ;;
esac
exit 0
`;

let log: string;
let savedPath: string | undefined;

beforeEach(() => {
  const bin = mkdtempSync(join(tmpdir(), 'cc-iso-fake-engine-'));
  writeFileSync(join(bin, 'podman'), FAKE_PODMAN);
  chmodSync(join(bin, 'podman'), 0o755);
  log = join(bin, 'calls.log');
  writeFileSync(log, '');
  savedPath = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${process.env.PATH}`;
  process.env.FAKE_ENGINE_LOG = log;
});

afterEach(() => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_ENGINE_LOG;
  delete process.env.FAKE_RUN_SECONDS;
  delete process.env.FAKE_RUN_EXIT;
});

const calls = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);

async function prepared(signal = new AbortController().signal) {
  const image = { baseImage: 'base:test', claudeVersion: '0.0.0' };
  const { tag } = planImage(image);
  const detection: Detection<ContainerFacts> = {
    mode: 'podman', available: true, runtime: 'Podman', version: '4.3.1', details: [], reason: null, fix: null,
    facts: { rootless: false, desktop: false, images: [tag], socket: null, ociRuntimes: null },
  };
  const runId = `${newSessionId()}-podman-1`;
  const options: PrepareOptions<ContainerFacts> = {
    runId, detection, image, workspace: mkdtempSync(join(tmpdir(), 'cc-iso-ws-')),
    adoptWorkspace: false, hostNetwork: false, registryUrl: '', onLine: () => {}, signal,
  };
  return { runId, isolation: await new ContainerRuntime('podman').prepare(options) };
}

describe('a container run, through the engine CLI', () => {
  it('asks the engine nothing after a --rm container exited by itself: its exit status says it is gone', async () => {
    const { isolation } = await prepared();
    const outcome = await isolation.exec({ step: 'command', argv: ['true'], env: {} }, { onLine: () => {}, signal: new AbortController().signal }).done;
    expect(outcome.exitCode).toBe(0);
    expect(await isolation.runningAfterExit()).toEqual([]);
    await isolation.dispose();
    expect(await isolation.leftovers()).toEqual([]);

    const [run, ...after] = calls();
    // Detection listed the image: no `image inspect` before the run.
    expect(run).toMatch(/^run --rm --init --name /);
    expect(after).toEqual([]);
  });

  it('after the engine\'s own failure (exit 125) lists the run\'s containers once and removes what is there', async () => {
    process.env.FAKE_RUN_EXIT = '125';
    const { runId, isolation } = await prepared();
    const outcome = await isolation.exec({ step: 'command', argv: ['true'], env: {} }, { onLine: () => {}, signal: new AbortController().signal }).done;
    expect(outcome.exitCode).toBe(125);
    expect(await isolation.runningAfterExit()).toEqual([]);
    await isolation.dispose();
    expect(await isolation.leftovers()).toEqual([]);
    const name = `cc-iso-${runId}-command`;
    const query = `ps --all --filter label=cc-iso.run=${runId} --format json`;
    expect(calls().slice(1)).toEqual([query, `rm --force ${name}`, query]);
  });

  it('names and labels the container so `clean` knows it is cc-iso\'s and whose', async () => {
    const { runId, isolation } = await prepared();
    await isolation.exec({ step: 'probe', argv: ['true'], env: {} }, { onLine: () => {}, signal: new AbortController().signal }).done;
    const run = calls()[0]!;
    expect(run).toContain(`--name cc-iso-${runId}-probe`);
    expect(run).toContain(`--label cc-iso.run=${runId}`);
    expect(run).toContain(`--label cc-iso.owner=${ownerToken(thisProcess())}`);
  });

  it('after a stop, removes every container it started and lists again to see what is left', async () => {
    process.env.FAKE_RUN_SECONDS = '0.3';
    const abort = new AbortController();
    const { runId, isolation } = await prepared();
    const execution = isolation.exec({ step: 'command', argv: ['sleep', '60'], env: {} }, { onLine: () => abort.abort(), signal: abort.signal });
    await execution.done;
    await isolation.dispose();
    expect(await isolation.leftovers()).toEqual([]);
    const name = `cc-iso-${runId}-command`;
    expect(calls().slice(1)).toEqual([
      `stop --time 3 ${name}`,
      `ps --all --filter label=cc-iso.run=${runId} --format json`,
      `rm --force ${name}`,
      `ps --all --filter label=cc-iso.run=${runId} --format json`,
    ]);
  });
});
