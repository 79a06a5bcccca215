import * as assert from 'assert';
import * as path from 'path';
import { Ccp, statusLine } from '../../src/core/ccp';
import { CcpError } from '../../src/core/errors';
import { FakeCcp, loggedIn } from '../support/fake-ccp';

describe('Ccp', () => {
  let fake: FakeCcp;
  beforeEach(() => { fake = new FakeCcp(loggedIn('https://ccp.example.com')); });
  afterEach(() => fake.dispose());

  const ccp = (file = fake.path) => new Ccp(() => file);

  async function failure(promise: Promise<unknown>): Promise<CcpError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof CcpError);
      return error;
    }
    throw new assert.AssertionError({ message: 'it succeeded' });
  }

  it('reads plan, license state, server and policy channel from ccp, offline', async () => {
    const status = await ccp().status();
    assert.deepStrictEqual(status, {
      loggedIn: true, login: 'ada@example.com', org: 'acme', server: 'https://ccp.example.com', plan: 'team',
      license: 'valid', detail: 'valid until 2027-01-01', channel: 'prod', policyVersion: 7, policyState: 'VALID',
    });
    assert.deepStrictEqual(fake.calls().sort(), ['policy status --json --offline', 'status --json --offline']);
  });

  it('shows plan, license state and policy channel in the status bar', async () => {
    const line = statusLine(await ccp().status());
    assert.strictEqual(line.text, '$(verified) ccp: team · valid · policy prod');
    assert.match(line.tooltip, /ada@example.com in org acme on https:\/\/ccp.example.com/);
    assert.match(line.tooltip, /Policy: prod version 7, valid/);
  });

  it('still reads the status of an invalid license, which ccp prints with a failing exit code', async () => {
    const answers = loggedIn('https://ccp.example.com');
    const printed = JSON.parse(answers['status --json --offline'].stdout!);
    answers['status --json --offline'] = { code: 4, stdout: JSON.stringify({ ...printed, state: 'expired' }), stderr: 'ccp: license expired' };
    fake.answer(answers);
    const status = await ccp().status();
    assert.strictEqual(status.license, 'expired');
    assert.match(statusLine(status).text, /^\$\(error\) ccp: team · expired/);
  });

  it('knows when ccp is not logged in', async () => {
    fake.answer({ 'status --json --offline': { code: 3, stderr: 'ccp: not logged in — run `ccp login`' } });
    const status = await ccp().status();
    assert.deepStrictEqual(status, { loggedIn: false });
    assert.strictEqual(statusLine(status).text, '$(account) ccp: not logged in');
  });

  it('passes on what ccp says when it fails otherwise', async () => {
    fake.answer({ 'status --json --offline': { code: 10, stderr: 'ccp: credentials.json is damaged: log in again' } });
    const error = await failure(ccp().status());
    assert.strictEqual(error.kind, 'ccp-failed');
    assert.strictEqual(error.message, 'ccp: credentials.json is damaged: log in again');
  });

  it('gets a token from ccp token, without its line end', async () => {
    assert.strictEqual(await ccp().token(), 'good-token');
  });

  it('asks the person to log in when ccp token finds no session', async () => {
    fake.answer({ token: { code: 3, stderr: 'ccp: not logged in — run `ccp login`\n' } });
    const error = await failure(ccp().token());
    assert.strictEqual(error.kind, 'not-logged-in');
    assert.strictEqual(error.message, 'ccp: not logged in — run `ccp login`');
  });

  it('says how to point the extension at ccp when it is not found', async () => {
    const error = await failure(ccp(path.join(fake.dir, 'nowhere', 'ccp')).status());
    assert.strictEqual(error.kind, 'ccp-missing');
    assert.match(error.message, /set `ccp.path`/);
  });
});
