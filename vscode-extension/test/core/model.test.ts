import * as assert from 'assert';
import { CcpError } from '../../src/core/errors';
import { Sleep } from '../../src/core/follow';
import { RunsModel } from '../../src/core/model';
import { Source, bridgeSource, serverSource } from '../../src/core/sources';
import { FakeRunApi, waitingRun } from '../support/fake-run-api';

describe('RunsModel', () => {
  let bridge: FakeRunApi;
  let server: FakeRunApi;
  let errors: CcpError[];
  const models: RunsModel[] = [];
  const sleep: Sleep = async () => undefined;
  const folder = '/home/ada/src/shop';

  beforeEach(async () => {
    bridge = await FakeRunApi.start('bridge');
    server = await FakeRunApi.start('server');
    errors = [];
  });
  afterEach(async () => {
    models.splice(0).forEach((m) => m.dispose());
    await bridge.close();
    await server.close();
  });

  const bridgeOf = (api: FakeRunApi): Source => bridgeSource({ version: 1, pid: process.pid, port: api.port, token: 'good-token',
    workspace: folder, file: 'x.json' });
  const serverOf = (api: FakeRunApi): Source => serverSource(api.url, { token: async () => 'good-token' });

  function model(sources: () => Source[]): RunsModel {
    const m = new RunsModel({ folder, sources: async () => sources(), follow: { sleep, waitSeconds: 1 } });
    m.onError((e) => errors.push(e));
    models.push(m);
    return m;
  }

  it('shows the bridge\'s run and the server\'s runs of this workspace, a run in both once', async () => {
    bridge.addRun(waitingRun('r1', { created_at: '2026-12-01T10:00:02Z' }));
    server.addRun(waitingRun('r1', { created_at: '2026-12-01T10:00:02Z' }));
    server.addRun(waitingRun('r0', { created_at: '2026-12-01T09:00:00Z', state: 'succeeded' }));
    server.addRun(waitingRun('elsewhere', { workspace: { name: 'billing', root: '/srv/billing' } }));
    const m = model(() => [bridgeOf(bridge), serverOf(server)]);
    await m.refresh();
    assert.deepStrictEqual(m.runs().map((e) => [e.source.kind, e.run.id]), [['bridge', 'r1'], ['server', 'r0']]);
    assert.deepStrictEqual(m.runs()[0].run.steps?.[0].files, { 'hello.txt': 'hello\n' });
    assert.ok(m.carriedOutLocally('r1'));
    assert.ok(!m.carriedOutLocally('r0'));
  });

  it('keeps a run current from its events', async () => {
    bridge.addRun(waitingRun('r1'));
    const m = model(() => [bridgeOf(bridge)]);
    await m.refresh();
    const changed = new Promise<void>((resolve) => m.onChange(() => {
      if (m.runs()[0].run.state === 'succeeded') {
        resolve();
      }
    }));
    bridge.emit('r1', { type: 'state', state: 'succeeded' }, (r) => { r.state = 'succeeded'; r.steps![0].state = 'done'; });
    await changed;
    assert.strictEqual(m.runs()[0].run.steps![0].state, 'done');
  });

  it('decides with the edited files and shows the step as decided', async () => {
    bridge.addRun(waitingRun('r1'));
    const m = model(() => [bridgeOf(bridge)]);
    await m.refresh();
    const key = m.runs()[0].key;
    await m.decide(key, 1, 'approve', { 'hello.txt': 'hello, edited\n' });
    const decision = bridge.requests.find((r) => r.method === 'POST')!;
    assert.deepStrictEqual(decision.body, { decision: 'approve', files: { 'hello.txt': 'hello, edited\n' }, via: 'editor' });
    assert.strictEqual(m.entry(key)!.run.steps![0].state, 'ready');
  });

  it('sends a plain approve when nothing was edited', async () => {
    bridge.addRun(waitingRun('r1'));
    const m = model(() => [bridgeOf(bridge)]);
    await m.refresh();
    await m.decide(m.runs()[0].key, 1, 'approve', {});
    assert.deepStrictEqual(bridge.requests.find((r) => r.method === 'POST')!.body, { decision: 'approve', via: 'editor' });
  });

  it('on a step decided elsewhere first, reads the run again and says who decided', async () => {
    bridge.addRun(waitingRun('r1'));
    const m = model(() => [bridgeOf(bridge)]);
    await m.refresh();
    Object.assign(bridge.step('r1', 1), { state: 'ready', decision: { decision: 'approve', by: 'bob', via: 'terminal' } });
    await assert.rejects(m.decide(m.runs()[0].key, 1, 'reject'),
      (e: CcpError) => e.kind === 'already-decided' && e.message === 'step 1 was already decided: approve by bob via terminal');
    assert.strictEqual(m.runs()[0].run.steps![0].decision?.by, 'bob');
  });

  it('reports a failing source once until it answers again', async () => {
    const m = model(() => [serverOf(server)]);
    for (let i = 0; i < 3; i++) {
      server.failures.push({ status: 502, problem: { detail: 'the server is down for maintenance' } });
      await m.refresh();
    }
    assert.deepStrictEqual(errors.map((e) => e.message), ['the server is down for maintenance']);
    await m.refresh();
    server.failures.push({ status: 502, problem: { detail: 'the server is down for maintenance' } });
    await m.refresh();
    assert.strictEqual(errors.length, 2);
  });

  it('keeps the run of a ccp that ended, marked gone, and refuses to decide it', async () => {
    bridge.addRun(waitingRun('r1'));
    let sources = [bridgeOf(bridge)];
    const m = model(() => sources);
    await m.refresh();
    sources = [];
    await m.refresh();
    const entry = m.runs()[0];
    assert.ok(entry.gone);
    await assert.rejects(m.decide(entry.key, 1, 'approve'), (e: CcpError) => e.kind === 'bridge-gone');
    assert.deepStrictEqual(errors, []);
  });
});
