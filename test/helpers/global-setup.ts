import { execa } from 'execa';
import { DEFAULT_CLAUDE_VERSION } from '../../src/config/options.js';
import { ensureImage, planImage } from '../../src/runtimes/image.js';
import { BASE_IMAGE } from './engines.js';

/**
 * Builds the agent image once for the whole suite (each engine that answers), so no test's
 * timing includes a build, and checks afterwards that the suite left no container behind.
 */
export async function setup(): Promise<void> {
  const plan = planImage({ baseImage: BASE_IMAGE, claudeVersion: DEFAULT_CLAUDE_VERSION });
  for (const engine of ['docker', 'podman'] as const) {
    const info = await execa(engine, ['info'], { reject: false });
    if (info.exitCode !== 0) continue;
    const started = performance.now();
    await ensureImage(engine, plan, () => {}, new AbortController().signal);
    console.log(`${engine}: image ${plan.tag} ready in ${Math.round(performance.now() - started)} ms`);
  }
}

export async function teardown(): Promise<void> {
  const leftovers: string[] = [];
  // This machine's engines, and the remote test engines of scripts/setup-remote-engines.sh when they answer.
  const engines = [
    { name: 'docker', engine: 'docker', args: [] },
    { name: 'podman', engine: 'podman', args: [] },
    { name: 'docker@cc-iso-remote-tls', engine: 'docker', args: ['--context', 'cc-iso-remote-tls'] },
    { name: 'podman@cc-iso-remote-podman', engine: 'podman', args: ['--connection', 'cc-iso-remote-podman'] },
  ];
  for (const { name, engine, args } of engines) {
    const result = await execa(engine, [...args, 'ps', '--all', '--filter', 'label=cc-iso', '--format', '{{.Names}}'], {
      reject: false, timeout: 30_000,
    });
    if (result.exitCode === 0) leftovers.push(...String(result.stdout).split('\n').filter(Boolean).map((n) => `${name}:${n}`));
    const volumes = await execa(engine, [...args, 'volume', 'ls', '--filter', 'label=cc-iso', '--format', '{{.Name}}'], { reject: false, timeout: 30_000 });
    if (volumes.exitCode === 0) leftovers.push(...String(volumes.stdout).split('\n').filter(Boolean).map((n) => `${name} volume:${n}`));
  }
  if (leftovers.length > 0) throw new Error(`the test suite left containers or volumes behind: ${leftovers.join(', ')}`);
}
