import * as vscode from 'vscode';
import { Ccp } from './core/ccp';
import { ProposalFiles } from './core/proposals';
import { Session } from './core/session';
import { registerCommands } from './commands';
import { StepDiffs, SCHEME } from './diff';
import { showError } from './notify';
import { RunsTree } from './runs-view';
import { createStatusBar } from './status-bar';

/** Wires the core to the editor: the view, the diff documents, the commands and the status bar. */
export function activate(context: vscode.ExtensionContext): Session | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) {
    // The view's welcome content asks for a folder.
    return undefined;
  }
  const settings = () => vscode.workspace.getConfiguration('ccp');
  const ccp = new Ccp(() => settings().get<string>('path', 'ccp'), undefined, folder.fsPath);
  const session = new Session(folder.fsPath, { ccp, followServer: () => settings().get<boolean>('followServer', true) });
  const proposals = new ProposalFiles();
  const diffs = new StepDiffs(session.model, proposals);
  const tree = new RunsTree(session.model);
  const status = createStatusBar();

  session.onStatus((s) => status.show(s));
  session.onError((error) => void showError(error));
  session.model.onChange(() => {
    diffs.refreshOpen();
    void updateEditorContext(diffs, session);
  });

  const seconds = Math.max(5, settings().get<number>('refreshSeconds', 15));
  const timer = setInterval(() => void session.poll(), seconds * 1000);

  context.subscriptions.push(
    vscode.window.createTreeView('ccpRuns', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, diffs),
    vscode.window.onDidChangeActiveTextEditor(() => void updateEditorContext(diffs, session)),
    ...registerCommands(session, diffs, folder),
    tree, diffs, status.item,
    { dispose: () => clearInterval(timer) },
    { dispose: () => session.dispose() },
    { dispose: () => proposals.dispose() },
  );
  void session.refresh().catch(showError);
  return session;
}

export function deactivate(): void {
  // Everything is disposed through the context's subscriptions.
}

/** `ccp.waitingStepInEditor`: the active editor shows a waiting step, so its title bar offers Approve and Reject. */
function updateEditorContext(diffs: StepDiffs, session: Session): Thenable<unknown> {
  const ref = diffs.refOf(vscode.window.activeTextEditor?.document.uri);
  const entry = ref && session.model.entry(ref.key);
  const waiting = !!entry && !entry.gone && entry.run.steps?.some((s) => s.n === ref.n && s.state === 'waiting');
  return vscode.commands.executeCommand('setContext', 'ccp.waitingStepInEditor', waiting);
}
