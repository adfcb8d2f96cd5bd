import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { buildImage, imageExists, type ImagePlan } from './image.js';
import type { EngineEndpoint } from './remote-engine.js';

const pending = new Map<string, Promise<void>>();

/**
 * The agent image on a target, under the same content-hash tag as locally, so an unchanged image
 * is never rebuilt there. Missing there but present on this machine: streamed across
 * (`save | load`, no registry needed). Missing everywhere: built on the target, the build
 * context sent over the engine connection (`--base-image` then names an image on the target).
 * Once per target and tag, however many runs ask at the same time.
 */
export function ensureImageOn(endpoint: EngineEndpoint, plan: ImagePlan, onLine: (text: string) => void, signal: AbortSignal): Promise<void> {
  const key = `${endpoint.engine} ${endpoint.args.join(' ')} ${plan.tag}`;
  let work = pending.get(key);
  if (!work) {
    work = provide(endpoint, plan, onLine);
    pending.set(key, work);
    void work.then(() => pending.delete(key), () => pending.delete(key));
  }
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new Error('stopped while the image was being prepared'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function provide(endpoint: EngineEndpoint, plan: ImagePlan, onLine: (text: string) => void): Promise<void> {
  if (await imageExists(endpoint.engine, plan.tag, endpoint.args)) {
    onLine(`image ${plan.tag} is up to date on ${endpoint.target}`);
    return;
  }
  for (const local of ['docker', 'podman'] as const) {
    if (!(await imageExists(local, plan.tag))) continue;
    onLine(`sending image ${plan.tag} from this machine's ${local} to ${endpoint.target}`);
    const save = execa(local, ['save', plan.tag], { buffer: { stdout: false }, stdin: 'ignore', reject: false });
    const load = execa(endpoint.engine, [...endpoint.args, 'load'], { stdin: 'pipe', reject: false });
    await pipeline(save.stdout, load.stdin).catch(() => {});
    const [saved, loaded] = await Promise.all([save, load]);
    if (saved.exitCode === 0 && loaded.exitCode === 0) return;
    onLine(`sending the image failed (${String(loaded.stderr || saved.stderr).trim().split('\n').at(-1) ?? ''}); building it there`);
    break;
  }
  onLine(`building image ${plan.tag} on ${endpoint.target} from ${plan.inputs.baseImage}`);
  await buildImage(endpoint.engine, plan, onLine, endpoint.args);
}
