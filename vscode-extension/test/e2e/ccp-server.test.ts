/**
 * The extension's core against a real server: a logged-in `ccp run --detach --no-ide` mirrors its run
 * to the server and waits there; the core finds the server and a token through `ccp status --json`
 * and `ccp token`, as the extension does, lists the workspace's runs, reads the waiting step's
 * before and after content, and approves it with an edit. The edit is what `ccp` commits, and the
 * server records the decision as made in the editor.
 *
 * Runs only when CCP_E2E_CLI names the ccp launcher, CCP_E2E_SERVER a running server and
 * CCP_E2E_HOME a CCP_HOME that is logged in to it (`.ci/run` sets all three).
 */
import * as assert from 'assert';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Ccp, CcpStatus } from '../../src/core/ccp';
import { findBridge } from '../../src/core/discovery';
import { CcpError } from '../../src/core/errors';
import { editedFiles } from '../../src/core/decisions';
import { ProposalFiles } from '../../src/core/proposals';
import { Session } from '../../src/core/session';
import { children, view } from '../../src/core/tree';

const cli = process.env.CCP_E2E_CLI;
const server = process.env.CCP_E2E_SERVER;
const home = process.env.CCP_E2E_HOME;

describe('end to end: a real ccp run on a real server, decided through the server', function () {
  this.timeout(300_000);
  let root: string;
  let child: ChildProcess | undefined;
  let session: Session | undefined;
  let proposals: ProposalFiles | undefined;

  before(function () {
    if (!cli || !server || !home) {
      this.skip();
    }
  });

  afterEach(() => {
    session?.dispose();
    proposals?.dispose();
    if (child && child.exitCode === null) {
      child.kill();
    }
    if (root) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('approves the waiting step with an edit on the server, and the edited content is what ccp commits', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ccp-e2e-server-'));
    const repo = path.join(root, 'shop');
    const runtime = path.join(root, 'runtime');
    fs.mkdirSync(repo);
    fs.mkdirSync(runtime, { mode: 0o700 });
    // The same environment for ccp run and for the editor's bridge discovery: with --no-ide there is
    // no bridge to find, so the server is the only way a decision can reach the run.
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtime, CCP_HOME: home };
    delete env.CCP_SERVER;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'user.name', 'Ada');
    fs.writeFileSync(path.join(repo, 'hello.txt'), 'hello\n');
    fs.mkdirSync(path.join(repo, '.ccp', 'recipes'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.ccp', 'recipes', 'greet.json'),
      JSON.stringify({ title: 'Greet the world', steps: [{ write: 'hello.txt', content: 'hello, world\n' }] }));
    git('add', '.');
    git('commit', '-q', '-m', 'Start');

    // `ccp.path` set to a full path, here a launcher that gives ccp the logged-in CCP_HOME.
    const launcher = path.join(root, 'ccp');
    fs.writeFileSync(launcher, `#!/bin/sh\nunset CCP_SERVER\nCCP_HOME=${shellQuote(home!)} exec ${shellQuote(cli!)} "$@"\n`,
      { mode: 0o700 });

    let output = '';
    child = spawn(cli!, ['run', 'greet', '--approve', 'all', '--detach', '--no-ide'],
      { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
    const exited = new Promise<number>((resolve) => child!.on('exit', (code) => resolve(code ?? -1)));

    // As the extension wires it: `ccp` runs in the open folder; the bridge is looked for in the run's runtime folder.
    const statuses: (CcpStatus | CcpError)[] = [];
    const errors: CcpError[] = [];
    session = new Session(repo, { ccp: new Ccp(() => launcher, undefined, repo), findBridge: (folder) => findBridge(folder, { env }) });
    session.onStatus((s) => statuses.push(s));
    session.onError((e) => errors.push(e));

    const runId = await until('ccp to start the run', async () => output.match(/^Run (run_\S+): /m)?.[1], () => output, exited);
    const waiting = await until('the waiting step through the server', async () => {
      await session!.refresh();
      const entry = session!.model.runs().find((e) => e.run.id === runId);
      const step = entry?.run.steps?.find((s) => s.state === 'waiting');
      return entry && step ? { entry, step } : undefined;
    }, () => `${output}\nthe editor was told: ${errors.map((e) => e.message).join('\n') || 'nothing'}`, exited);

    const status = statuses.find((s): s is CcpStatus => !(s instanceof CcpError));
    assert.ok(status?.loggedIn, `ccp status: ${JSON.stringify(statuses)}`);
    assert.strictEqual(status.server?.replace(/\/+$/, ''), server!.replace(/\/+$/, ''));
    assert.strictEqual(waiting.entry.source.kind, 'server', 'the run came from somewhere other than the server');
    assert.strictEqual(waiting.entry.run.workspace?.root && fs.realpathSync(waiting.entry.run.workspace.root), fs.realpathSync(repo));

    // The tree shows the run and its waiting change, which opens a diff of one file.
    const runRef = children(session.model).find((r) => r.key === waiting.entry.key);
    assert.ok(runRef, 'the run is not in the tree');
    const stepRef = children(session.model, runRef).find((r) => r.type === 'step' && r.n === waiting.step.n)!;
    assert.strictEqual(view(session.model, stepRef)?.contextValue, 'ccp.step.waiting.change');
    assert.strictEqual(view(session.model, runRef)?.contextValue, 'ccp.run', 'a run that ccp carries out is not for the editor to commit');

    // The diff's two sides: the file as it is, and the proposal.
    assert.strictEqual(waiting.step.kind, 'change');
    assert.deepStrictEqual(waiting.step.before, { 'hello.txt': 'hello\n' });
    assert.deepStrictEqual(waiting.step.files, { 'hello.txt': 'hello, world\n' });
    assert.match(waiting.step.diff ?? '', /\+hello, world/);

    // Approve with my edits: the proposal's copy is edited and saved, and what differs is sent.
    proposals = new ProposalFiles(root);
    const copy = proposals.open(runId, waiting.step.n, 'hello.txt', waiting.step.files!['hello.txt']);
    fs.writeFileSync(copy, 'hello, editor\n');
    const edits = editedFiles(waiting.step, (file) => proposals!.saved(runId, waiting.step.n, file));
    assert.deepStrictEqual(edits, { 'hello.txt': 'hello, editor\n' });
    const decided = await session.model.decide(waiting.entry.key, waiting.step.n, 'approve', edits);
    assert.strictEqual(decided.decision?.decision, 'edit');
    assert.strictEqual(decided.decision?.via, 'editor');
    assert.strictEqual(view(session.model, runRef)?.contextValue, 'ccp.run', 'the editor offers to commit what ccp is about to commit');

    const code = await within(exited, 120_000, -2);
    assert.strictEqual(code, 0, `ccp run ended with ${code}:\n${output}`);
    assert.match(output, /approved with edits in the editor/);
    assert.strictEqual(git('show', 'HEAD:hello.txt'), 'hello, editor\n');
    const message = git('log', '-1', '--format=%B').trim();
    assert.ok(message.startsWith('Greet the world\n'), message);
    assert.match(message, new RegExp(`^Ccp-Run: ${runId}$`, 'm'));
    const head = git('rev-parse', 'HEAD').trim();

    // The server's record of the run: done, with its commit, and the decision made in the editor.
    const onServer = await waiting.entry.source.client.getRun(runId);
    assert.strictEqual(onServer.state, 'succeeded');
    assert.strictEqual(onServer.commit, head);
    const step = onServer.steps?.find((s) => s.n === waiting.step.n);
    assert.strictEqual(step?.state, 'done');
    assert.strictEqual(step?.decision?.decision, 'edit');
    assert.strictEqual(step?.decision?.via, 'editor');
    assert.strictEqual(step?.decision?.by, status.login);
    assert.deepStrictEqual(step?.decision?.files, { 'hello.txt': 'hello, editor\n' });

    // The view follows the run to its end on its own.
    const followed = await until('the view to follow the run to its end', async () => {
      const entry = session!.model.entry(waiting.entry.key);
      return entry && entry.run.state === 'succeeded' ? entry.run : undefined;
    }, () => `the view shows ${session!.model.entry(waiting.entry.key)?.run.state}`);
    assert.strictEqual(followed.commit, head);

    // A second decision is refused, and the server's answer says who decided first.
    const again = await session.model.decide(waiting.entry.key, waiting.step.n, 'reject').then(
      () => assert.fail('a second decision was taken'), (error: unknown) => error);
    assert.ok(again instanceof CcpError, String(again));
    assert.strictEqual(again.kind, 'already-decided', again.message);
    assert.match(again.message, /via editor/);
    assert.deepStrictEqual(errors.map((e) => e.message), []);
  });
});

/** Polls until `probe` finds something; the JVM's start takes its time. Gives up early when ccp has ended. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, output: () => string,
  exited?: Promise<number>, timeoutMs = 240_000): Promise<T> {
  let ended: number | undefined;
  void exited?.then((code) => { ended = code; });
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found) {
      return found;
    }
    if (ended !== undefined) {
      throw new Error(`ccp ended (${ended}) while waiting for ${what}; it said:\n${output()}`);
    }
    if (Date.now() > end) {
      throw new Error(`no ${what} in ${timeoutMs / 1000} s; ccp said:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The promise's value, or `otherwise` once `ms` have passed; the timer does not outlive the answer. */
async function within<T>(promise: Promise<T>, ms: number, otherwise: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((resolve) => { timer = setTimeout(() => resolve(otherwise), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
