import * as assert from 'assert';
import { RunsModel } from '../../src/core/model';
import { bridgeSource, serverSource, Source } from '../../src/core/sources';
import { children, NodeRef, view } from '../../src/core/tree';
import { FakeRunApi, waitingRun } from '../support/fake-run-api';

describe('tree nodes', () => {
  let api: FakeRunApi;
  let model: RunsModel;
  afterEach(async () => {
    model.dispose();
    await api.close();
  });

  async function load(kind: 'bridge' | 'server', run: ReturnType<typeof waitingRun>): Promise<RunsModel> {
    api = await FakeRunApi.start(kind);
    api.addRun(run);
    const source: Source = kind === 'bridge'
      ? bridgeSource({ version: 1, pid: 1, port: api.port, token: 'good-token', workspace: '/home/ada/src/shop', file: 'f' })
      : serverSource(api.url, { token: async () => 'good-token' });
    model = new RunsModel({ folder: '/home/ada/src/shop', sources: async () => [source] });
    await model.refresh();
    return model;
  }

  it('shows a run with its state and a waiting change that opens its diff', async () => {
    await load('bridge', waitingRun('r1'));
    const [run] = children(model);
    assert.deepStrictEqual(view(model, run), {
      id: run.key, label: 'Add a greeting', description: 'waiting', icon: 'bell', contextValue: 'ccp.run', collapsible: 'expanded',
      tooltip: `Run r1\nfrom ccp (pid 1)`,
    });
    const [step] = children(model, run);
    const node = view(model, step)!;
    assert.strictEqual(node.label, '1. hello.txt');
    assert.strictEqual(node.contextValue, 'ccp.step.waiting.change');
    assert.strictEqual(node.description, 'waiting');
    assert.deepStrictEqual(node.command, { command: 'ccp.openDiff', title: 'Open Diff',
      arguments: [{ type: 'file', key: run.key, n: 1, path: 'hello.txt' }] });
    assert.deepStrictEqual(children(model, step), []);
  });

  it('lists each file of a change of several files, each opening its own diff', async () => {
    const run = waitingRun('r1');
    run.steps![0].files = { 'b.txt': 'b', 'a.txt': 'a' };
    run.steps![0].before = { 'b.txt': 'old b' };
    await load('bridge', run);
    const [step] = children(model, children(model)[0]);
    assert.strictEqual(view(model, step)!.command, undefined);
    const files = children(model, step) as Extract<NodeRef, { type: 'file' }>[];
    assert.deepStrictEqual(files.map((f) => f.path), ['a.txt', 'b.txt']);
    assert.deepStrictEqual(files.map((f) => view(model, f)!.description), ['new', undefined]);
    assert.strictEqual(view(model, files[0])!.contextValue, 'ccp.file.waiting');
  });

  it('says how a step was decided, and offers to commit a server run nothing carries out here', async () => {
    const run = waitingRun('r1', { state: 'succeeded' });
    Object.assign(run.steps![0], { state: 'done', decision: { decision: 'edit', by: 'ada', via: 'web', files: { 'hello.txt': 'x' } } });
    run.steps!.push({ n: 2, kind: 'command', state: 'done', argv: ['make', 'test'], cwd: '.', output: 'ok' });
    await load('server', run);
    const [runNode] = children(model);
    assert.strictEqual(view(model, runNode)!.contextValue, 'ccp.run.committable');
    const [change, command] = children(model, runNode).map((s) => view(model, s)!);
    assert.strictEqual(change.description, 'done · approved with edits by ada via web');
    assert.strictEqual(change.contextValue, 'ccp.step.done.change');
    assert.strictEqual(command.label, '2. make test');
    assert.strictEqual(command.tooltip, 'ok');
  });

  it('offers no commit while the run goes on: whoever carries it out commits it', async () => {
    const run = waitingRun('r1', { state: 'running' });
    Object.assign(run.steps![0], { state: 'ready', decision: { decision: 'edit', by: 'ada', via: 'editor', files: { 'hello.txt': 'x' } } });
    await load('server', run);
    assert.strictEqual(view(model, children(model)[0])!.contextValue, 'ccp.run');
  });

  it('offers no commit for a run that has its commit', async () => {
    const run = waitingRun('r1', { state: 'succeeded', commit: 'abc123' });
    run.steps![0].state = 'done';
    await load('server', run);
    assert.strictEqual(view(model, children(model)[0])!.contextValue, 'ccp.run');
  });
});
