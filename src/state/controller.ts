import type { CliOptions } from '../config/options.js';
import type { Detection } from '../domain/detection.js';
import { WORKLOAD_IDS } from '../domain/modes.js';
import { parsePlacement, placementLabel, type TargetDetection } from '../domain/targets.js';
import { isFinal } from '../domain/results.js';
import type { EngineEvent } from '../engine/events.js';
import type { Session } from '../engine/session.js';
import { DEFAULT_EXPORT_NAMES, type ExportKind } from '../export/export-files.js';
import { SessionRecorder } from '../recording/recorder.js';
import { recordingStamp } from '../recording/recording-sink.js';
import type { Command, Scope } from '../app/keymap.js';
import { OutputBatcher, type BatcherOptions } from './batcher.js';
import { change, moveCursor, promptText, targetRows, toggle } from './choose.js';
import type { AppEngine, ReplayControls } from './engine.js';
import { clearPane, emptyPane, focusBy, focusNumber, paneLabel, scrollBy } from './panes.js';
import { createAppStore, recordsOf, type AppState, type AppStore } from './store.js';

export interface ControllerDeps {
  cli: CliOptions;
  engine: AppEngine;
  batcher?: BatcherOptions;
}

/**
 * The app's behaviour: turns commands (from the key table) into store changes and calls on the
 * session recorder, and shows the recorded sessions' events; screens only read the store and
 * send commands.
 */
export class AppController {
  readonly store: AppStore;
  readonly batcher: OutputBatcher;
  /** Settles with the exit code once the app has quit and every session has ended. */
  readonly closed: Promise<number>;
  private readonly cli: CliOptions;
  private readonly engine: AppEngine;
  private readonly sessions = new Set<Session>();
  private readonly owners = new Map<string, Session>();
  private lastOptions: CliOptions;
  /** Records the sessions started from one choose screen (a rerun joins it); new after "again". */
  private recorder: SessionRecorder | null = null;
  /** Settles once the final exports are on disk. */
  private saving: Promise<void> = Promise.resolve();
  private resolveClosed: (code: number) => void = () => {};
  /** Ends the targets' probes when the app closes before they have answered. */
  private readonly targetQuestions = new AbortController();

  constructor(deps: ControllerDeps) {
    this.cli = deps.cli;
    this.engine = deps.engine;
    this.lastOptions = deps.cli;
    const workloads = WORKLOAD_IDS.filter((id) => id !== 'command' || deps.cli.command.length > 0);
    this.store = createAppStore([...deps.engine.modes], workloads, {
      modes: deps.cli.modes === 'auto' ? [] : deps.cli.modes,
      workload: deps.cli.workload,
      prompt: deps.cli.prompt,
      runs: deps.cli.runs,
    }, deps.cli.targets.map(placementLabel));
    this.batcher = new OutputBatcher(this.store, deps.batcher);
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    deps.engine.replay?.attach({
      restart: () => this.restartReplay(),
      rerun: (plan) =>
        this.rerun(this.state.panes.findIndex((pane) => (pane.target ? (plan.targets ?? []).includes(paneLabel(pane)) : plan.modes.includes(pane.mode)))),
    });
  }

  /** The recording the app plays instead of running sessions, if it plays one. */
  get replay(): ReplayControls | undefined {
    return this.engine.replay;
  }

  get replaying(): boolean {
    return this.replay !== undefined;
  }

  private get state(): AppState {
    return this.store.getState();
  }

  private set(partial: Partial<AppState>): void {
    this.store.setState(partial);
  }

  /**
   * Probes every mode and every target; the choose screen follows once every mode has answered
   * (when the returned promise resolves). Other machines' engines answer slower (an ssh connection
   * per call) and are asked only on the next turn, once the screen showing the modes is drawn, so
   * their clients do not take the CPU it needs; their rows join it later.
   */
  detect(): Promise<void> {
    const local = Promise.all(
      this.state.modes.map((mode) =>
        this.engine.detect(mode).then((detection) => {
          const detections = { ...this.state.detections, [mode]: detection };
          this.set({ detections });
          if (this.state.phase === 'detect' && this.state.modes.every((m) => detections[m])) this.detected();
        }),
      ),
    );
    void local
      .then(() => new Promise((turn) => setImmediate(turn)))
      .then(async () => (await this.engine.detectTargets?.(this.targetQuestions.signal)) ?? [])
      .then(
        (found) => this.targetsFound(found),
        () => this.targetsFound([]),
      );
    return local.then(() => {});
  }

