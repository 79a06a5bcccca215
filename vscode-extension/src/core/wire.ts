/**
 * The run API's JSON, field for field as the server and the bridge write it
 * (dev.ccp.spi.wire: RunView, StepView, DecisionRequest, DecisionView, RunEvents, RunEvent,
 * WorkspaceRef, Problem). Fields the server may leave out are optional.
 */

export type RunState = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
export type StepState = 'waiting' | 'ready' | 'rejected' | 'denied' | 'done' | 'failed';

export const FINAL_RUN_STATES: ReadonlySet<string> = new Set(['succeeded', 'failed', 'cancelled']);

export interface WorkspaceRef {
  name: string;
  root?: string | null;
  branch?: string | null;
  head?: string | null;
}

export interface DecisionView {
  /** `approve`, `edit` (approved with other content) or `reject`. */
  decision: string;
  by?: string | null;
  at?: string | null;
  via?: string | null;
  files?: Record<string, string> | null;
}

export interface StepView {
  n: number;
  kind: 'change' | 'command' | 'note' | string;
  files?: Record<string, string> | null;
  before?: Record<string, string> | null;
  diff?: string | null;
  argv?: string[] | null;
  cwd?: string | null;
  text?: string | null;
  verdict?: string | null;
  reason?: string | null;
  state: StepState | string;
  decision?: DecisionView | null;
  exit_code?: number | null;
  output?: string | null;
  created_at?: string | null;
}

export interface RunView {
  id: string;
  title: string;
  state: RunState | string;
  approval?: string | null;
  workspace?: WorkspaceRef | null;
  started_by?: string | null;
  source?: string | null;
  recipe?: string | null;
  phase?: string | null;
  message?: string | null;
  commit?: string | null;
  seq: number;
  created_at?: string | null;
  updated_at?: string | null;
  /** Absent in a list. */
  steps?: StepView[] | null;
}

export interface RunEvent {
  seq: number;
  at?: string | null;
  type: string;
  step?: number | null;
  state?: string | null;
  message?: string | null;
}

export interface RunEvents {
  events: RunEvent[];
  next: number;
  state: string;
}

export interface DecisionRequest {
  decision: 'approve' | 'reject';
  files?: Record<string, string>;
  via: 'editor';
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  upgrade_url?: string;
}

export const PROBLEM_TYPE_BASE = 'https://ccp.dev/problems/';

/** The last part of a problem's `type`, such as `already-decided`. */
export function problemSlug(problem: Problem): string {
  const type = problem.type ?? 'about:blank';
  return type.startsWith(PROBLEM_TYPE_BASE) ? type.substring(PROBLEM_TYPE_BASE.length) : type;
}
