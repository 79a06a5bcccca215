import * as vscode from 'vscode';
import { editedFiles } from './core/decisions';
import { CcpError } from './core/errors';
import { RunsModel } from './core/model';
import { ProposalFiles } from './core/proposals';
import { fileNames, NodeRef, stepOf } from './core/tree';
import { StepView } from './core/wire';

export const SCHEME = 'ccp-run';

type FileRef = Extract<NodeRef, { type: 'file' }>;

/**
 * A step's diff: the left side the file as it is (`before`), a read-only `ccp-run:` document; the
 * right side, while the step waits, an editable copy of the proposed content, so that "Approve with
 * my edits" sends what the person left there. Once decided, the right side is what was approved.
 */
export class StepDiffs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Which step file each editable copy belongs to, to find the step from the active editor. */
  private readonly copies = new Map<string, FileRef>();

  constructor(private readonly model: RunsModel, private readonly proposals: ProposalFiles) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ref = parse(uri);
    const step = ref && this.step(ref);
    if (!ref || !step) {
      return '';
    }
    const side = new URLSearchParams(uri.query).get('side');
    if (side === 'after') {
      const edited = step.decision?.decision === 'edit' ? step.decision.files?.[ref.path] : undefined;
      return edited ?? step.files?.[ref.path] ?? '';
    }
    return step.before?.[ref.path] ?? '';
  }

  /** Opens the diff of one file of a step (the first file when given a step), keeping the focus where it is. */
  async open(ref: NodeRef): Promise<void> {
    const file = this.fileRef(ref);
    const entry = this.model.entry(file.key);
    const step = this.step(file);
    if (!entry || !step) {
      throw gone();
    }
    const left = uri(file, 'before');
    const right = step.state === 'waiting' && !entry.gone
      ? vscode.Uri.file(this.copy(entry.run.id, file, step.files?.[file.path] ?? ''))
      : uri(file, 'after');
    const title = `${file.path} (step ${file.n} of ${entry.run.title})`;
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preserveFocus: true, preview: true });
  }

  /** The step's files as edited in their copies; dirty copies are saved first, so closing them asks nothing. */
  async edits(ref: NodeRef): Promise<Record<string, string>> {
    const entry = this.model.entry(ref.key);
    const step = this.step(ref);
    if (!entry || !step) {
      throw gone();
    }
    const texts = new Map<string, string>();
    for (const path of fileNames(step)) {
      const copy = this.proposals.path(entry.run.id, step.n, path);
      const document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === copy);
      if (document?.isDirty) {
        await document.save();
      }
      const text = document?.getText() ?? this.proposals.saved(entry.run.id, step.n, path);
      if (text !== undefined) {
        texts.set(path, text);
      }
    }
    return editedFiles(step, (path) => texts.get(path));
  }

  /** The step shown in an editor: one of its `ccp-run:` documents or editable copies. */
  refOf(document: vscode.Uri | undefined): FileRef | undefined {
    if (!document) {
      return undefined;
    }
    return document.scheme === SCHEME ? parse(document) : this.copies.get(document.fsPath);
  }

  /** Tells open `ccp-run:` documents that their run changed. */
  refreshOpen(): void {
    vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SCHEME).forEach((d) => this.changed.fire(d.uri));
  }

  dispose(): void {
    this.changed.dispose();
  }

  private copy(runId: string, file: FileRef, proposed: string): string {
    const path = this.proposals.open(runId, file.n, file.path, proposed);
    this.copies.set(vscode.Uri.file(path).fsPath, file);
    return path;
  }

  private fileRef(ref: NodeRef): FileRef {
    if (ref.type === 'file') {
      return ref;
    }
    const step = this.step(ref);
    const first = step && fileNames(step)[0];
    if (ref.type !== 'step' || !first) {
      throw new CcpError('refused', 'Only a change has a diff: pick a step that changes files.');
    }
    return { type: 'file', key: ref.key, n: ref.n, path: first };
  }

  private step(ref: NodeRef): StepView | undefined {
    const entry = this.model.entry(ref.key);
    return entry && stepOf(entry, ref);
  }
}

function gone(): CcpError {
  return new CcpError('not-found', 'That step is no longer shown: Refresh to see the runs there are.');
}

function uri(ref: FileRef, side: 'before' | 'after'): vscode.Uri {
  const query = new URLSearchParams({ key: ref.key, n: String(ref.n), side }).toString();
  return vscode.Uri.from({ scheme: SCHEME, path: `/${ref.path}`, query });
}

function parse(uri: vscode.Uri): FileRef | undefined {
  const query = new URLSearchParams(uri.query);
  const key = query.get('key');
  const n = Number(query.get('n'));
  return key && Number.isInteger(n) ? { type: 'file', key, n, path: uri.path.replace(/^\//, '') } : undefined;
}