  /** A cursor on a row below the modes stays on that row as the target rows appear above it. */
  private targetsFound(found: TargetDetection[]): void {
    const { cursor, modes, phase } = this.state;
    const shift = phase === 'choose' && cursor >= modes.length ? targetRows(found).length : 0;
    this.set({ targetDetections: found, cursor: cursor + shift });
  }

  private detected(): void {
    const available = this.state.modes.filter((mode) => this.state.detections[mode]?.available);
    const wanted = this.cli.modes === 'auto' ? available : this.cli.modes;
    const modes = available.filter((mode) => wanted.includes(mode));
    this.set({ phase: 'choose', choices: { ...this.state.choices, modes } });
    const replay = this.engine.replay;
    if (replay) {
      // A replay shows the recorded choices and starts them at once, as the recorded session did.
      const { modes: recorded, targets = [], workload, prompt, runs } = replay.plan;
      this.set({ choices: { modes: recorded, workload, prompt, runs }, targets });
      void this.start();
    }
  }

  /** The key scopes that apply now, most specific first. */
  scopes(): Scope[] {
    return this.state.help ? ['help', 'global'] : this.screenScopes();
  }

  /** The scopes of the screen itself, under the help overlay if it is open. */
  screenScopes(): Scope[] {
    const { phase, draft } = this.state;
    if (phase === 'closed') return [];
    if (draft !== null) return ['prompt'];
    if (phase === 'detect') return ['global'];
    return this.replaying && phase !== 'choose' ? ['replay', phase, 'global'] : [phase, 'global'];
  }

  command(command: Command, key = ''): void {
    const state = this.state;
    switch (command) {
      case 'app.quit': return this.quit();
      case 'app.help': return this.set({ help: !state.help });
      case 'help.close': return this.set({ help: false });
      case 'choose.up': return this.set(moveCursor(state, -1));
      case 'choose.down': return this.set(moveCursor(state, 1));
      case 'choose.toggle': return this.set(toggle(state));
      case 'choose.previous': return this.set(change(state, -1));
      case 'choose.next': return this.set(change(state, 1));
      case 'choose.prompt': return this.set({ draft: state.choices.prompt, notice: null });
      case 'choose.start': return void this.start();
      case 'prompt.done': return this.keepPrompt();
      case 'prompt.cancel': return this.set({ draft: null });
      case 'prompt.clear': return this.set({ draft: '' });
      case 'prompt.backspace': return this.set({ draft: [...(state.draft ?? '')].slice(0, -1).join('') });
      case 'pane.next': return this.set(focusBy(state, 1));
      case 'pane.previous': return this.set(focusBy(state, -1));
      case 'pane.focus': return this.set(focusNumber(state, key));
      case 'pane.zoom': return this.set({ zoomed: !state.zoomed });
      case 'scroll.up': return this.scroll(1);
      case 'scroll.down': return this.scroll(-1);
      case 'scroll.pageUp': return this.scroll(state.pageSize);
      case 'scroll.pageDown': return this.scroll(-state.pageSize);
      case 'scroll.end': return this.scroll(-Infinity);
      case 'run.stop': return this.stopFocused();
      case 'run.rerun': return this.rerunFocused();
      case 'results.markdown': return void this.export('markdown');
      case 'results.json': return void this.export('json');
      case 'results.recording': return void this.saveRecording();
      case 'results.timeline': return this.set({ timeline: !state.timeline });
      case 'replay.toggle': return this.toggleReplay();
      case 'replay.back': return this.engine.replay?.seek(-1);
      case 'replay.forward': return this.engine.replay?.seek(1);
      case 'results.again':
        this.recorder = null;
        return this.set({ phase: 'choose', panes: [], runs: {}, notice: null, zoomed: false });
    }
  }

