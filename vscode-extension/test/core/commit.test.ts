import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { acceptedFiles, applyFiles, commitMessage } from '../../src/core/commit';
import { editedFiles } from '../../src/core/decisions';
import { RunView, StepView } from '../../src/core/wire';

const change = (n: number, state: string, files: Record<string, string>, decision?: StepView['decision']): StepView =>
  ({ n, kind: 'change', state, files, decision });

describe('commit', () => {
  it('writes the message as ccp does: the title, a blank line, the Ccp-Run trailer', () => {
    assert.strictEqual(commitMessage({ id: 'run_7Qx', title: 'Add a greeting ' }), 'Add a greeting\n\nCcp-Run: run_7Qx');
  });

  it('takes the accepted changes in step order, with the content a person approved in place of the proposal', () => {
    const run: RunView = { id: 'r', title: 't', state: 'succeeded', seq: 9, steps: [
      change(1, 'done', { 'a.txt': 'a1', 'b.txt': 'b1' }),
      change(2, 'rejected', { 'a.txt': 'rejected' }, { decision: 'reject' }),
      change(3, 'ready', { 'a.txt': 'a3', 'c.txt': 'c3' }, { decision: 'edit', files: { 'c.txt': 'c edited' } }),
      change(4, 'denied', { 'd.txt': 'denied' }),
      change(5, 'waiting', { 'e.txt': 'waits' }),
      { n: 6, kind: 'command', state: 'done', argv: ['make'] },
    ] };
    assert.deepStrictEqual(acceptedFiles(run), { 'a.txt': 'a3', 'b.txt': 'b1', 'c.txt': 'c edited' });
  });

  it('writes files under the workspace and refuses, before writing any, one that would land outside', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-'));
    try {
      assert.deepStrictEqual(applyFiles(root, { 'src/a.txt': 'a' }), [path.join(root, 'src', 'a.txt')]);
      assert.strictEqual(fs.readFileSync(path.join(root, 'src', 'a.txt'), 'utf8'), 'a');
      assert.throws(() => applyFiles(root, { 'b.txt': 'b', '../escape.txt': 'x' }), /outside the workspace/);
      assert.throws(() => applyFiles(root, { '/etc/passwd': 'x' }), /outside the workspace/);
      assert.strictEqual(fs.existsSync(path.join(root, 'b.txt')), false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('editedFiles', () => {
  it('sends only the files whose text differs from the proposal, and none that were never opened', () => {
    const step = change(1, 'waiting', { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
    const texts: Record<string, string> = { 'a.txt': 'a edited', 'b.txt': 'b' };
    assert.deepStrictEqual(editedFiles(step, (p) => texts[p]), { 'a.txt': 'a edited' });
  });
});
