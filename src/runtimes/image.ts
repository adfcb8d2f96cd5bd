import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import type { ImageInputs } from './types.js';
import { callProcess } from './cli-call.js';
import { spawnLines } from './spawn-lines.js';

export const IMAGE_REPOSITORY = 'cc-iso-agent';

/** Extra CA certificates baked into the image: the same ones the host's Node trusts. */
async function extraCaCertificates(): Promise<string> {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return '';
  try {
    return await readFile(file, 'utf8');
  } catch {
    return '';
  }
}

export interface ImagePlan {
  tag: string;
  dockerfile: string;
  certificates: string;
  inputs: ImageInputs;
}

/**
 * The image is tagged by a hash of everything that goes into it (the build's arguments too), so an
 * unchanged image is never rebuilt and a changed recipe always is.
 */
export async function planImage(inputs: ImageInputs): Promise<ImagePlan> {
  const dockerfile = await readFile(join(packageRoot(), 'Dockerfile'), 'utf8');
  const certificates = await extraCaCertificates();
  const hash = createHash('sha256')
    .update(JSON.stringify([dockerfile, certificates, buildOptions(inputs)]))
    .digest('hex')
    .slice(0, 12);
  return { tag: `${IMAGE_REPOSITORY}:${hash}`, dockerfile, certificates, inputs };
}

/**
 * No `cc-iso` label: engines copy an image's labels onto its containers, and `clean` must never
 * mistake a user's own `run` of this image (a debug shell) for one of cc-iso's.
 */
function buildOptions(inputs: ImageInputs): string[] {
  return ['--build-arg', `BASE_IMAGE=${inputs.baseImage}`, '--build-arg', `CLAUDE_CODE_VERSION=${inputs.claudeVersion}`];
}

export async function imageExists(engine: string, tag: string, engineArgs: string[] = []): Promise<boolean> {
  return (await callProcess(engine, [...engineArgs, 'image', 'inspect', tag], { timeoutMs: 30_000 })).exitCode === 0;
}

/**
 * Builds the image; progress goes to onLine. Throws with the build's last lines when it fails.
 * Aborting stops the build (its process group, then the kill) and still removes its context folder.
 */
export async function buildImage(
  engine: string,
  plan: ImagePlan,
  onLine: (text: string) => void,
  signal: AbortSignal,
  /** Global flags selecting a target engine: the build context travels over its connection. */
  engineArgs: string[] = [],
): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), 'cc-iso-build-'));
  try {
    await writeFile(join(context, 'Dockerfile'), plan.dockerfile);
    await mkdir(join(context, 'certs'));
    if (plan.certificates) await writeFile(join(context, 'certs', 'extra.crt'), plan.certificates);
    const tail: string[] = [];
    const execution = spawnLines(
      engine,
      [
        ...engineArgs,
        'build',
        '--tag', plan.tag,
        ...buildOptions(plan.inputs),
        context,
      ],
      {
        // The classic builder works on every engine version we support and streams plain lines.
        env: engine === 'docker' ? { DOCKER_BUILDKIT: '0' } : {},
        signal,
        onLine: (_stream, text) => {
          tail.push(text);
          if (tail.length > 3) tail.shift();
          onLine(text);
        },
      },
    );
    const outcome = await execution.done;
    if (signal.aborted) throw new Error(`the build of ${plan.tag} was stopped`);
    if (outcome.exitCode !== 0) {
      throw new Error(
        `${engine} build of ${plan.tag} from ${plan.inputs.baseImage} failed (exit ${outcome.exitCode ?? outcome.signal}): ` +
          `${tail.join(' / ')} — check that the base image exists or can be pulled (--base-image) and that the npm registry is reachable`,
      );
    }
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** A build in progress, shared by the runs waiting for it. */
interface Build {
  done: Promise<void>;
  waiting: number;
  cancel: AbortController;
}

const builds = new Map<string, Build>();
/** Engine and tag of the images found or built by this process: checked once per session, not once per run. */
const present = new Set<string>();

/**
 * Builds once per engine and tag even when several runs ask at the same time. A run that is
 * stopped stops waiting; the build goes on while another run still waits for it, and is stopped
 * (its context folder removed) when the last one is: ctrl-c leaves no build running.
 */
export function ensureImage(
  engine: string,
  plan: ImagePlan,
  onLine: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  return shareImageWork(`${engine} ${plan.tag}`, plan.tag, onLine, signal, async (cancel) => {
    if (await imageExists(engine, plan.tag)) {
      onLine(`image ${plan.tag} is up to date`);
      return;
    }
    onLine(`building image ${plan.tag} from ${plan.inputs.baseImage} (Claude Code ${plan.inputs.claudeVersion})`);
    await buildImage(engine, plan, onLine, cancel);
  });
}

/**
 * Providing an image (`key`: its engine, the engine's place and the tag) once, however many runs
 * ask at the same time, with ensureImage's stop rules; once provided it is not checked again by
 * this process. `work` gets the signal that stops it when the last waiting run is stopped.
 */
export function shareImageWork(
  key: string,
  tag: string,
  onLine: (text: string) => void,
  signal: AbortSignal,
  work: (cancel: AbortSignal) => Promise<void>,
): Promise<void> {
  if (present.has(key)) {
    onLine(`image ${tag} is up to date`);
    return Promise.resolve();
  }
  let build = builds.get(key);
  if (!build) {
    const cancel = new AbortController();
    const done = work(cancel.signal).then(() => {
      present.add(key);
    });
    build = { done, waiting: 0, cancel };
    builds.set(key, build);
    // A failed or stopped build is forgotten: the next run tries again.
    void done.then(
      () => builds.delete(key),
      () => builds.delete(key),
    );
  }
  const shared = build;
  shared.waiting += 1;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      shared.waiting -= 1;
      if (shared.waiting === 0) shared.cancel.abort();
      reject(new Error('stopped while the image was being prepared'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    shared.done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