  /** Typed characters while editing the prompt. */
  type(text: string): void {
    if (this.state.draft !== null) this.set({ draft: this.state.draft + promptText(text) });
  }

  /** A paste keeps its lines; on the choose screen it opens the prompt editor with the text. */
  paste(text: string): void {
    const { draft, phase } = this.state;
    if (draft !== null) this.set({ draft: draft + promptText(text) });
    else if (phase === 'choose') this.set({ draft: promptText(text), notice: null });
  }

  /** The run screen reports how many output rows the focused pane shows. */
  setPageSize(rows: number): void {
    if (rows !== this.state.pageSize) this.set({ pageSize: Math.max(1, rows) });
  }

  private scroll(delta: number): void {
    this.set(scrollBy(this.state, delta));
  }

  private keepPrompt(): void {
    const prompt = (this.state.draft ?? '').trim();
    if (prompt === '') return this.set({ notice: 'the prompt cannot be empty' });
    this.set({ draft: null, choices: { ...this.state.choices, prompt } });
  }

  private async start(): Promise<void> {
    const { choices, modes: order } = this.state;
    const modes = order.filter((mode) => choices.modes.includes(mode));
    // Targets (from --mode or picked here) each get a pane after the local modes.
    const targets = this.state.targets.map(parsePlacement);
    if (modes.length === 0 && targets.length === 0) return this.set({ notice: 'choose at least one available mode (space)' });
    const options: CliOptions = { ...this.cli, modes, targets, workload: choices.workload, prompt: choices.prompt, runs: choices.runs };
    this.lastOptions = options;
    this.engine.remember(options);
    this.batcher.flush();
    this.set({ phase: 'run', panes: [...modes.map((mode) => emptyPane(mode)), ...targets.map((p) => emptyPane(p.mode, p.target))], runs: {}, results: null, focus: 0, zoomed: false, timeline: false, notice: null });
    this.recorder = this.newRecorder();
    await this.launch(options, true);
  }

  private newRecorder(): SessionRecorder {
    const detections = this.detectionList();
    return new SessionRecorder({
      targets: this.cli,
      write: (target, content) => this.engine.writeFile(target, content),
      facts: (secrets) => this.engine.facts(detections, secrets),
      warn: (notice) => this.set({ notice }),
      recording: this.engine.record?.(detections, (notice) => this.set({ notice })),
    });
  }

