import * as vscode from 'vscode';
import { CcpError } from './core/errors';

/** The part of the built-in git extension's API (`vscode.git`, API version 1) used here. */
interface GitApi {
  repositories: Repository[];
  getRepository(uri: vscode.Uri): Repository | null;
}

interface Repository {
  rootUri: vscode.Uri;
  add(paths: string[]): Promise<void>;
  commit(message: string): Promise<void>;
}

interface GitExtension {
  enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** Stages the files and commits them in the folder's repository. */
export async function commitFiles(folder: vscode.Uri, paths: string[], message: string): Promise<void> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) {
    throw new CcpError('refused', 'The built-in Git extension is not there: enable "Git" (vscode.git) to commit from the editor.');
  }
  const git = extension.isActive ? extension.exports : await extension.activate();
  if (!git.enabled) {
    throw new CcpError('refused', 'Git is turned off in VS Code (git.enabled): turn it on to commit from the editor.');
  }
  const repository = git.getAPI(1).getRepository(folder);
  if (!repository) {
    throw new CcpError('refused', `${folder.fsPath} is not in a git repository VS Code knows: open the repository's folder, then try again.`);
  }
  await repository.add(paths);
  await repository.commit(message);
}
