import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { packageRoot } from '../config/paths.js';
import type { ImageInputs } from './types.js';
import { LABEL } from './types.js';
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

/** The image is tagged by a hash of everything that goes into it, so an unchanged image is never rebuilt. */
export async function planImage(inputs: ImageInputs): Promise<ImagePlan> {
  const dockerfile = await readFile(join(packageRoot(), 'Dockerfile'), 'utf8');
  const certificates = await extraCaCertificates();
  const hash = createHash('sha256')
    .update(JSON.stringify([dockerfile, certificates, inputs.baseImage, inputs.claudeVersion]))
    .digest('hex')
    .slice(0, 12);
  return { tag: `${IMAGE_REPOSITORY}:${hash}`, dockerfile, certificates, inputs };
}

export async function imageExists(engine: string, tag: string, engineArgs: string[] = []): Promise<boolean> {
  const result = await execa(engine, [...engineArgs, 'image', 'inspect', tag], { reject: false, stdin: 'ignore' });
  return result.exitCode === 0;
}

/** Builds the image; progress goes to onLine. Throws with the build's last lines when it fails. */
export async function buildImage(
  engine: string,
  plan: ImagePlan,
  onLine: (text: string) => void,
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
        '--label', `${LABEL}=1`,
        '--build-arg', `BASE_IMAGE=${plan.inputs.baseImage}`,
        '--build-arg', `CLAUDE_CODE_VERSION=${plan.inputs.claudeVersion}`,
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
  let pending = builds.get(key);
  if (!pending) {
    pending = (async () => {
      if (await imageExists(engine, plan.tag)) {
        onLine(`image ${plan.tag} is up to date`);
        return;
      }
      onLine(`building image ${plan.tag} from ${plan.inputs.baseImage} (Claude Code ${plan.inputs.claudeVersion})`);
      await buildImage(engine, plan, onLine);
    })();
    builds.set(key, pending);
    // Forgotten once settled: the next run checks the engine again (the image may have been removed).
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
