import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../config/paths.js';
import type { ImageInputs } from './types.js';
import { callProcess } from './cli-call.js';
import { rememberedDigest } from './digest-memo.js';
import { fileIdentity } from './file-memo.js';
import { spawnLines } from './spawn-lines.js';

export const IMAGE_REPOSITORY = 'cc-iso-agent';

/** What the image is made of: cc-iso's Dockerfile and the CA certificates the host's Node trusts (baked in). */
interface ImageSources {
  dockerfile: string;
  /** NODE_EXTRA_CA_CERTS; null: none. */
  certificates: string | null;
}

export interface ImagePlan {
  tag: string;
  sources: ImageSources;
  inputs: ImageInputs;
}

/**
 * The image is tagged by a hash of everything that goes into it (the build's arguments too), so an
 * unchanged image is never rebuilt and a changed recipe always is. The hash is remembered by the
 * files' identities: a run on a known recipe reads and hashes nothing (the CA bundle alone is
 * ~200 KB).
 */
export function planImage(inputs: ImageInputs, env: NodeJS.ProcessEnv = process.env): ImagePlan {
  const sources = { dockerfile: join(packageRoot(), 'Dockerfile'), certificates: env.NODE_EXTRA_CA_CERTS || null };
  const key = JSON.stringify(['image', fileIdentity(sources.dockerfile), sources.certificates && fileIdentity(sources.certificates), buildOptions(inputs)]);
  const digest = rememberedDigest(key, () => {
    const { dockerfile, certificates } = readSources(sources);
    return JSON.stringify([dockerfile, certificates, buildOptions(inputs)]);
  }, env);
  return { tag: `${IMAGE_REPOSITORY}:${digest.slice(0, 12)}`, sources, inputs };
}

/** The Dockerfile's text and the certificates' ('' when there are none or they cannot be read). */
function readSources(sources: ImageSources): { dockerfile: string; certificates: string } {
  let certificates = '';
  try {
    if (sources.certificates) certificates = readFileSync(sources.certificates, 'utf8');
  } catch {
    // Unreadable certificates are left out, as Node itself only warns about them.
  }
  return { dockerfile: readFileSync(sources.dockerfile, 'utf8'), certificates };
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
    const { dockerfile, certificates } = readSources(plan.sources);
    await writeFile(join(context, 'Dockerfile'), dockerfile);
    await mkdir(join(context, 'certs'));
    if (certificates) await writeFile(join(context, 'certs', 'extra.crt'), certificates);
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
