import * as vscode from 'vscode';
import { asCcpError } from './core/errors';

/** One error notification per failure, with the action that mends it where the editor can take it. */
export async function showError(error: unknown): Promise<void> {
  const failure = asCcpError(error);
  const action = failure.kind === 'ccp-missing' ? 'Open Settings' : failure.kind === 'bad-answer' ? undefined : 'Refresh';
  const chosen = action
    ? await vscode.window.showErrorMessage(failure.message, action)
    : await vscode.window.showErrorMessage(failure.message);
  if (chosen === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'ccp.path');
  } else if (chosen === 'Refresh') {
    await vscode.commands.executeCommand('ccp.refresh');
  }
}
