import * as path from 'path';
import * as vscode from 'vscode';
import { acceptedFiles, applyFiles, commitMessage } from './core/commit';
import { CcpError } from './core/errors';
import { Session } from './core/session';
import { NodeRef } from './core/tree';
import { StepDiffs } from './diff';
import { commitFiles } from './git';
import { showError } from './notify';

/** The commands of the view; each failure becomes one notification saying what to do. */
export function registerCommands(session: Session, diffs: StepDiffs, folder: vscode.Uri): vscode.Disposable[] {
  const model = session.model;
  // From a tree item the item comes as the argument; from the palette or an editor's title, the step in the active editor.
  const target = (ref?: NodeRef): NodeRef => {
    const found = ref ?? diffs.refOf(vscode.window.activeTextEditor?.document.uri);
    if (!found) {
      throw new CcpError('refused', 'Pick a step in the ccp Runs view, or open its diff, first.');
    }
    return found;
  };
  const decide = async (ref: NodeRef, decision: 'approve' | 'reject', files?: Record<string, string>) => {
    if (ref.type === 'run') {
      throw new CcpError('refused', 'Pick a step of the run, not the run.');
    }
    const step = await model.decide(ref.key, ref.n, decision, files);
    const how = decision === 'reject' ? 'Rejected' : files && Object.keys(files).length > 0 ? 'Approved with your edits:' : 'Approved';
    void vscode.window.showInformationMessage(`${how} step ${step.n}.`);
  };
  const command = (id: string, run: (ref?: NodeRef) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (ref?: NodeRef) => {
      try {
        await run(ref);
      } catch (error) {
        await showError(error);
      }
    });

  return [
    command('ccp.refresh', () => session.refresh()),
    command('ccp.openDiff', (ref) => diffs.open(target(ref))),
    command('ccp.approve', (ref) => decide(target(ref), 'approve')),
    command('ccp.reject', (ref) => decide(target(ref), 'reject')),
    command('ccp.approveWithEdits', async (ref) => {
      const step = target(ref);
      const edits = await diffs.edits(step);
      if (Object.keys(edits).length === 0) {
        void vscode.window.showInformationMessage('None of the step\'s files differ from the proposal: approving it as proposed.');
      }
      await decide(step, 'approve', edits);
    }),
    command('ccp.commit', async (ref) => {
      const entry = ref && model.entry(ref.key);
      if (!entry) {
        throw new CcpError('refused', 'Pick a run in the ccp Runs view to commit.');
      }
      const files = acceptedFiles(entry.run);
      const names = Object.keys(files);
      if (names.length === 0) {
        throw new CcpError('refused', 'This run has no approved changes to commit.');
      }
      const ok = await vscode.window.showWarningMessage(
        `Write ${names.length} file(s) of "${entry.run.title}" into ${path.basename(folder.fsPath)} and commit them?`,
        { modal: true, detail: names.join('\n') }, 'Commit');
      if (ok !== 'Commit') {
        return;
      }
      await commitFiles(folder, applyFiles(folder.fsPath, files), commitMessage(entry.run));
      void vscode.window.showInformationMessage(`Committed run ${entry.run.id}: ${entry.run.title}.`);
    }),
  ];
}
