import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { workspacePath } from './commit';

/**
 * Copies of proposed content, one file per step and path, that the diff editor shows on its right
 * side. Real files rather than untitled documents: they can be edited and saved without VS Code
 * asking where to save them when they are closed, and they get their language from their name.
 * The folder is this user's alone and removed with the extension.
 */
export class ProposalFiles {
  private dir?: string;

  constructor(private readonly tmpdir: string = os.tmpdir()) {}

  /** The copy of a step's file, written with the proposed content the first time it is asked for; later edits are kept. */
  open(runId: string, n: number, file: string, proposed: string): string {
    const target = this.path(runId, n, file);
    if (!fs.existsSync(target)) {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      fs.writeFileSync(target, proposed, { encoding: 'utf8', mode: 0o600 });
    }
    return target;
  }

  /** Where a step's file is copied, whether or not it was opened. */
  path(runId: string, n: number, file: string): string {
    this.dir ??= fs.mkdtempSync(path.join(this.tmpdir, 'ccp-runs-'));
    return workspacePath(path.join(this.dir, safe(runId), String(n)), file);
  }

  /** The saved text of a step's file, if it was opened. */
  saved(runId: string, n: number, file: string): string | undefined {
    try {
      return fs.readFileSync(this.path(runId, n, file), 'utf8');
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    if (this.dir) {
      fs.rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
    }
  }
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
