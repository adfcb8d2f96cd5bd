import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callCli } from './cli-call.js';
import { spawnLines } from './spawn-lines.js';
import { DEFAULT_REGISTRY_URL, describePolicy, srtPolicy, srtSettings, type SrtPolicy } from './srt-settings.js';
import type { Detection, ExecIO, ExecRequest, Execution, HostAddress, Isolation, PrepareOptions, Runtime } from './types.js';
import { rememberedVersion } from './version-memo.js';
import { which } from './which.js';

/** Every process of a run carries this variable (srt, its socat bridges, bwrap, the command). */
const RUN_VARIABLE = 'CC_ISO_SRT_RUN';
const SCRATCH_PREFIX = 'cc-iso-srt-';

/** What detection needs to know about the machine, gathered by `gatherSrtFacts`. */
export interface SrtFacts {
  platform: NodeJS.Platform;
  /** The bundled package's version; null when cc-iso's install lacks it. */
  srtVersion: string | null;
  /** Paths of the programs srt needs, null when missing. */
  tools: { bwrap: string | null; socat: string | null; rg: string | null; sandboxExec: string | null };
  bwrapVersion: string | null;
  /** Linux: did bubblewrap create user and network namespaces? The error line when not. */
  namespaces: { ok: true } | { ok: false; error: string } | null;
  /** Linux sysctls that disable unprivileged user namespaces (null where the file does not exist). */
  sysctl: { unprivilegedUsernsClone: string | null; maxUserNamespaces: string | null; apparmorRestrictUserns: string | null };
  root: boolean;
}

/** Debian/Ubuntu package of each program srt needs on Linux. */
const LINUX_PACKAGES = { bwrap: 'bubblewrap', socat: 'socat', rg: 'ripgrep' } as const;

/** Decides availability, reason and fix from the gathered facts. Pure, so every branch is tested. */
export function describeSrt(facts: SrtFacts): Detection {
  const base: Detection = {
    mode: 'srt', available: false, runtime: null, version: facts.srtVersion, details: [], reason: null, fix: null,
  };
  if (!facts.srtVersion) {
    return { ...base, reason: '@anthropic-ai/sandbox-runtime is missing from cc-iso\'s installation', fix: 'reinstall cc-iso (`npm install -g cc-iso`); srt comes with it' };
  }
  const shared = ['the host\'s kernel and environment (credentials readable inside)', 'network only through srt\'s filtering proxy'];
  if (facts.platform === 'darwin') {
    if (!facts.tools.sandboxExec) return { ...base, reason: 'macOS Seatbelt (`sandbox-exec`) is missing', fix: 'srt needs /usr/bin/sandbox-exec, part of macOS' };
    if (!facts.tools.rg) return { ...base, reason: 'ripgrep (`rg`) is missing', fix: '`brew install ripgrep`' };
    return { ...base, available: true, runtime: 'srt', details: ['macOS Seatbelt (sandbox-exec)', ...shared] };
  }
  if (facts.platform !== 'linux') {
    return { ...base, reason: `srt on ${facts.platform} is not supported by cc-iso (srt's Windows support is alpha)`, fix: 'run cc-iso in WSL2 or on Linux/macOS' };
  }
  const missing = (Object.keys(LINUX_PACKAGES) as (keyof typeof LINUX_PACKAGES)[]).filter((tool) => !facts.tools[tool]);
  if (missing.length > 0) {
    return {
      ...base,
      reason: `srt needs ${missing.map((tool) => `\`${tool}\``).join(', ')} on Linux, not found on PATH`,
      fix: `\`sudo apt-get install ${missing.map((tool) => LINUX_PACKAGES[tool]).join(' ')}\` (Fedora: dnf, Arch: pacman; same names)`,
    };
  }
  if (facts.namespaces && !facts.namespaces.ok) {
    return { ...base, reason: `bubblewrap cannot create user namespaces here (${facts.namespaces.error})`, fix: usernsFix(facts) };
  }
  return {
    ...base,
    available: true,
    runtime: 'srt',
    details: [`bubblewrap${facts.bwrapVersion ? ` ${facts.bwrapVersion}` : ''} namespaces + seccomp`, ...shared],
  };
}

function usernsFix(facts: SrtFacts): string {
  const { sysctl } = facts;
  if (sysctl.unprivilegedUsernsClone === '0') return '`sudo sysctl -w kernel.unprivileged_userns_clone=1`';
  if (sysctl.maxUserNamespaces === '0') return '`sudo sysctl -w user.max_user_namespaces=15000`';
  if (sysctl.apparmorRestrictUserns === '1') return '`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04+)';
  if (facts.root) return 'run cc-iso as a non-root user, or give it CAP_SETFCAP (root needs it to map uid 0 in a user namespace)';
  return 'allow unprivileged user namespaces (inside a container: run it with --privileged or seccomp=unconfined)';
}

