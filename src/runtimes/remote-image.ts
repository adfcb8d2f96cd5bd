import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { buildImage, imageExists, shareImageWork, type ImagePlan } from './image.js';
import type { EngineEndpoint } from './remote-engine.js';

/**
 * The agent image on a target, under the same content-hash tag as locally, so an unchanged image
 * is never rebuilt there. Missing there but present on this machine: streamed across
 * (`save | load`, no registry needed). Missing everywhere: built on the target, the build
 * context sent over the engine connection (`--base-image` then names an image on the target).
 * Once per target and tag, however many runs ask at the same time; stopped like a local build.
 */
export function ensureImageOn(endpoint: EngineEndpoint, plan: ImagePlan, onLine: (text: string) => void, signal: AbortSignal): Promise<void> {
  const key = `${endpoint.engine} ${endpoint.args.join(' ')} ${plan.tag}`;
  return shareImageWork(key, plan.tag, onLine, signal, (cancel) => provide(endpoint, plan, onLine, cancel));
}

async function provide(endpoint: EngineEndpoint, plan: ImagePlan, onLine: (text: string) => void, cancel: AbortSignal): Promise<void> {
  if (await imageExists(endpoint.engine, plan.tag, endpoint.args)) {
    onLine(`image ${plan.tag} is up to date on ${endpoint.target}`);
    return;
  }
  for (const local of ['docker', 'podman'] as const) {
    if (!(await imageExists(local, plan.tag))) continue;
    onLine(`sending image ${plan.tag} from this machine's ${local} to ${endpoint.target}`);
    const save = execa(local, ['save', plan.tag], { buffer: { stdout: false }, stdin: 'ignore', reject: false, cancelSignal: cancel });
    const load = execa(endpoint.engine, [...endpoint.args, 'load'], { stdin: 'pipe', reject: false, cancelSignal: cancel });
    await pipeline(save.stdout, load.stdin).catch(() => {});
    const [saved, loaded] = await Promise.all([save, load]);
    if (cancel.aborted) throw new Error(`sending ${plan.tag} to ${endpoint.target} was stopped`);
    if (saved.exitCode === 0 && loaded.exitCode === 0) return;
    onLine(`sending the image failed (${String(loaded.stderr || saved.stderr).trim().split('\n').at(-1) ?? ''}); building it there`);
    break;
  }
  onLine(`building image ${plan.tag} on ${endpoint.target} from ${plan.inputs.baseImage}`);
  await buildImage(endpoint.engine, plan, onLine, cancel, endpoint.args);
}
