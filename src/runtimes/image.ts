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

export async function imageExists(engine: string, tag: string): Promise<boolean> {
  return (await callProcess(engine, ['image', 'inspect', tag], { timeoutMs: 30_000 })).exitCode === 0;
}

/** Builds the image; progress goes to onLine. Throws with the build's last lines when it fails. */
export async function buildImage(
  engine: string,
  plan: ImagePlan,
  onLine: (text: string) => void,
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
        'build',
        '--tag', plan.tag,
        ...buildOptions(plan.inputs),
        context,
      ],
      {
        // The classic builder works on every engine version we support and streams plain lines.
        env: engine === 'docker' ? { DOCKER_BUILDKIT: '0' } : {},
        // Never cancelled: runs waiting on a build stop waiting instead (see ensureImage).
        signal: new AbortController().signal,
        onLine: (_stream, text) => {
          tail.push(text);
          if (tail.length > 3) tail.shift();
          onLine(text);
        },
      },
    );
    const outcome = await execution.done;
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

const builds = new Map<string, Promise<void>>();
/** Engine and tag of the images found or built by this process: checked once per session, not once per run. */
const present = new Set<string>();

/**
 * Builds once per engine and tag even when several runs ask at the same time. The build belongs
 * to none of them: a run that is stopped stops waiting, the others keep the build going.
 */
export function ensureImage(
  engine: string,
  plan: ImagePlan,
  onLine: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const key = `${engine} ${plan.tag}`;
  if (present.has(key)) {
    onLine(`image ${plan.tag} is up to date`);
    return Promise.resolve();
  }
  let pending = builds.get(key);
  if (!pending) {
    pending = (async () => {
      if (await imageExists(engine, plan.tag)) {
        onLine(`image ${plan.tag} is up to date`);
      } else {
        onLine(`building image ${plan.tag} from ${plan.inputs.baseImage} (Claude Code ${plan.inputs.claudeVersion})`);
        await buildImage(engine, plan, onLine);
      }
      present.add(key);
    })();
    builds.set(key, pending);
    // A failed build is forgotten: the next run tries again.
    void pending.then(
      () => builds.delete(key),
      () => builds.delete(key),
    );
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped while the image was being prepared'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
