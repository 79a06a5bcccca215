import * as fs from 'fs';
import * as path from 'path';
import { RunView } from './wire';

/** The message a run's changes are committed with, as `ccp` writes it: the title, then the trailer. */
export function commitMessage(run: Pick<RunView, 'id' | 'title'>): string {
  return `${run.title.trim()}\n\nCcp-Run: ${run.id}`;
}

/**
 * The content the run's accepted changes give each file, in step order: approved steps' files,
 * with the content a person approved in place of the proposed one where they edited it.
 */
export function acceptedFiles(run: RunView): Record<string, string> {
  const files: Record<string, string> = {};
  for (const step of run.steps ?? []) {
    const accepted = step.kind === 'change' && (step.state === 'ready' || step.state === 'done')
      && step.decision?.decision !== 'reject';
    if (accepted) {
      Object.assign(files, step.files ?? {}, step.decision?.decision === 'edit' ? step.decision.files ?? {} : {});
    }
  }
  return files;
}

/** A run's path under the workspace root; refuses one that would land outside it. */
export function workspacePath(root: string, relative: string): string {
  const target = path.resolve(root, relative);
  const inside = path.relative(path.resolve(root), target);
  if (path.isAbsolute(relative) || inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new Error(`the run names "${relative}", which lies outside the workspace: nothing was written`);
  }
  return target;
}

/** Writes the files under the root, all checked before any is written; returns their full paths. */
export function applyFiles(root: string, files: Record<string, string>): string[] {
  const targets = Object.entries(files).map(([relative, content]) => ({ target: workspacePath(root, relative), content }));
  for (const { target, content } of targets) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content, 'utf8');
  }
  return targets.map((t) => t.target);
}
