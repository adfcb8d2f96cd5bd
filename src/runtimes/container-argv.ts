import { ownerLabels } from './ownership.js';

export const WORKSPACE_INSIDE = '/workspace';

export interface RunSpec {
  name: string;
  runId: string;
  image: string;
  workspace: string;
  /** OCI runtime, network and user flags (container.ts, container-network.ts, container-user.ts). */
  access: string[];
  user: string[];
  /** Names of the variables to pass in; their values stay in the client's environment. */
  envNames: string[];
  argv: string[];
}

/**
 * `run --rm --init` with the run's name and labels: the one command whose timing cc-iso reports.
 * `--env NAME` without a value makes the engine CLI read the value from its own environment, so no
 * secret appears in an argument list (the engine still keeps it in the container's config).
 */
export function runArgs(spec: RunSpec): string[] {
  return [
    'run', '--rm', '--init',
    '--name', spec.name,
    ...ownerLabels(spec.runId),
    ...spec.access,
    ...spec.user,
    // --mount, not --volume: --volume splits at a ':' in the path (planning refuses a ',').
    '--mount', `type=bind,source=${spec.workspace},target=${WORKSPACE_INSIDE}`,
    '--workdir', WORKSPACE_INSIDE,
    ...spec.envNames.flatMap((key) => ['--env', key]),
    spec.image,
    ...spec.argv,
  ];
}
