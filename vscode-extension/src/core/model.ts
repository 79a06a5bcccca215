import { asCcpError, CcpError } from './errors';
import { FollowOptions, RunFollower } from './follow';
import { inWorkspace, Source } from './sources';
import { FINAL_RUN_STATES, RunView, StepView } from './wire';

/** A run as the view holds it: from which source, and whether that source is still there. */
export interface RunEntry {
  key: string;
  source: Source;
  run: RunView;
  /** Its `ccp` has ended: the run is shown as it was last seen, and nothing can be decided. */
  gone: boolean;
}

export interface ModelOptions {
  folder: string;
  /** The sources for the folder now: the bridge found through discovery, the server when logged in. */
  sources: () => Promise<Source[]>;
  follow?: FollowOptions;
  /** How many of the newest runs each source shows. */
  maxRuns?: number;
}

type Listener<T> = (value: T) => void;

/**
 * The runs of the open folder, from every source, kept current by following their events.
 * The single place that changes what the tree shows; errors from background work are reported
 * once each (until the source answers again), never thrown.
 */
export class RunsModel {
  private readonly entries = new Map<string, RunEntry>();
  private readonly followers = new Map<string, RunFollower>();
  private readonly shown = new Map<string, string>();
  private readonly changeListeners: Listener<void>[] = [];
  private readonly errorListeners: Listener<CcpError>[] = [];
  private refreshing?: Promise<void>;
  private disposed = false;

  constructor(private readonly options: ModelOptions) {}

  onChange(listener: Listener<void>): void {
    this.changeListeners.push(listener);
  }

  onError(listener: Listener<CcpError>): void {
    this.errorListeners.push(listener);
  }

  /** The runs to show, newest first; a run a bridge carries out hides the server's copy of it. */
  runs(): RunEntry[] {
    const bridged = new Set([...this.entries.values()].filter((e) => e.source.kind === 'bridge').map((e) => e.run.id));
    return [...this.entries.values()]
      .filter((e) => e.source.kind === 'bridge' || !bridged.has(e.run.id))
      .sort((a, b) => (b.run.created_at ?? '').localeCompare(a.run.created_at ?? ''));
  }

  entry(key: string): RunEntry | undefined {
    return this.entries.get(key);
  }

  /** Whether a local `ccp` carries this run out, so that it, not the editor, applies and commits. */
  carriedOutLocally(runId: string): boolean {
    return [...this.entries.values()].some((e) => e.source.kind === 'bridge' && !e.gone && e.run.id === runId);
  }

  /** Finds the sources again and reads their runs; one refresh at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  /** Decides a waiting step; on a conflict the run is read again so the tree shows who decided first. */
  async decide(key: string, n: number, decision: 'approve' | 'reject', files?: Record<string, string>): Promise<StepView> {
    const entry = this.entries.get(key);
    if (!entry || entry.gone) {
      throw new CcpError('bridge-gone', 'The ccp that carried out this run has ended: nothing can be decided here any more. Refresh.');
    }
    const body = files && Object.keys(files).length > 0
      ? { decision, files, via: 'editor' as const }
      : { decision, via: 'editor' as const };
    try {
      const step = await entry.source.client.decide(entry.run.id, n, body);
      entry.run = { ...entry.run, steps: (entry.run.steps ?? []).map((s) => (s.n === n ? step : s)) };
      this.changed();
      return step;
    } catch (error) {
      const failure = asCcpError(error);
      if (failure.kind === 'already-decided') {
        await this.reread(entry);
      }
      throw failure;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.followers.forEach((f) => f.stop());
    this.followers.clear();
  }

  private async doRefresh(): Promise<void> {
    let sources: Source[];
    try {
      sources = await this.options.sources();
      this.clear('sources');
    } catch (error) {
      this.report('sources', asCcpError(error));
      sources = [];
    }
    const live = new Set(sources.map((s) => s.key));
    for (const entry of this.entries.values()) {
      if (!live.has(entry.source.key)) {
        this.goneEntry(entry);
      }
    }
    await Promise.all(sources.map((source) => this.refreshSource(source)));
    this.changed();
  }

  private async refreshSource(source: Source): Promise<void> {
    let listed: RunView[];
    try {
      listed = await source.client.listRuns();
      this.clear(source.key);
    } catch (error) {
      this.report(source.key, asCcpError(error));
      return;
    }
    const mine = source.kind === 'server' ? listed.filter((r) => inWorkspace(r, this.options.folder)) : listed;
    await Promise.all(mine.slice(0, this.options.maxRuns ?? 10).map(async (run) => {
      const key = `${source.key}|${run.id}`;
      let entry = this.entries.get(key);
      if (!entry) {
        entry = { key, source, run, gone: false };
        this.entries.set(key, entry);
      }
      entry.source = source;
      if (!entry.run.steps || entry.run.seq !== run.seq) {
        await this.reread(entry);
      }
      if (!FINAL_RUN_STATES.has(entry.run.state)) {
        this.follow(entry);
      }
    }));
  }

  private follow(entry: RunEntry): void {
    if (this.disposed || this.followers.get(entry.key)?.active) {
      return;
    }
    const follower = new RunFollower(entry.source.client, entry.run.id, {
      run: (run) => {
        entry.run = run;
        this.clear(entry.source.key);
        this.changed();
      },
      failed: (error) => {
        // A bridge closes when its run ends; the tree says so, a notification would only alarm.
        if (error.kind !== 'bridge-gone') {
          this.report(entry.source.key, error);
        }
      },
      stopped: (why) => {
        this.followers.delete(entry.key);
        if (why instanceof CcpError && why.kind === 'bridge-gone') {
          this.goneEntry(entry);
          this.changed();
        }
      },
    }, this.options.follow);
    this.followers.set(entry.key, follower);
    void follower.start(entry.run.seq);
  }

  private async reread(entry: RunEntry): Promise<void> {
    try {
      entry.run = await entry.source.client.getRun(entry.run.id);
      this.changed();
    } catch (error) {
      const failure = asCcpError(error);
      if (failure.kind === 'bridge-gone') {
        this.goneEntry(entry);
      } else {
        this.report(entry.source.key, failure);
      }
    }
  }

  private goneEntry(entry: RunEntry): void {
    if (entry.source.kind === 'bridge') {
      entry.gone = true;
    } else {
      this.entries.delete(entry.key);
    }
    this.followers.get(entry.key)?.stop();
    this.followers.delete(entry.key);
  }

  /** Tells the listeners about an error unless the same one was told for this source and nothing has worked since. */
  private report(where: string, error: CcpError): void {
    if (this.disposed || this.shown.get(where) === error.message) {
      return;
    }
    this.shown.set(where, error.message);
    this.errorListeners.forEach((l) => l(error));
  }

  private clear(where: string): void {
    this.shown.delete(where);
  }

  private changed(): void {
    if (this.disposed) {
      return;
    }
    this.changeListeners.forEach((l) => l());
  }
}
