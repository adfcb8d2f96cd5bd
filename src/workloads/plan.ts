import type { WorkloadId } from '../domain/modes.js';
import { claudeArgv, ClaudeInterpreter } from './claude.js';
import { CommandInterpreter } from './command.js';
import { probeArgv, ProbeInterpreter } from './probe.js';
import { markerFileName, type Step } from './types.js';

export interface WorkloadContext {
  runId: string;
  workload: WorkloadId;
  prompt: string;
  command: string[];
  blockedUrl: string;
  registryUrl: string;
  /**
   * The session's fingerprint key, handed to the probe in its environment only: an argument
   * would show in `ps` to every user of the host.
   */
  fingerprintKey: string;
  /** Credential variables handed to the isolation (values only ever in the child's environment). */
  credentialEnv: Record<string, string>;
  /** Claude Code settings forwarded from the host (base URL, gateways, proxies…). */
  forwardedEnv: Record<string, string>;
  /** Whether the mode isolates (decides Claude's permission mode). */
  isolated: boolean;
}

/** The commands a workload runs inside an isolation, in order; the last one is measured. */
export function planSteps(context: WorkloadContext): Step[] {
  const probe = (measured: boolean): Step => ({
    request: {
      step: 'probe',
      argv: probeArgv({ ...context, markerName: markerFileName(context.runId) }),
      env: { ...context.credentialEnv, CC_ISO_FINGERPRINT_KEY: context.fingerprintKey },
    },
    interpreter: new ProbeInterpreter(),
    measured,
  });
  switch (context.workload) {
    case 'probe':
      return [probe(true)];
    case 'command':
      return [
        {
          request: { step: 'command', argv: context.command, env: context.credentialEnv },
          interpreter: new CommandInterpreter(),
          measured: true,
        },
      ];
    case 'claude':
      // The probe runs first in the same isolation, so the findings cover Claude's environment.
      return [
        probe(false),
        {
          request: {
            step: 'claude',
            argv: claudeArgv(context.prompt, context.isolated),
            env: { ...context.forwardedEnv, ...context.credentialEnv, DISABLE_AUTOUPDATER: '1' },
          },
          interpreter: new ClaudeInterpreter(),
          measured: true,
          installHint: 'install it with `npm install -g @anthropic-ai/claude-code`, or use a container mode',
        },
      ];
  }
}
