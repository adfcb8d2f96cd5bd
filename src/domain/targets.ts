import { isModeId, MODES, type ModeId } from './modes.js';

/**
 * Where a run's isolation lives: this machine (`target` null) or another machine's engine,
 * named by a Docker context, a Podman system connection or an engine URL. A target is a
 * property of a run, not a mode: `docker@buildbox` is the docker mode on buildbox.
 */
export interface Placement {
  mode: ModeId;
  target: string | null;
}

export type TargetTransport = 'ssh' | 'tls' | 'tcp' | 'unix' | 'npipe';

/** The engine CLI that reaches a target. */
export type EngineCli = 'docker' | 'podman';

/** What `cc-iso detect` shows for a target, reachable or not. */
export interface TargetDetection {
  engine: EngineCli;
  target: string;
  kind: 'docker-context' | 'podman-connection' | 'url';
  url: string | null;
  transport: TargetTransport | null;
  reachable: boolean;
  version: string | null;
  os: string | null;
  arch: string | null;
  kernel: string | null;
  /**
   * What reaching the daemon adds to an engine call (network, TLS or ssh connection setup): the
   * best of three calls less the best of three starts of the engine CLI alone.
   */
  rttMs: number | null;
  reason: string | null;
  fix: string | null;
}

/** The `mode@target` a detected target offers: every mode run by its engine CLI. */
export function placementsOf(target: TargetDetection): string[] {
  return Object.values(MODES).filter((info) => info.engine === target.engine).map((info) => `${info.id}@${target.target}`);
}

const URL_SCHEMES = ['ssh:', 'tcp:', 'unix:', 'npipe:'];

/** Whether a target is an engine URL (the alternative: a context or connection name). */
export function isEngineUrl(target: string): boolean {
  return URL_SCHEMES.some((scheme) => target.startsWith(`${scheme}//`));
}

/** `docker@buildbox` → docker on buildbox; a bare mode id → this machine. Throws a usage message. */
export function parsePlacement(text: string): Placement {
  const at = text.indexOf('@');
  if (at < 0) {
    if (!isModeId(text)) throw new Error(`unknown mode "${text}"`);
    return { mode: text, target: null };
  }
  const mode = text.slice(0, at);
  const target = text.slice(at + 1);
  if (!isModeId(mode)) throw new Error(`unknown mode "${mode}" in "${text}"`);
  if (!MODES[mode].engine) {
    const remote = Object.values(MODES).filter((info) => info.engine).map((info) => info.id);
    throw new Error(`${mode} runs only on this machine; a target (@…) takes a container mode: ${remote.join(', ')}`);
  }
  if (!target) throw new Error(`"${text}" names no target after @`);
  if (target.includes('@') && !isEngineUrl(target)) throw new Error(`"${target}" is not a context, a connection or an engine URL`);
  if (isEngineUrl(target)) {
    try {
      new URL(target);
    } catch {
      throw new Error(`"${target}" is not a valid engine URL`);
    }
  }
  return { mode, target };
}

/** How a placement is written everywhere: `docker`, `docker@buildbox`. */
export function placementLabel(placement: Placement): string {
  return placement.target === null ? placement.mode : `${placement.mode}@${placement.target}`;
}

/** A target squeezed into what container and volume names allow ([a-zA-Z0-9_.-]). */
export function targetSlug(target: string): string {
  const slug = target.replace(/^[a-z]+:\/\//, '').replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, 40) || 'target';
}

/** How a URL target's engine is reached, which decides whether a credential may travel to it. */
export function urlTransport(url: string, tlsVerify: boolean): TargetTransport {
  if (url.startsWith('ssh://')) return 'ssh';
  if (url.startsWith('unix://')) return 'unix';
  if (url.startsWith('npipe://')) return 'npipe';
  return tlsVerify ? 'tls' : 'tcp';
}
