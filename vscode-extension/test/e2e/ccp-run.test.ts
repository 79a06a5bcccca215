/**
 * The extension's core against a real `ccp run` (docs/ide-protocol.md): it finds the bridge through
 * the discovery file, reads the waiting step, approves it with an edit, and the edit is what ccp
 * commits. Runs only when CCP_E2E_CLI names the ccp launcher (such as bin/ccp of the repository).
 */
import * as assert from 'assert';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findBridge, scan } from '../../src/core/discovery';
import { RunsModel } from '../../src/core/model';
import { bridgeSource } from '../../src/core/sources';

const cli = process.env.CCP_E2E_CLI;

describe('end to end: a real ccp run, decided through its bridge', function () {
  this.timeout(300_000);
  let root: string;
  let child: ChildProcess | undefined;
  let model: RunsModel | undefined;

  before(function () {
    if (!cli) {
      this.skip();
    }
  });

  afterEach(() => {
    model?.dispose();
    if (child && child.exitCode === null) {
      child.kill();
    }
    if (root) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('approves the waiting step with an edit, and the edited content is what lands in the commit', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ccp-e2e-'));
    const repo = path.join(root, 'shop');
    const runtime = path.join(root, 'runtime');
    fs.mkdirSync(repo);
    fs.mkdirSync(runtime, { mode: 0o700 });
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_RUNTIME_DIR: runtime, CCP_HOME: path.join(root, 'home') };
    delete env.CCP_SERVER;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ada@example.com');
    git('config', 'user.name', 'Ada');
    fs.mkdirSync(path.join(repo, '.ccp', 'recipes'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.ccp', 'recipes', 'greet.json'),
      JSON.stringify({ title: 'Add a greeting', steps: [{ write: 'hello.txt', content: 'hello\n' }] }));
    git('add', '.');
    git('commit', '-q', '-m', 'Start');

    let output = '';
    // stdin stays open: ccp asks in the terminal too, and the editor's decision must come first.
    child = spawn(cli!, ['run', 'greet', '--approve', 'all'], { cwd: repo, env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
    const exited = new Promise<number>((resolve) => child!.on('exit', (code) => resolve(code ?? -1)));

    model = new RunsModel({ folder: repo, sources: async () => {
      const bridge = findBridge(repo, { env });
      return bridge ? [bridgeSource(bridge)] : [];
    } });
    const waiting = await until(async () => {
      await model!.refresh();
      const entry = model!.runs()[0];
      const step = entry?.run.steps?.find((s) => s.state === 'waiting');
      return entry && step ? { entry, step } : undefined;
    }, () => output);

    assert.strictEqual(waiting.step.kind, 'change');
    assert.deepStrictEqual(waiting.step.files, { 'hello.txt': 'hello\n' });
    assert.strictEqual(waiting.step.before?.['hello.txt'] ?? '', '');
    assert.match(waiting.step.diff ?? '', /\+hello/);

    const decided = await model.decide(waiting.entry.key, waiting.step.n, 'approve', { 'hello.txt': 'hello, edited\n' });
    assert.strictEqual(decided.decision?.via, 'editor');

    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<number>((resolve) => { timer = setTimeout(() => resolve(-2), 120_000); })]);
    clearTimeout(timer);
    child.stdin!.end();
    assert.strictEqual(code, 0, `ccp run ended with ${code}:\n${output}`);
    assert.strictEqual(git('show', 'HEAD:hello.txt'), 'hello, edited\n');
    const message = git('log', '-1', '--format=%B').trim();
    assert.ok(message.startsWith('Add a greeting\n'), message);
    assert.match(message, new RegExp(`^Ccp-Run: ${waiting.entry.run.id}$`, 'm'));
    assert.deepStrictEqual(scan({ env }).bridges, [], 'the discovery file outlived ccp');
  });
});

/** Polls until `probe` finds something; the JVM's start and a first build take their time. */
async function until<T>(probe: () => Promise<T | undefined>, output: () => string, timeoutMs = 240_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found) {
      return found;
    }
    if (Date.now() > end) {
      throw new Error(`no waiting step through the bridge in ${timeoutMs / 1000} s; ccp said:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
