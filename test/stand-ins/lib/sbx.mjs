// Stand-in for Docker's `sbx` CLI, reproducing its documented contract; where the documentation
// does not give a text, the text is this stand-in's choice.
//
// SBX_STANDIN_MODE (comma-separated):
//   not-signed-in       commands that need the daemon fail with a sign-in error (or wait on a prompt
//                       when stdin is open and --no-input is absent, as the real device-code flow does)
//   no-policy           no network policy initialised: `policy ls` is empty, create fails or prompts
//   no-secret           no Anthropic secret: `secret ls` is empty, no placeholder key inside
//   old-version         sbx 0.25.0: no `version --json`, two-line `version`, no --no-input
//   no-version-json     sbx 0.40.0: no `version --json`, one-line `version`
//   hang                every command prints "Starting sandboxd daemon." and never exits
//   daemon-unavailable  the daemon cannot start
//   daemon-lines        the daemon is stopped; the first command that needs it prints start lines
//   ls-legacy-array     `ls --json` prints a bare array (sbx < 0.38)
//   stops-after-exec    a sandbox stops when its exec ends (what the real one does not do), so the
//                       "still running after the agent exited" check has something to tell apart
import fs from 'node:fs';
import path from 'node:path';
import {
  createContainer, execInContainer, fail, hang, logCall, modes, newRecord, onClientSignal, parseExec, proxyEnv,
  removeContainer, sleep, startContainer, stateDir, stdinKind, stopContainer, Store, table,
} from './sandboxes.mjs';

const mode = modes('SBX_STANDIN_MODE');
const store = new Store('sbx');
const SHA = 'f00f0d6473647c2201cd0507ce31613345c48ae6';
const AGENTS = ['claude', 'codex', 'copilot', 'gemini', 'kiro', 'opencode', 'shell', 'docker-agent'];
const version = mode.has('old-version') ? '0.25.0' : mode.has('no-version-json') ? '0.40.0' : '0.45.1';
const daemonFlag = path.join(stateDir, 'daemon-started');

const argv = process.argv.slice(2);
logCall('sbx', argv);
if (mode.has('hang')) await hang('Starting sandboxd daemon.');

// Global flags come before the command (an exec's own command may carry any flag after it).
let noInput = false;
while (argv[0]?.startsWith('-') && !['--help', '--version'].includes(argv[0])) {
  const flag = argv.shift();
  if (flag === '--no-input' && !mode.has('old-version')) noInput = true;
  else if (flag !== '-D' && flag !== '--debug') fail(`ERROR: unknown flag: ${flag}`);
}
const [command, ...args] = argv;

/** A question the real CLI would ask: waits forever on an open stdin, otherwise fails with what to run. */
async function prompt(question, instead) {
  if (stdinKind() !== 'closed' && !noInput) await hang(question);
  fail(`ERROR: ${instead}`);
}

async function daemon() {
  if (mode.has('daemon-unavailable')) fail('ERROR: ensure daemon: daemon failed to start properly after 10 retries');
  if (mode.has('daemon-lines') && !fs.existsSync(daemonFlag)) {
    process.stdout.write(`Starting sandboxd daemon...\nDaemon started (PID: ${process.pid}, socket: ${stateDir}/sandboxd.sock)\n`);
    fs.writeFileSync(daemonFlag, '');
  }
  if (mode.has('not-signed-in')) {
    await prompt(
      'To sign in, open https://login.docker.com/activate and enter the code WXYZ-1234\nWaiting for sign-in...',
      "not signed in: run 'sbx login' (headless: sbx login --username <id> --password-stdin)",
    );
  }
}

function policyPreset() {
  try {
    return fs.readFileSync(path.join(stateDir, 'policy'), 'utf8').trim();
  } catch {
    return mode.has('no-policy') ? null : 'balanced';
  }
}

function existing(name) {
  const record = name ? store.get(name) : null;
  if (!record) fail(`ERROR: no sandbox named '${name}'\n\nTo create one:\n  sbx create AGENT WORKSPACE`);
  return record;
}

