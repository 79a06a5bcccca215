import { acceptedFiles } from './commit';
import { RunEntry, RunsModel } from './model';
import { StepView } from './wire';

/** What the tree holds: a run, a step of it, or one file of a change. */
export type NodeRef =
  | { type: 'run'; key: string }
  | { type: 'step'; key: string; n: number }
  | { type: 'file'; key: string; n: number; path: string };

/** How a node looks, in terms the adapter maps one to one onto a TreeItem. */
export interface NodeView {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name. */
  icon?: string;
  /** For `when` clauses of menus: `ccp.run[.committable]`, `ccp.step.STATE.KIND`, `ccp.file.STATE`. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  command?: { command: string; title: string; arguments: unknown[] };
}

const RUN_ICONS: Record<string, string> = {
  queued: 'clock', running: 'sync~spin', waiting: 'bell', succeeded: 'pass', failed: 'error', cancelled: 'circle-slash',
};
const STEP_ICONS: Record<string, string> = {
  waiting: 'question', ready: 'arrow-right', rejected: 'close', denied: 'circle-slash', done: 'check', failed: 'error',
};

export const OPEN_DIFF = 'ccp.openDiff';

export function children(model: RunsModel, parent?: NodeRef): NodeRef[] {
  if (!parent) {
    return model.runs().map((e) => ({ type: 'run', key: e.key }));
  }
  const entry = model.entry(parent.key);
  if (!entry) {
    return [];
  }
  if (parent.type === 'run') {
    return (entry.run.steps ?? []).map((s) => ({ type: 'step', key: entry.key, n: s.n }));
  }
  const step = stepOf(entry, parent);
  if (parent.type === 'step' && step && fileNames(step).length > 1) {
    return fileNames(step).map((path) => ({ type: 'file', key: entry.key, n: step.n, path }));
  }
  return [];
}

export function view(model: RunsModel, ref: NodeRef): NodeView | undefined {
  const entry = model.entry(ref.key);
  if (!entry) {
    return undefined;
  }
  if (ref.type === 'run') {
    const run = entry.run;
    // While a run goes on, whoever carries it out (a detached `ccp run`, a runner) writes and commits
    // its changes; only a run that ended without a commit leaves them to the editor.
    const committable = !entry.gone && entry.source.kind === 'server' && run.state === 'succeeded' && !run.commit
      && !model.carriedOutLocally(run.id) && Object.keys(acceptedFiles(run)).length > 0;
    return {
      id: entry.key,
      label: run.title,
      description: entry.gone ? `${run.state}, ccp ended` : [run.state, run.phase].filter(Boolean).join(' · '),
      tooltip: [`Run ${run.id}`, run.started_by && `started by ${run.started_by}`, `from ${entry.source.label}`,
        run.message, run.commit && `commit ${run.commit}`].filter(Boolean).join('\n'),
      icon: RUN_ICONS[run.state] ?? 'circle-outline',
      contextValue: committable ? 'ccp.run.committable' : 'ccp.run',
      collapsible: 'expanded',
    };
  }
  const step = stepOf(entry, ref);
  if (!step) {
    return undefined;
  }
  const waiting = step.state === 'waiting' && !entry.gone ? 'waiting' : step.state;
  if (ref.type === 'file') {
    return {
      id: `${entry.key}|${step.n}|${ref.path}`,
      label: ref.path,
      description: step.before && ref.path in step.before ? undefined : 'new',
      contextValue: `ccp.file.${waiting}`,
      collapsible: 'none',
      command: { command: OPEN_DIFF, title: 'Open Diff', arguments: [ref] },
    };
  }
  const files = fileNames(step);
  return {
    id: `${entry.key}|${step.n}`,
    label: `${step.n}. ${summary(step)}`,
    description: [step.state, decided(step)].filter(Boolean).join(' · '),
    tooltip: [step.reason, step.kind === 'command' && step.output ? step.output.slice(-2000) : undefined]
      .filter(Boolean).join('\n\n') || undefined,
    icon: STEP_ICONS[step.state] ?? 'circle-outline',
    contextValue: `ccp.step.${waiting}.${step.kind}`,
    collapsible: files.length > 1 ? 'expanded' : 'none',
    command: files.length === 1
      ? { command: OPEN_DIFF, title: 'Open Diff', arguments: [{ type: 'file', key: entry.key, n: step.n, path: files[0] }] }
      : undefined,
  };
}

export function stepOf(entry: RunEntry, ref: NodeRef): StepView | undefined {
  return ref.type === 'run' ? undefined : entry.run.steps?.find((s) => s.n === ref.n);
}

export function fileNames(step: StepView): string[] {
  return Object.keys(step.files ?? {}).sort();
}

function summary(step: StepView): string {
  switch (step.kind) {
    case 'change':
      return fileNames(step).join(', ') || 'change';
    case 'command':
      return (step.argv ?? []).join(' ') + (step.cwd && step.cwd !== '.' ? ` (in ${step.cwd})` : '');
    default:
      return step.text ?? step.kind;
  }
}

function decided(step: StepView): string | undefined {
  const d = step.decision;
  if (!d) {
    return undefined;
  }
  const what = d.decision === 'edit' ? 'approved with edits' : d.decision === 'approve' ? 'approved' : 'rejected';
  return [what, d.by && `by ${d.by}`, d.via && `via ${d.via}`].filter(Boolean).join(' ');
}
