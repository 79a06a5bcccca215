/**
 * A `ccp` executable for tests: a Node script that answers each command line from a JSON file
 * next to it and appends every command line it was given to `calls.log`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Answer {
  code?: number;
  stdout?: string;
  stderr?: string;
}

export class FakeCcp {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-ccp-'));
  readonly path = path.join(this.dir, 'ccp');

  constructor(answers: Record<string, Answer> = {}) {
    fs.writeFileSync(this.path, `#!${process.execPath}
const fs = require('fs'), path = require('path');
const line = process.argv.slice(2).join(' ');
fs.appendFileSync(path.join(__dirname, 'calls.log'), line + '\\n');
const answers = JSON.parse(fs.readFileSync(path.join(__dirname, 'answers.json'), 'utf8'));
const answer = answers[line] || { code: 2, stderr: 'ccp: unknown command ' + line };
process.stdout.write(answer.stdout || '');
process.stderr.write(answer.stderr || '');
process.exitCode = answer.code || 0;
`, { mode: 0o755 });
    this.answer(answers);
  }

  answer(answers: Record<string, Answer>): void {
    fs.writeFileSync(path.join(this.dir, 'answers.json'), JSON.stringify(answers));
  }

  calls(): string[] {
    const log = path.join(this.dir, 'calls.log');
    return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** What `ccp status --json` and `ccp policy status --json` print for a logged-in machine. */
export function loggedIn(server: string): Record<string, Answer> {
  return {
    'status --json --offline': { stdout: JSON.stringify({
      login: 'ada@example.com', server, org: 'acme', plan: 'team', entitlements: {}, seat: 's1',
      expires_at: '2027-01-01T00:00:00Z', grace_until: null, state: 'valid', detail: 'valid until 2027-01-01', server_state: null,
    }) },
    'policy status --json --offline': { stdout: JSON.stringify({ channel: 'prod', version: 7, source: 'cache', state: 'VALID' }) },
    token: { stdout: 'good-token\n' },
  };
}