/** The srt CLI of the bundled package, run with the Node that runs cc-iso. */
function srtPackage(): { cli: string; version: string } | null {
  try {
    const manifest = fileURLToPath(import.meta.resolve('@anthropic-ai/sandbox-runtime/package.json'));
    const { version, bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; bin: { srt: string } };
    return { cli: join(dirname(manifest), bin.srt), version };
  } catch {
    return null;
  }
}

/** The srt mode: the host's commands under Anthropic's sandbox runtime with a per-run policy. */
export class SrtRuntime implements Runtime {
  readonly mode = 'srt' as const;

  async detect(): Promise<Detection> {
    return describeSrt(await gatherSrtFacts());
  }

  async prepare(options: PrepareOptions): Promise<Isolation> {
    const srt = srtPackage();
    if (!srt) throw new Error('srt is unavailable: @anthropic-ai/sandbox-runtime is missing from cc-iso\'s installation');
    // The policy lives beside, not inside, what the sandbox may write, so a step cannot widen it for the next.
    const scratch = await mkdtemp(join(tmpdir(), `${SCRATCH_PREFIX}${options.runId}-`));
    const writable = { tmp: join(scratch, 'tmp'), claude: join(scratch, 'claude') };
    await Promise.all([mkdir(writable.tmp), mkdir(writable.claude), mkdir(join(scratch, 'policy'))]);
    return new SrtIsolation(srt.cli, options, scratch, writable, await srtDefaultWritePaths());
  }

  /** Removes the processes and scratch folders of runs whose session is gone. */
  async clean(inUse: (name: string) => boolean): Promise<string[]> {
    const removed: string[] = [];
    const processes = await runProcesses(null);
    for (const runId of new Set(processes.map((found) => found.runId))) {
      if (inUse(`cc-iso-${runId}`)) continue;
      for (const found of processes.filter((p) => p.runId === runId)) {
        killProcess(found.pid);
        removed.push(`cc-iso-${runId} pid ${found.pid} (${found.command})`);
      }
    }
    for (const entry of await readdir(tmpdir()).catch(() => [] as string[])) {
      if (!entry.startsWith(SCRATCH_PREFIX) || inUse(`cc-iso-${entry.slice(SCRATCH_PREFIX.length)}`)) continue;
      await rm(join(tmpdir(), entry), { recursive: true, force: true });
      removed.push(join(tmpdir(), entry));
    }
    return removed;
  }
}

class SrtIsolation implements Isolation {
  readonly credentialPath = 'environment' as const;
  readonly workspaceInside: string;
  private policy: SrtPolicy | null = null;

  constructor(
    private readonly cli: string,
    private readonly options: PrepareOptions,
    private readonly scratch: string,
    private readonly writable: { tmp: string; claude: string },
    private readonly srtDefaults: string[],
  ) {
    this.workspaceInside = options.workspace;
  }

  /**
   * `--credential-path proxy`: cc-iso's forwarder on the host's loopback. The sandbox reaches it
   * only through srt's proxy, because the policy allow-lists ANTHROPIC_BASE_URL's address and port.
   */
  async hostAddress(): Promise<HostAddress> {
    return { listen: '127.0.0.1', inside: '127.0.0.1', allowFrom: null };
  }

  /** The policy srt enforced on the last command, recorded next to what the probe observed. */
  get networkNote(): string | null {
    return this.policy ? describePolicy(this.policy, this.srtDefaults) : null;
  }

  exec(request: ExecRequest, io: ExecIO): Execution {
    const env: Record<string, string> = {
      // srt sets TMPDIR inside to this; Claude keeps its state in the run's own folder.
      CLAUDE_CODE_TMPDIR: this.writable.tmp,
      CLAUDE_CONFIG_DIR: this.writable.claude,
      // Claude Code bypasses permissions as root only inside a sandbox that says so.
      ...(process.getuid?.() === 0 ? { IS_SANDBOX: '1' } : {}),
      ...request.env,
      [RUN_VARIABLE]: this.options.runId,
    };
    const policy = srtPolicy({
      workspace: this.options.workspace,
      scratch: [this.writable.tmp, this.writable.claude],
      apiUrl: env.ANTHROPIC_BASE_URL ?? process.env.ANTHROPIC_BASE_URL,
      registryUrl: this.options.registryUrl || process.env.npm_config_registry || DEFAULT_REGISTRY_URL,
    });
    this.policy = policy;
    const settings = join(this.scratch, 'policy', `${request.step}.json`);
    const argv = policy.loopback ? ['env', 'NO_PROXY=', 'no_proxy=', ...request.argv] : request.argv;
    // srt quotes the arguments after `--` itself (single quotes, one per argument): no shell string here.
    const started = writeFile(settings, JSON.stringify(srtSettings(policy), null, 2), { mode: 0o600 }).then(
      () =>
        spawnLines(process.execPath, [this.cli, '--settings', settings, '--', ...argv], {
          env,
          cwd: this.workspaceInside,
          onLine: io.onLine,
          signal: io.signal,
        }).done,
      (error: unknown) => ({ exitCode: null, signal: null, spawnError: `cannot write the srt settings: ${String(error)}` }),
    );
    return { done: started };
  }