  /**
   * Plans and starts a session in the recording; the first of a start goes back to the choose
   * screen if it cannot start. `redoes`: the runs a rerun repeats.
   */
  private async launch(options: CliOptions, first: boolean, redoes: string[] = []): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    this.set({ liveSessions: this.state.liveSessions + 1 });
    let session: Session;
    try {
      session = await recorder.start(await this.engine.plan(options, this.detectionList()), this.onEvent, redoes);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.set({ liveSessions: this.state.liveSessions - 1, notice: `cannot start: ${message}` });
      if (first && this.state.liveSessions === 0) this.set({ phase: 'choose', panes: [], runs: {} });
      if (this.state.quitting !== 'no' && this.state.liveSessions === 0) this.close();
      return;
    }
    this.sessions.add(session);
    for (const run of session.runs) this.owners.set(run.id, session);
    // A quit that came while the session was being planned applies to it too.
    if (this.state.quitting === 'graceful') session.stopAll();
    if (this.state.quitting === 'forced') void session.forceStopAll();
    await session.done;
    // A replay that went back started the recording over: this session is no longer shown.
    if (recorder !== this.recorder) return;
    this.sessions.delete(session);
    this.batcher.flush();
    this.set({ liveSessions: this.state.liveSessions - 1 });
    if (this.state.liveSessions > 0) return;
    this.saving = recorder.finish().then(
      () => {},
      (error: unknown) => this.set({ notice: `could not write the results: ${error instanceof Error ? error.message : String(error)}` }),
    );
    const results = recorder.results(true);
    if (this.state.quitting !== 'no') this.close();
    else this.set({ phase: 'results', results, zoomed: false, notice: null });
  }

  private onEvent = (event: EngineEvent): void => this.batcher.handle(event);

  private detectionList(): Detection[] {
    return this.state.modes.flatMap((mode) => this.state.detections[mode] ?? []);
  }

  private stopFocused(): void {
    const pane = this.state.panes[this.state.focus];
    if (!pane) return;
    const live = pane.runIds.filter((id) => !isFinal(this.state.runs[id]?.status ?? 'queued'));
    if (live.length === 0) return this.set({ notice: `${paneLabel(pane)} has already ended` });
    for (const id of live) this.owners.get(id)?.stop(id);
    this.set({ notice: `stopping ${paneLabel(pane)}…` });
  }

  private rerunFocused(): void {
    const { panes, focus, runs, quitting } = this.state;
    const pane = panes[focus];
    if (!pane || quitting !== 'no') return;
    if (pane.runIds.some((id) => !isFinal(runs[id]?.status ?? 'queued'))) {
      return this.set({ notice: `${paneLabel(pane)} is still running; k stops it first` });
    }
    this.rerun(focus);
  }

  /** Runs pane `index`'s mode again; its new runs take the places of the old ones in the results. */
  private rerun(index: number): void {
    const pane = this.state.panes[index];
    if (!pane) return;
    this.batcher.flush();
    this.set({ ...clearPane(this.state, index), notice: `running ${paneLabel(pane)} again` });
    const again = pane.target ? { modes: [], targets: [{ mode: pane.mode, target: pane.target }] } : { modes: [pane.mode], targets: [] };
    void this.launch({ ...this.lastOptions, ...again }, false, pane.runIds);
  }

  /** The replay went back: the recorded session is shown again from its start (played at once up to the new place). */
  private restartReplay(): void {
    this.sessions.clear();
    this.owners.clear();
    this.recorder = null;
    this.set({ liveSessions: 0, quitting: 'no' });
    void this.start();
  }

  private toggleReplay(): void {
    const replay = this.engine.replay;
    if (!replay) return;
    replay.toggle();
    this.set({ notice: replay.paused() ? 'paused (space goes on)' : null });
  }

  /** First press stops every run cleanly; the second removes every container at once. */
  private quit(): void {
    const { liveSessions, quitting } = this.state;
    if (liveSessions === 0) return this.close();
    if (quitting === 'no') {
      this.set({ quitting: 'graceful', help: false, notice: 'stopping every run… (q again forces)' });
      for (const session of this.sessions) session.stopAll();
    } else if (quitting === 'graceful') {
      this.set({ quitting: 'forced', notice: 'forcing: removing every container now…' });
      for (const session of this.sessions) void session.forceStopAll();
    }
  }

  private close(): void {
    if (this.state.phase === 'closed') return;
    // A target still answering would keep the process alive after the app has quit.
    this.targetQuestions.abort();
    this.batcher.flush();
    this.batcher.dispose();
    const code = recordsOf(this.state).every((record) => record.status === 'passed') ? 0 : 1;
    this.set({ phase: 'closed' });
    // The process may exit once closed: the last results must be on disk first.
    void this.saving.then(() => this.resolveClosed(code));
  }

  /** s: a copy of this session's recording in the working folder, to replay or share. */
  private async saveRecording(): Promise<void> {
    const text = this.recorder?.recordingText();
    if (!text) return this.set({ notice: 'this session is not recorded' });
    const name = `cc-iso-${recordingStamp(new Date())}.ndjson`;
    try {
      this.set({ notice: `saved the recording to ${await this.engine.writeFile(name, await text)} (cc-iso replay plays it)` });
    } catch (error) {
      this.set({ notice: `could not save the recording: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** e / j: the --markdown / --json file when one was given, else RESULTS.md / results.json here. */
  private async export(kind: ExportKind): Promise<void> {
    const name = this.cli[kind] ?? DEFAULT_EXPORT_NAMES[kind];
    if (!this.recorder) return;
    try {
      this.set({ notice: `wrote ${await this.recorder.save(kind, name)}` });
    } catch (error) {
      this.set({ notice: `could not write ${name}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
