import * as assert from 'assert';
import * as http from 'http';
import { RunClient } from '../../src/core/client';
import { CcpError } from '../../src/core/errors';
import { FakeRunApi, waitingRun } from '../support/fake-run-api';

describe('RunClient', () => {
  let api: FakeRunApi;
  beforeEach(async () => { api = await FakeRunApi.start('bridge'); });
  afterEach(() => api.close());

  const bridge = (token = 'good-token', baseUrl = api.url) =>
    new RunClient({ kind: 'bridge', baseUrl, token: async () => token });

  async function failure(promise: Promise<unknown>): Promise<CcpError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof CcpError, `not a CcpError: ${String(error)}`);
      return error;
    }
    throw new assert.AssertionError({ message: 'the call succeeded' });
  }

  it('sends the bearer token and no Origin, so the bridge answers', async () => {
    api.addRun(waitingRun('r1'));
    const runs = await bridge().listRuns();
    assert.deepStrictEqual(runs.map((r) => r.id), ['r1']);
    const request = api.requests[0];
    assert.strictEqual(request.headers.authorization, 'Bearer good-token');
    assert.strictEqual(request.headers.origin, undefined);
    assert.strictEqual(request.headers.host, `127.0.0.1:${api.port}`);
  });

  it('reads a run with the before and after content of its change', async () => {
    api.addRun(waitingRun('r1'));
    const run = await bridge().getRun('r1');
    assert.deepStrictEqual(run.steps?.[0].files, { 'hello.txt': 'hello\n' });
    assert.deepStrictEqual(run.steps?.[0].before, { 'hello.txt': 'hi\n' });
  });

  it('turns a wrong token into a bridge-refused error showing the detail as it is', async () => {
    const error = await failure(bridge('stale').listRuns());
    assert.strictEqual(error.kind, 'bridge-refused');
    assert.strictEqual(error.message, 'wrong token: read the discovery file again');
  });

  it('shows the bridge\'s refusal of a Host that is not its own', async () => {
    api.onlyHost = 'attacker.example:80';
    const error = await failure(bridge().listRuns());
    assert.strictEqual(error.kind, 'forbidden');
    assert.strictEqual(error.message, `the Host 127.0.0.1:${api.port} is not this bridge's`);
  });

  it('names the bridge by its loopback address, the Host the bridge accepts', async () => {
    await bridge('good-token', `http://localhost:${api.port}`).listRuns();
    assert.strictEqual(api.requests[0].headers.host, `localhost:${api.port}`);
  });

  it('the fake bridge refuses a request from a web page, as the protocol says', async () => {
    const status = await new Promise<number>((resolve) => {
      http.get(`${api.url}/v1/runs`, { headers: { Authorization: 'Bearer good-token', Origin: 'https://evil.example' } },
        (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    });
    assert.strictEqual(status, 403);
  });

  it('shows a 409 already-decided with the detail naming the first decision', async () => {
    api.addRun(waitingRun('r1'));
    api.step('r1', 1).state = 'ready';
    api.step('r1', 1).decision = { decision: 'approve', by: 'bob', via: 'terminal' };
    const error = await failure(bridge().decide('r1', 1, { decision: 'reject', via: 'editor' }));
    assert.strictEqual(error.kind, 'already-decided');
    assert.strictEqual(error.message, 'step 1 was already decided: approve by bob via terminal');
  });

  it('sends approve with edits as the decision request the server reads', async () => {
    api.addRun(waitingRun('r1'));
    const step = await bridge().decide('r1', 1, { decision: 'approve', files: { 'hello.txt': 'hello, edited\n' }, via: 'editor' });
    assert.deepStrictEqual(api.requests[0].body, { decision: 'approve', files: { 'hello.txt': 'hello, edited\n' }, via: 'editor' });
    assert.strictEqual(api.requests[0].headers['content-type'], 'application/json');
    assert.strictEqual(step.decision?.decision, 'edit');
  });

  it('says the run has ended when its bridge no longer listens', async () => {
    const client = bridge();
    await api.close();
    const error = await failure(client.listRuns());
    assert.strictEqual(error.kind, 'bridge-gone');
    assert.match(error.message, /Start `ccp run` again, or Refresh/);
    assert.match(error.message, /ECONNREFUSED/);
  });

  it('holds a long poll with Prefer: wait until an event comes', async () => {
    api.addRun(waitingRun('r1'));
    const poll = bridge().events('r1', 0, 30);
    setTimeout(() => api.emit('r1', { type: 'progress', message: 'step 1 of 1' }), 50);
    const answer = await poll;
    assert.strictEqual(api.requests[0].headers.prefer, 'wait=30');
    assert.deepStrictEqual(answer.events.map((e) => e.seq), [1]);
    assert.strictEqual(answer.next, 1);
  });

  it('asks for at most the 60 seconds the protocol grants', async () => {
    api.addRun(waitingRun('r1'));
    api.msPerWaitSecond = 0;
    await bridge().events('r1', 0, 600);
    assert.strictEqual(api.requests[0].headers.prefer, 'wait=60');
  });

  it('says so when the answer is not JSON', async () => {
    api.failures.push({ status: 200, raw: '<html>' });
    const error = await failure(bridge().listRuns());
    assert.strictEqual(error.kind, 'bad-answer');
  });

  describe('against the server', () => {
    let server: FakeRunApi;
    beforeEach(async () => { server = await FakeRunApi.start('server'); });
    afterEach(() => server.close());

    it('renews a refused token once through the token source, then succeeds', async () => {
      const asked: boolean[] = [];
      const client = new RunClient({ kind: 'server', baseUrl: server.url,
        token: async (renewed) => { asked.push(renewed); return renewed ? 'good-token' : 'expired'; } });
      assert.deepStrictEqual(await client.listRuns(), []);
      assert.deepStrictEqual(asked, [false, true]);
    });

    it('tells the person to log in when the renewed token is refused too', async () => {
      const client = new RunClient({ kind: 'server', baseUrl: `${server.url}/`, token: async () => 'revoked' });
      const error = await failure(client.listRuns());
      assert.strictEqual(error.kind, 'not-logged-in');
      assert.match(error.message, /run `ccp login` in a terminal/);
    });

    it('counts a failing server as transient', async () => {
      server.failures.push({ status: 503, problem: { detail: 'the server is starting: try again in a minute' } });
      const client = new RunClient({ kind: 'server', baseUrl: server.url, token: async () => 'good-token' });
      const error = await failure(client.listRuns());
      assert.strictEqual(error.kind, 'server-error');
      assert.ok(error.transient);
      assert.strictEqual(error.message, 'the server is starting: try again in a minute');
    });
  });
});
