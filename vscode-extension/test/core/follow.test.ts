import * as assert from 'assert';
import { RunClient } from '../../src/core/client';
import { CcpError } from '../../src/core/errors';
import { RunFollower, Sleep } from '../../src/core/follow';
import { RunView } from '../../src/core/wire';
import { FakeRunApi, waitingRun } from '../support/fake-run-api';

describe('RunFollower', () => {
  let api: FakeRunApi;
  let client: RunClient;
  const slept: number[] = [];
  /** Records each pause and returns at once: no test waits for real time. */
  const sleep: Sleep = async (ms) => { slept.push(ms); };

  beforeEach(async () => {
    api = await FakeRunApi.start('bridge');
    client = new RunClient({ kind: 'bridge', baseUrl: api.url, token: async () => 'good-token' });
    slept.length = 0;
  });
  afterEach(() => api.close());

  function follow(runId: string, after = 0) {
    const runs: RunView[] = [];
    const failures: CcpError[] = [];
    let stopped: 'final' | 'stopped' | CcpError | undefined;
    const follower = new RunFollower(client, runId, {
      run: (run) => runs.push(run),
      failed: (error) => failures.push(error),
      stopped: (why) => { stopped = why; },
    }, { sleep, waitSeconds: 30 });
    const done = follower.start(after);
    return { follower, runs, failures, done, stopped: () => stopped };
  }

  it('reads the run again after each event and stops once its state is final', async () => {
    api.addRun(waitingRun('r1'));
    const f = follow('r1');
    setTimeout(() => api.emit('r1', { type: 'decided', step: 1, state: 'ready' }, (r) => { r.steps![0].state = 'ready'; }), 20);
    setTimeout(() => api.emit('r1', { type: 'state', state: 'succeeded' }, (r) => { r.state = 'succeeded'; }), 60);
    await f.done;
    assert.strictEqual(f.stopped(), 'final');
    assert.strictEqual(f.runs[f.runs.length - 1].state, 'succeeded');
    assert.strictEqual(f.runs[0].steps![0].state, 'ready');
    const afters = api.requests.filter((r) => r.url.includes('/events')).map((r) => new URL(r.url, 'http://x').searchParams.get('after'));
    assert.deepStrictEqual(afters, ['0', '1']);
    assert.ok(api.requests.filter((r) => r.url.includes('/events')).every((r) => r.headers.prefer === 'wait=30'));
  });

  it('backs off doubling on a failing server, then carries on from where it was', async () => {
    api.addRun(waitingRun('r1', { seq: 4 }));
    for (let i = 0; i < 3; i++) {
      api.failures.push({ status: 503, problem: { detail: 'busy' } });
    }
    api.emit('r1', { type: 'state', state: 'cancelled' }, (r) => { r.state = 'cancelled'; });
    const f = follow('r1', 4);
    await f.done;
    assert.deepStrictEqual(slept, [1000, 2000, 4000]);
    assert.strictEqual(f.failures.length, 3);
    assert.strictEqual(f.stopped(), 'final');
    assert.strictEqual(new URL(api.requests[api.requests.length - 2].url, 'http://x').searchParams.get('after'), '4');
  });

  it('never waits longer than the longest backoff', () => {
    const f = new RunFollower(client, 'r1', { run() {}, failed() {}, stopped() {} }, { firstBackoffMs: 1000, maxBackoffMs: 30_000 });
    assert.deepStrictEqual([1, 2, 5, 6, 20].map((n) => f.backoff(n)), [1000, 2000, 16000, 30000, 30000]);
  });

  it('stops, without retrying, when the bridge is gone', async () => {
    api.addRun(waitingRun('r1'));
    await api.close();
    const f = follow('r1');
    await f.done;
    const why = f.stopped();
    assert.ok(why instanceof CcpError && why.kind === 'bridge-gone');
    assert.deepStrictEqual(slept, []);
  });

  it('stops when the run is no longer there', async () => {
    const f = follow('missing');
    await f.done;
    const why = f.stopped();
    assert.ok(why instanceof CcpError && why.kind === 'not-found');
  });

  it('ends a held long poll at once when stopped', async () => {
    api.addRun(waitingRun('r1'));
    const f = follow('r1');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    f.follower.stop();
    await f.done;
    assert.strictEqual(f.stopped(), 'stopped');
    assert.ok(Date.now() - started < 1000, 'the poll was not cut short');
    assert.deepStrictEqual(f.failures, []);
  });
});
