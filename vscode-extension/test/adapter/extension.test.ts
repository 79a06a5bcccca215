import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Session } from '../../src/core/session';
import type { NodeRef } from '../../src/core/tree';
import * as vscode from '../support/vscode-stub';
import { FakeCcp, loggedIn } from '../support/fake-ccp';
import { FakeRunApi, waitingRun } from '../support/fake-run-api';

// Loaded after the alias in test/support, so its `vscode` is the stub.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require('../../src/extension') as typeof import('../../src/extension');

const { stub } = vscode;

interface Provider {
  getChildren(ref?: NodeRef): NodeRef[];
  getTreeItem(ref: NodeRef): vscode.TreeItem;
}

describe('the extension in VS Code (stubbed)', () => {
  let root: string;
  let folder: string;
  let bridge: FakeRunApi;
  let server: FakeRunApi;
  let ccp: FakeCcp;
  let context: { subscriptions: { dispose(): unknown }[] };
  let session: Session;
  const savedRuntime = process.env.XDG_RUNTIME_DIR;

  beforeEach(async () => {
    stub.reset();
    vscode.window.activeTextEditor = undefined;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ext-'));
    folder = path.join(root, 'shop');
    fs.mkdirSync(folder);
    stub.folders = [{ uri: vscode.Uri.file(folder), name: 'shop', index: 0 }];
    bridge = await FakeRunApi.start('bridge');
    server = await FakeRunApi.start('server');
    ccp = new FakeCcp({ 'status --json --offline': { code: 3, stderr: 'ccp: not logged in' } });
    stub.settings = { path: ccp.path, refreshSeconds: 3600 };
    process.env.XDG_RUNTIME_DIR = path.join(root, 'runtime');
  });

  afterEach(async () => {
    context?.subscriptions.forEach((s) => s.dispose());
    await bridge.close();
    await server.close();
    ccp.dispose();
    fs.rmSync(root, { recursive: true, force: true });
    if (savedRuntime === undefined) {
      delete process.env.XDG_RUNTIME_DIR;
    } else {
      process.env.XDG_RUNTIME_DIR = savedRuntime;
    }
  });

  /** A `ccp run` of this folder serving its bridge, as its discovery file says. */
  function serveBridge(): void {
    const dir = path.join(root, 'runtime', 'ccp', 'ide');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(path.join(root, 'runtime', 'ccp'), 0o700);
    fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify({ version: 1, ccp: '0.1.0', pid: process.pid,
      port: bridge.port, token: 'good-token', workspace: folder, started_at: '2026-12-01T10:00:00Z' }), { mode: 0o600 });
  }

  async function activate(): Promise<Provider> {
    context = { subscriptions: [] };
    session = extension.activate(context as never)!;
    await session.refresh();
    return stub.treeViews.get('ccpRuns')!.treeDataProvider as Provider;
  }

  const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand(command, ...args);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const diffCall = () => stub.executed.find((e) => e.command === 'vscode.diff')!;

  it('shows the waiting step of the local ccp run as tree items', async () => {
    serveBridge();
    bridge.addRun(waitingRun('r1'));
    const tree = await activate();
    const [runRef] = tree.getChildren();
    const runItem = tree.getTreeItem(runRef);
    assert.strictEqual(runItem.label, 'Add a greeting');
    assert.strictEqual(runItem.description, 'waiting');
    assert.strictEqual(runItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.strictEqual(runItem.iconPath?.id, 'bell');
    const stepItem = tree.getTreeItem(tree.getChildren(runRef)[0]);
    assert.strictEqual(stepItem.label, '1. hello.txt');
    assert.strictEqual(stepItem.contextValue, 'ccp.step.waiting.change');
    assert.strictEqual(stepItem.command?.command, 'ccp.openDiff');
  });

  it('opens the diff without taking the focus: before from ccp-run: on the left, the proposal editable on the right', async () => {
    serveBridge();
    bridge.addRun(waitingRun('r1'));
    const tree = await activate();
    const step = tree.getTreeItem(tree.getChildren(tree.getChildren()[0])[0]);
    await run(step.command!.command, ...step.command!.arguments!);
    const [left, right, title, options] = diffCall().args as [vscode.Uri, vscode.Uri, string, object];
    assert.strictEqual(left.scheme, 'ccp-run');
    assert.strictEqual(left.path, '/hello.txt');
    assert.strictEqual(stub.contentProviders.get('ccp-run')!.provideTextDocumentContent(left), 'hi\n');
    assert.strictEqual(right.scheme, 'file');
    assert.strictEqual(fs.readFileSync(right.fsPath, 'utf8'), 'hello\n');
    assert.strictEqual(title, 'hello.txt (step 1 of Add a greeting)');
    assert.deepStrictEqual(options, { preserveFocus: true, preview: true });
  });

  it('approves with my edits: sends the text left in the editor, saving it first', async () => {
    serveBridge();
    bridge.addRun(waitingRun('r1'));
    const tree = await activate();
    const stepRef = tree.getChildren(tree.getChildren()[0])[0];
    await run('ccp.openDiff', stepRef);
    const right = diffCall().args[1] as vscode.Uri;
    let saved = false;
    stub.textDocuments.push({ uri: right, isDirty: true, getText: () => 'hello, edited\n', save: async () => (saved = true) });
    await run('ccp.approveWithEdits', stepRef);
    const decision = bridge.requests.find((r) => r.method === 'POST');
    assert.deepStrictEqual(decision?.body, { decision: 'approve', files: { 'hello.txt': 'hello, edited\n' }, via: 'editor' });
    assert.ok(saved, 'the edited copy was not saved');
    assert.deepStrictEqual(stub.errors, []);
    assert.deepStrictEqual(stub.infos, ['Approved with your edits: step 1.']);
    assert.strictEqual(tree.getTreeItem(stepRef).contextValue, 'ccp.step.ready.change');
  });

  it('approves, from the diff editor\'s title, the step it shows', async () => {
    serveBridge();
    bridge.addRun(waitingRun('r1'));
    const tree = await activate();
    await run('ccp.openDiff', tree.getChildren(tree.getChildren()[0])[0]);
    const right = diffCall().args[1] as vscode.Uri;
    vscode.window.activeTextEditor = { document: { uri: right, isDirty: false, getText: () => 'hello\n', save: async () => true } };
    await run('ccp.approve');
    assert.deepStrictEqual(bridge.requests.find((r) => r.method === 'POST')?.body, { decision: 'approve', via: 'editor' });
    assert.match(bridge.requests.find((r) => r.method === 'POST')!.url, /\/v1\/runs\/r1\/steps\/1\/decision$/);
  });

  it('rejects a step', async () => {
    serveBridge();
    bridge.addRun(waitingRun('r1'));
    const tree = await activate();
    await run('ccp.reject', tree.getChildren(tree.getChildren()[0])[0]);
    assert.deepStrictEqual(bridge.requests.find((r) => r.method === 'POST')?.body, { decision: 'reject', via: 'editor' });
    assert.strictEqual(bridge.step('r1', 1).state, 'rejected');
  });

  it('tells in one notification that the step was decided elsewhere first, and by whom', async () => {
    serveBridge();
    bridge.addRun(waitingRun('r1'));
    const tree = await activate();
    const stepRef = tree.getChildren(tree.getChildren()[0])[0];
    Object.assign(bridge.step('r1', 1), { state: 'ready', decision: { decision: 'approve', by: 'bob', via: 'terminal' } });
    await run('ccp.approve', stepRef);
    assert.deepStrictEqual(stub.errors, ['step 1 was already decided: approve by bob via terminal']);
    assert.strictEqual(tree.getTreeItem(stepRef).description, 'ready · approved by bob via terminal');
  });

  it('shows plan, license state and policy channel in the status bar', async () => {
    ccp.answer(loggedIn(server.url));
    await activate();
    assert.strictEqual(stub.statusItems[0].text, '$(verified) ccp: team · valid · policy prod');
    assert.strictEqual(stub.statusItems[0].command, 'ccp.refresh');
  });

  it('tells once that a failing server fails, however often it is polled', async () => {
    ccp.answer(loggedIn(server.url));
    for (let i = 0; i < 4; i++) {
      server.failures.push({ status: 502, problem: { detail: 'the server is down for maintenance until 12:00' } });
    }
    await activate();
    await session.poll();
    await session.poll();
    await settle();
    assert.deepStrictEqual(stub.errors, ['the server is down for maintenance until 12:00']);
  });

  it('says once, when ccp is not found, to set ccp.path', async () => {
    stub.settings.path = path.join(root, 'no-ccp-here');
    await activate();
    await session.refresh();
    await settle();
    assert.strictEqual(stub.errors.length, 1);
    assert.match(stub.errors[0], /set `ccp.path`/);
    assert.strictEqual(stub.statusItems[0].text, '$(warning) ccp: not found');
  });

  it('commits a server run\'s accepted changes through git, with the run\'s message and trailer', async () => {
    ccp.answer(loggedIn(server.url));
    const serverRun = waitingRun('r9', { state: 'succeeded' });
    Object.assign(serverRun.steps![0], { state: 'ready',
      decision: { decision: 'edit', by: 'ada', via: 'web', files: { 'hello.txt': 'hello from the web\n' } } });
    server.addRun(serverRun);
    const tree = await activate();
    const [runRef] = tree.getChildren();
    assert.strictEqual(tree.getTreeItem(runRef).contextValue, 'ccp.run.committable');
    stub.warningAnswer = 'Commit';
    await run('ccp.commit', runRef);
    assert.deepStrictEqual(stub.errors, []);
    assert.strictEqual(fs.readFileSync(path.join(folder, 'hello.txt'), 'utf8'), 'hello from the web\n');
    assert.deepStrictEqual(stub.git.added, [[path.join(folder, 'hello.txt')]]);
    assert.deepStrictEqual(stub.git.commits, ['Add a greeting\n\nCcp-Run: r9']);
  });

  it('writes and commits nothing when the person does not confirm', async () => {
    ccp.answer(loggedIn(server.url));
    const serverRun = waitingRun('r9', { state: 'succeeded' });
    serverRun.steps![0].state = 'done';
    server.addRun(serverRun);
    const tree = await activate();
    await run('ccp.commit', tree.getChildren()[0]);
    assert.strictEqual(fs.existsSync(path.join(folder, 'hello.txt')), false);
    assert.deepStrictEqual(stub.git.commits, []);
  });
});
