import { execFile } from 'child_process';
import { CcpError } from './errors';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; rejects only when it cannot be started. */
export type Exec = (file: string, args: string[], cwd?: string) => Promise<ExecResult>;

export const realExec: Exec = (file, args, cwd) => new Promise((resolve, reject) => {
  // ccp may build itself or start a JVM on first use: give it time, not forever.
  execFile(file, args, { cwd, timeout: 120_000, maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (typeof code === 'string') {
      reject(error);
      return;
    }
    resolve({ code: typeof code === 'number' ? code : error ? 1 : 0, stdout: String(stdout), stderr: String(stderr) });
  });
});

/** `ccp`'s exit code for "not logged in" (cli ExitCodes.NOT_LOGGED_IN). */
export const EXIT_NOT_LOGGED_IN = 3;

/** What `ccp status --json` and `ccp policy status --json` print, the parts the editor shows. */
export interface CcpStatus {
  loggedIn: boolean;
  login?: string;
  org?: string;
  server?: string;
  plan?: string;
  /** The license's state: `valid`, `grace`, `expired`, … */
  license?: string;
  detail?: string;
  channel?: string;
  policyVersion?: number;
  policyState?: string;
}

/** The `ccp` command, found on PATH or at the configured path. */
export class Ccp {
  constructor(private readonly path: () => string, private readonly exec: Exec = realExec, private readonly cwd?: string) {}

  /** The license and policy as this machine holds them, checked offline so that it is quick and works without the network. */
  async status(): Promise<CcpStatus> {
    const [license, policy] = await Promise.all([
      this.run(['status', '--json', '--offline']),
      this.run(['policy', 'status', '--json', '--offline']).catch(() => undefined),
    ]);
    if (license.code === EXIT_NOT_LOGGED_IN) {
      return { loggedIn: false };
    }
    // An invalid license is still printed, with a non-zero exit code.
    const json = parseObject(license.stdout);
    if (!json) {
      throw this.failed(['status', '--json'], license);
    }
    const policyJson = policy ? parseObject(policy.stdout) : undefined;
    return {
      loggedIn: true,
      login: text(json.login),
      org: text(json.org),
      server: text(json.server),
      plan: text(json.plan),
      license: text(json.state),
      detail: text(json.detail),
      channel: text(policyJson?.channel),
      policyVersion: typeof policyJson?.version === 'number' ? policyJson.version : undefined,
      policyState: text(policyJson?.state),
    };
  }

  /** A valid access token, renewed by `ccp` when needed. */
  async token(): Promise<string> {
    const result = await this.run(['token']);
    const token = result.stdout.trim();
    if (result.code === EXIT_NOT_LOGGED_IN) {
      throw new CcpError('not-logged-in', lastLine(result.stderr)
        ?? 'ccp is not logged in: run `ccp login` in a terminal, then Refresh.');
    }
    if (result.code !== 0 || token === '' || /\s/.test(token)) {
      throw this.failed(['token'], result);
    }
    return token;
  }

  private async run(args: string[]): Promise<ExecResult> {
    const file = this.path().trim() || 'ccp';
    try {
      return await this.exec(file, args, this.cwd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CcpError('ccp-missing', `The \`ccp\` command was not found (${file}): install ccp, or set \`ccp.path\` to its location.`);
      }
      throw new CcpError('ccp-failed', `\`${file} ${args.join(' ')}\` could not be started: ${(error as Error).message}`);
    }
  }

  private failed(args: string[], result: ExecResult): CcpError {
    return new CcpError('ccp-failed', lastLine(result.stderr)
      ?? `\`ccp ${args.join(' ')}\` ended with exit code ${result.code}: run it in a terminal to see why.`);
  }
}

/** The status bar's text and tooltip. */
export function statusLine(status: CcpStatus): { text: string; tooltip: string } {
  if (!status.loggedIn) {
    return { text: '$(account) ccp: not logged in', tooltip: 'Run `ccp login` in a terminal to follow runs on the server.' };
  }
  const icon = status.license === 'valid' ? '$(verified)' : status.license === 'grace' ? '$(warning)' : '$(error)';
  const parts = [status.plan ?? 'no plan', status.license ?? 'unknown', `policy ${status.channel ?? '?'}`];
  const tooltip = [
    `${status.login ?? '?'} in org ${status.org ?? '?'} on ${status.server ?? '?'}`,
    `License: ${status.license ?? 'unknown'}${status.detail ? ` (${status.detail})` : ''}`,
    `Policy: ${status.channel ?? '?'}${status.policyVersion !== undefined ? ` version ${status.policyVersion}` : ''}`
      + (status.policyState ? `, ${status.policyState.toLowerCase()}` : ''),
  ].join('\n');
  return { text: `${icon} ccp: ${parts.join(' · ')}`, tooltip };
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function lastLine(text: string): string | undefined {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1];
}
