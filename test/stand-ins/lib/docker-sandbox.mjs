// Stand-in for Docker Desktop's `docker sandbox` plugin (4.58+ microVM generation), reproducing its
// documented behaviour. Receives the arguments after `docker sandbox`.
//
// DOCKER_SANDBOX_STANDIN_MODE (comma-separated):
//   plugin-missing  Docker without the plugin
//   no-api-key      Docker Desktop started without ANTHROPIC_API_KEY in its shell config: no key inside
//   no-final-newline  exec output lacks its final newline, as a wrapper author saw (it also holds
//                   back each line's newline until more output follows, so lines arrive late)
//   hang            every command prints a line and never exits
import path from 'node:path';
import {
  createContainer, execInContainer, fail, hang, logCall, modes, newRecord, onClientSignal, parseExec, proxyEnv,
  removeContainer, startContainer, stopContainer, Store, table,
} from './sandboxes.mjs';

const mode = modes('DOCKER_SANDBOX_STANDIN_MODE');
const store = new Store('docker-sandbox');
const [command, ...args] = process.argv.slice(2);
logCall('docker sandbox', [command, ...args]);

if (mode.has('plugin-missing')) fail("docker: 'sandbox' is not a docker command.\nSee 'docker --help'");
if (mode.has('hang')) await hang('Waiting for Docker Desktop to start...');

function existing(name) {
  const record = name ? store.get(name) : null;
  if (!record) fail(`Error: sandbox ${name} not found`);
  return record;
}

const commands = {
  async version() {
    console.log('github.com/docker/sandboxes/cli-plugin v0.7.1 f00f0d6473647c2201cd0507ce31613345c48ae6');
  },

  async ls() {
    const sandboxes = store.all();
    if (args.includes('--json')) {
      // The plugin switched keys: "vms" when populated, "sandboxes" when empty.
      const vms = sandboxes.map((s) => ({
        name: s.name,
        agent: s.agent,
        status: s.status,
        socket_path: `${process.env.HOME}/.docker/sandboxes/vm/${s.name}/docker.sock`,
        sandbox_count: 1,
        workspaces: s.workspaces,
      }));
      console.log(JSON.stringify(vms.length > 0 ? { vms } : { sandboxes: [] }));
    } else if (args.includes('-q') || args.includes('--quiet')) {
      sandboxes.forEach((s) => console.log(s.name));
    } else {
      const rows = sandboxes.map((s) => [s.id.slice(0, 12), s.name, s.status, s.workspaces.join(','), '…/docker.sock', 1, s.agent]);
      console.log(table([['VM ID', 'NAME', 'STATUS', 'WORKSPACE', 'SOCKET PATH', 'SANDBOXES', 'AGENTS'], ...rows]));
    }
  },

  async create() {
    let name = null;
    const positional = [];
    for (let index = 0; index < args.length; index++) {
      const arg = args[index];
      if (arg === '--name') name = args[++index];
      else if (arg === '-q' || arg === '--quiet') continue;
      else if (arg.startsWith('-')) fail(`unknown flag: ${arg}`);
      else positional.push(arg);
    }
    const [agent, ...workspaces] = positional;
    if (!agent || workspaces.length === 0) fail('"docker sandbox create" requires at least 2 arguments.');
    name ??= `${agent}-${path.basename(workspaces[0])}`;
    if (store.get(name)) fail(`Error: sandbox ${name} already exists`);
    console.log(`Creating sandbox ${name} (agent ${agent}) for ${workspaces[0]}`);
    const created = createContainer('docker-sandbox', name, workspaces[0]);
    if (!created.ok) fail(`Error: ${created.stderr}`);
    store.put(newRecord(name, agent, workspaces));
    console.log(`Sandbox ${name} created`);
  },

  async exec() {
    const parsed = parseExec(args);
    if (parsed.error) fail(parsed.error);
    if (!parsed.name || parsed.command.length === 0) fail('"docker sandbox exec" requires at least 2 arguments.');
    const record = existing(parsed.name);
    if (record.status !== 'running' && !startContainer(record.name).ok) fail(`Error: cannot start sandbox ${record.name}`);
    store.put({ ...record, status: 'running' });
    onClientSignal('context canceled');
    const result = await execInContainer(record.name, parsed.options, parsed.command, proxyEnv(!mode.has('no-api-key')), {
      dropFinalNewline: mode.has('no-final-newline'),
    });
    if (result.error) process.stderr.write(`${result.error}\n`);
    process.exitCode = result.code;
  },

  async stop() {
    for (const name of args) {
      const record = existing(name);
      stopContainer(name);
      // An `rm` that ran meanwhile wins: a stopped sandbox is never brought back.
      if (store.get(name)) store.put({ ...record, status: 'stopped' });
      console.log(name);
    }
  },

  async rm() {
    for (const name of args) {
      if (!store.get(name)) {
        process.stderr.write(`Error: sandbox ${name} not found\n`);
        process.exitCode = 1;
        continue;
      }
      removeContainer(name);
      store.remove(name);
      console.log(name);
    }
  },
};

const handler = command === undefined ? undefined : commands[command];
if (!handler) fail(`docker sandbox: unknown command "${command ?? ''}"`);
await handler();