const commands = {
  async version() {
    if (args.includes('--json')) {
      if (mode.has('old-version') || mode.has('no-version-json')) fail('Error: unknown flag: --json\nUsage:\n  sbx version [flags]');
      const running = !mode.has('daemon-unavailable') && (!mode.has('daemon-lines') || fs.existsSync(daemonFlag));
      const server = running ? { version: `v${version}`, state: 'running' } : { state: 'unavailable' };
      console.log(JSON.stringify({ client: { version: `v${version}`, commit: SHA }, server }));
    } else if (mode.has('old-version')) {
      console.log(`Client Version: v${version} ${SHA}\nServer Version: v${version} ${SHA}`);
    } else {
      console.log(`sbx version v${version} ${SHA}`);
    }
  },

  async ls() {
    await daemon();
    const sandboxes = store.all();
    if (args.includes('--json')) console.log(JSON.stringify(mode.has('ls-legacy-array') ? sandboxes : { sandboxes }));
    else if (args.includes('-q') || args.includes('--quiet')) sandboxes.forEach((s) => console.log(s.name));
    else if (sandboxes.length === 0) console.log('No sandboxes found');
    else {
      const rows = sandboxes.map((s) => [s.name, s.agent, s.status, '', s.workspaces.join(',')]);
      console.log(table([['SANDBOX', 'AGENT', 'STATUS', 'PORTS', 'WORKSPACE'], ...rows]));
    }
  },

  async create() {
    let name = null;
    let quiet = false;
    const positional = [];
    for (let index = 0; index < args.length; index++) {
      const arg = args[index];
      if (arg === '--name') name = args[++index];
      else if (arg.startsWith('--name=')) name = arg.slice(7);
      else if (arg === '-q' || arg === '--quiet') quiet = true;
      else if (arg.startsWith('-')) fail(`ERROR: unknown flag: ${arg}`);
      else positional.push(arg);
    }
    const [agent, ...workspaces] = positional;
    if (!agent) fail('ERROR: requires at least 1 arg(s), only received 0');
    if (!AGENTS.includes(agent)) fail(`ERROR: unknown agent "${agent}"`);
    name ??= `${agent}-${path.basename(workspaces[0] ?? 'sandbox')}`;
    if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,61}[a-zA-Z0-9]$/.test(name) || name === 'default') {
      fail(`ERROR: invalid sandbox name "${name}": use 2-63 letters, digits, '-' or '.', starting and ending with a letter or digit`);
    }
    await daemon();
    if (!policyPreset()) {
      await prompt(
        'Choose a network policy for your sandboxes:\n  > Open\n    Balanced\n    Locked Down',
        "no network policy set: run 'sbx policy init allow-all|balanced|deny-all'",
      );
    }
    if (store.get(name)) fail(`ERROR: sandbox '${name}' already exists`);
    const say = (line) => quiet || console.log(line);
    say('Pulling template docker/sandbox-templates:claude-code...');
    say('claude-code: Pull complete');
    const created = createContainer('sbx', name, workspaces[0]);
    if (!created.ok) fail(`ERROR: create sandbox '${name}': ${created.stderr}`);
    store.put(newRecord(name, agent, workspaces));
    say('Starting microVM...');
    await sleep(Number(process.env.SBX_STANDIN_CREATE_DELAY_MS || 0));
    say(`✓ Created sandbox '${name}'`);
    if (workspaces[0]) say(`  Workspace: ${workspaces[0]} (direct mount)`);
    say(`  Agent: ${agent}\n\nTo connect to this sandbox, run:\n  sbx run --name ${name}`);
  },

  async exec() {
    const parsed = parseExec(args);
    if (parsed.error) fail(`ERROR: ${parsed.error}`);
    if (parsed.options.detach) fail('ERROR: --detach is not supported by sbx exec');
    if (!parsed.name || parsed.command.length === 0) fail('ERROR: requires at least 2 arg(s)');
    await daemon();
    const record = existing(parsed.name);
    if (record.status !== 'running') {
      const started = startContainer(record.name);
      if (!started.ok) fail(`ERROR: start sandbox '${record.name}': ${started.stderr}`);
    }
    store.put({ ...record, status: 'running', last_used_at: new Date().toISOString() });
    onClientSignal('inspect exec: context deadline exceeded');
    const result = await execInContainer(record.name, parsed.options, parsed.command, proxyEnv(!mode.has('no-secret')));
    if (result.error) process.stderr.write(`${result.error}\n`);
    if (mode.has('stops-after-exec')) {
      stopContainer(record.name);
      if (store.get(record.name)) store.put({ ...store.get(record.name), status: 'stopped' });
    }
    process.exitCode = result.code;
  },

  async stop() {
    await daemon();
    for (const name of args) {
      const record = existing(name);
      stopContainer(name);
      // An `rm` that ran meanwhile wins: a stopped sandbox is never brought back.
      if (store.get(name)) store.put({ ...record, status: 'stopped' });
    }
  },

  async rm() {
    const force = args.includes('--force') || args.includes('-f');
    const names = args.filter((arg) => !arg.startsWith('-'));
    await daemon();
    if (!force) {
      if (stdinKind() !== 'tty') fail('stdin is not a terminal; use --force to skip confirmation');
      await hang(`Remove ${names.join(', ')}? [y/N]`);
    }
    for (const name of names) {
      if (!store.get(name)) {
        process.stderr.write(`sandbox '${name}' not found\n`);
        process.exitCode = 1;
        continue;
      }
      removeContainer(name);
      store.remove(name);
    }
  },

  async policy() {
    await daemon();
    const [sub, ...rest] = args;
    if (sub === 'init') {
      if (!['allow-all', 'balanced', 'deny-all'].includes(rest[0])) fail('ERROR: choose allow-all, balanced or deny-all');
      fs.writeFileSync(path.join(stateDir, 'policy'), rest[0]);
      return console.log(`✓ Network policy initialised: ${rest[0]}`);
    }
    if (sub !== 'ls') fail(`ERROR: unknown command "${sub}" for "sbx policy"`);
    const preset = policyPreset();
    const rules = preset
      ? ['api.anthropic.com', 'registry.npmjs.org', 'github.com'].map((resource, index) => ({
          id: `rule-${index + 1}`,
          name: `${preset}: ${resource}`,
          policy_id: `preset-${preset}`,
          scope: 'global',
          applies_to: 'all',
          resource_type: 'network',
          decision: preset === 'deny-all' ? 'deny' : 'allow',
          resources: [resource],
          origin: 'local',
          status: 'active',
          editable: true,
          sandbox_id: '',
        }))
      : [];
    if (rest.includes('--json')) console.log(JSON.stringify({ rules }));
    else if (rules.length === 0) console.log("No policy rules. Run 'sbx policy init balanced' to start from a preset.");
    else console.log(table([['DECISION', 'RESOURCES'], ...rules.map((r) => [r.decision, r.resources.join(',')])]));
  },

  async secret() {
    await daemon();
    if (args[0] !== 'ls') fail(`ERROR: unknown command "${args[0]}" for "sbx secret"`);
    const secrets = mode.has('no-secret') ? [] : [{ service: 'anthropic', scope: 'global', created_at: '2026-10-01T09:00:00Z' }];
    if (args.includes('--json')) console.log(JSON.stringify({ secrets }));
    else if (secrets.length === 0) console.log("No secrets stored. Store one with: sbx secret set anthropic");
    else console.log(table([['SERVICE', 'SCOPE', 'CREATED'], ...secrets.map((s) => [s.service, s.scope, s.created_at])]));
  },

  async '--help'() {
    console.log(
      [
        'Docker Sandboxes: run agents in microVMs',
        '',
        'Usage:',
        '  sbx [command]',
        '',
        'Available Commands:',
        '  create  exec  ls  policy  rm  secret  stop  version',
        '',
        'Flags:',
        '  -D, --debug      Enable debug logging',
        '  -h, --help       help for sbx',
        ...(mode.has('old-version') ? [] : ["      --no-input   Never prompt; commands that need an answer fail with the command to run instead"]),
      ].join('\n'),
    );
  },

  async '--version'() {
    fail('ERROR: unknown flag: --version');
  },
};

const handler = command === undefined ? undefined : commands[command];
if (!handler) fail(command === undefined ? 'ERROR: the interactive TUI needs a terminal' : `ERROR: unknown command "${command}" for "sbx"`);
await handler();
