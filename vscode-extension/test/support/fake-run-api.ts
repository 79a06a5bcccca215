/**
 * A run API in a Node http server, speaking as docs/runs.md and docs/ide-protocol.md say: bearer
 * tokens, problem+json errors, long polls on events, one decision per step. As a bridge it also
 * refuses an `Origin` and a `Host` other than the loopback address and its port.
 */
import * as http from 'http';
import { AddressInfo } from 'net';
import { DecisionRequest, RunEvent, RunView, StepView } from '../../src/core/wire';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body?: unknown;
}

export class FakeRunApi {
  readonly runs = new Map<string, RunView>();
  readonly events = new Map<string, RunEvent[]>();
  readonly requests: Recorded[] = [];
  /** Answers given instead of the real one, first come first used. */
  readonly failures: { status: number; problem?: object; raw?: string }[] = [];
  tokens = new Set(['good-token']);
  /** What a long poll's `wait=S` second is worth here, to keep tests fast. */
  msPerWaitSecond = 1000;
  /** The one Host accepted besides loopback names, or with `onlyHost` the only one: to see a DNS-rebinding refusal. */
  onlyHost?: string;
  private waiters: (() => void)[] = [];
  private server!: http.Server;

  private constructor(readonly kind: 'bridge' | 'server') {}

  static async start(kind: 'bridge' | 'server' = 'bridge'): Promise<FakeRunApi> {
    const api = new FakeRunApi(kind);
    api.server = http.createServer((req, res) => api.handle(req, res));
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    return api;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  addRun(run: Partial<RunView> & { id: string }): RunView {
    const full: RunView = { title: run.id, state: 'running', seq: 0, steps: [], created_at: new Date().toISOString(), ...run };
    this.runs.set(full.id, full);
    this.events.set(full.id, []);
    return full;
  }

  /** Appends an event, moving the run's `seq` and state along, and answers held polls. */
  emit(runId: string, event: Omit<RunEvent, 'seq'>, change?: (run: RunView) => void): void {
    const run = this.runs.get(runId)!;
    change?.(run);
    run.seq += 1;
    this.events.get(runId)!.push({ seq: run.seq, ...event });
    this.wake();
  }

  step(runId: string, n: number): StepView {
    return this.runs.get(runId)!.steps!.find((s) => s.n === n)!;
  }

  close(): Promise<void> {
    this.wake();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    waiting.forEach((w) => w());
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      this.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      void this.answer(req, res, body);
    });
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): Promise<void> {
    if (this.kind === 'bridge' && req.headers.origin !== undefined) {
      return problem(res, 403, 'forbidden', 'requests from web pages are refused');
    }
    const host = req.headers.host;
    const hosts = this.onlyHost ? [this.onlyHost] : [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    if (this.kind === 'bridge' && !hosts.includes(host ?? '')) {
      return problem(res, 403, 'forbidden', `the Host ${host} is not this bridge's`);
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.tokens.has(auth.substring(7))) {
      return problem(res, 401, 'unauthorized', this.kind === 'bridge' ? 'wrong token: read the discovery file again' : undefined);
    }
    const failure = this.failures.shift();
    if (failure) {
      res.writeHead(failure.status, { 'Content-Type': failure.raw ? 'text/plain' : 'application/problem+json' });
      res.end(failure.raw ?? JSON.stringify({ status: failure.status, ...failure.problem }));
      return;
    }
    const url = new URL(req.url!, 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const run = parts[2] ? this.runs.get(parts[2]) : undefined;
    if (req.method === 'GET' && parts.length === 2) {
      return json(res, 200, [...this.runs.values()].reverse().map(({ steps: _steps, ...rest }) => rest));
    }
    if (!run) {
      return problem(res, 404, 'not-found', 'no such run');
    }
    if (req.method === 'GET' && parts.length === 3) {
      return json(res, 200, run);
    }
    if (req.method === 'GET' && parts[3] === 'events') {
      return this.events_(req, res, run, Number(url.searchParams.get('after') ?? 0));
    }
    if (req.method === 'POST' && parts[3] === 'steps' && parts[5] === 'decision') {
      return this.decide(res, run, Number(parts[4]), body as DecisionRequest);
    }
    return problem(res, 404, 'not-found', 'no such call');
  }

  private async events_(req: http.IncomingMessage, res: http.ServerResponse, run: RunView, after: number): Promise<void> {
    const wait = Number(/wait=(\d+)/.exec(String(req.headers.prefer ?? ''))?.[1] ?? 0);
    const newer = () => this.events.get(run.id)!.filter((e) => e.seq > after);
    if (newer().length === 0 && wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait * this.msPerWaitSecond);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    const events = newer();
    json(res, 200, { events, next: events.length ? events[events.length - 1].seq : after, state: run.state });
  }

  private decide(res: http.ServerResponse, run: RunView, n: number, request: DecisionRequest): void {
    const step = run.steps?.find((s) => s.n === n);
    if (!step) {
      return problem(res, 404, 'not-found', `run ${run.id} has no step ${n}`);
    }
    if (step.state !== 'waiting') {
      const first = step.decision ? `${step.decision.decision} by ${step.decision.by} via ${step.decision.via}` : step.state;
      return problem(res, 409, 'already-decided', `step ${n} was already decided: ${first}`);
    }
    const edited = request.decision === 'approve' && request.files && Object.keys(request.files).length > 0;
    step.state = request.decision === 'approve' ? 'ready' : 'rejected';
    step.decision = { decision: edited ? 'edit' : request.decision, by: 'ada', via: this.kind === 'bridge' ? 'editor' : request.via,
      files: edited ? request.files : null };
    this.emit(run.id, { type: 'decided', step: n, state: step.state });
    json(res, 200, step);
  }
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

function problem(res: http.ServerResponse, status: number, slug: string, detail?: string): void {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `https://ccp.dev/problems/${slug}`, title: slug, status, ...(detail ? { detail } : {}) }));
}

/** A waiting run with one change step, as a `ccp run` of a one-file recipe shows it. */
export function waitingRun(id = 'r1', extra: Partial<RunView> = {}): Partial<RunView> & { id: string } {
  return {
    id,
    title: 'Add a greeting',
    state: 'waiting',
    workspace: { name: 'shop', root: '/home/ada/src/shop' },
    seq: 0,
    steps: [{
      n: 1, kind: 'change', state: 'waiting', verdict: 'needs_approval', reason: 'the run asks about every step',
      files: { 'hello.txt': 'hello\n' }, before: { 'hello.txt': 'hi\n' }, diff: '-hi\n+hello\n',
    }],
    ...extra,
  };
}