  async leftovers(): Promise<string[]> {
    return (await runProcesses(this.options.runId)).map((found) => `pid ${found.pid} (${found.command})`);
  }

  async runningAfterExit(): Promise<string[]> {
    return this.leftovers();
  }

  async dispose(): Promise<void> {
    for (const found of await runProcesses(this.options.runId)) killProcess(found.pid);
    await rm(this.scratch, { recursive: true, force: true }).catch(() => {});
  }
}

let defaultWritePaths: Promise<string[]> | undefined;
/**
 * srt's own always-writable paths (its TMPDIR, a few log folders), from the package itself. The
 * module that defines them, not the package's index: that one takes over half a second to load.
 */
function srtDefaultWritePaths(): Promise<string[]> {
  defaultWritePaths ??= import('@anthropic-ai/sandbox-runtime/dist/sandbox/sandbox-utils.js').then(
    ({ getDefaultWritePaths }) => getDefaultWritePaths().filter((path) => !path.startsWith('/dev/') && !path.startsWith('/private/')),
    () => [],
  );
  return defaultWritePaths;
}

/** Processes carrying a run's marker (any run's when runId is null), found through /proc (Linux). */
async function runProcesses(runId: string | null): Promise<{ pid: number; runId: string; command: string }[]> {
  const found: { pid: number; runId: string; command: string }[] = [];
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((entry) => /^\d+$/.test(entry));
  await Promise.all(
    pids.map(async (pid) => {
      const environ = await readFile(`/proc/${pid}/environ`, 'latin1').catch(() => '');
      const marker = environ.split('\0').find((entry) => entry.startsWith(`${RUN_VARIABLE}=`));
      const owner = marker?.slice(RUN_VARIABLE.length + 1);
      if (!owner || (runId !== null && owner !== runId) || Number(pid) === process.pid) return;
      const command = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '?')).trim();
      found.push({ pid: Number(pid), runId: owner, command });
    }),
  );
  return found.sort((a, b) => a.pid - b.pid);
}

function killProcess(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function gatherSrtFacts(): Promise<SrtFacts> {
  const [bwrap = null, socat = null, rg = null, sandboxExec = null] = ['bwrap', 'socat', 'rg', 'sandbox-exec'].map((tool) => which(tool));
  const linux = process.platform === 'linux';
  const sysctl = (path: string) => readFile(path, 'utf8').then((text) => text.trim(), () => null);
  const [bwrapVersion, namespaces, unprivilegedUsernsClone, maxUserNamespaces, apparmorRestrictUserns] = await Promise.all([
    bwrap ? rememberedVersion(bwrap, () => callCli(bwrap, ['--version'], 5000).then((r) => /(\d[\d.]*)/.exec(r.stdout)?.[1] ?? null)) : null,
    linux && bwrap ? namespaceCheck(bwrap) : null,
    sysctl('/proc/sys/kernel/unprivileged_userns_clone'),
    sysctl('/proc/sys/user/max_user_namespaces'),
    sysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  ]);
  return {
    platform: process.platform,
    srtVersion: srtPackage()?.version ?? null,
    tools: { bwrap, socat, rg, sandboxExec },
    bwrapVersion,
    namespaces,
    sysctl: { unprivilegedUsernsClone, maxUserNamespaces, apparmorRestrictUserns },
    root: process.getuid?.() === 0,
  };
}

/** The namespaces srt asks bubblewrap for, tried on `true`: about 10 ms. */
async function namespaceCheck(bwrap: string): Promise<SrtFacts['namespaces']> {
  const result = await callCli(
    bwrap,
    ['--unshare-user', '--unshare-net', '--unshare-pid', '--die-with-parent', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', 'true'],
    5000,
  );
  if (result.exitCode === 0) return { ok: true };
  return { ok: false, error: result.stderr.trim().split('\n')[0]?.slice(0, 200) || (result.timedOut ? 'timed out' : `exit ${result.exitCode ?? 'by a signal'}`) };
}
