import { Problem, problemSlug } from './wire';

/** What went wrong, for the code that decides what to do next (retry, stop following, ask to log in). */
export type ErrorKind =
  | 'not-logged-in'
  | 'bridge-refused'
  | 'bridge-gone'
  | 'forbidden'
  | 'not-found'
  | 'already-decided'
  | 'refused'
  | 'unreachable'
  | 'server-error'
  | 'ccp-missing'
  | 'ccp-failed'
  | 'bad-answer';

export type SourceKind = 'bridge' | 'server';

/** An expected failure, with one message for a person that says what to do. */
export class CcpError extends Error {
  constructor(readonly kind: ErrorKind, message: string, readonly status?: number) {
    super(message);
    this.name = 'CcpError';
  }

  /** Worth trying again later without anyone doing anything. */
  get transient(): boolean {
    return this.kind === 'unreachable' || this.kind === 'server-error';
  }
}

/**
 * The error for a refused request. The problem's `detail` already says what to do and is shown as
 * it is; the defaults, which say what to do in the editor, stand in when an answer carries none.
 */
export function fromProblem(status: number, body: string, source: SourceKind): CcpError {
  const problem = parseProblem(body);
  const slug = problem ? problemSlug(problem) : '';
  const kind = kindOf(status, slug, source);
  const detail = problem?.detail?.trim();
  return new CcpError(kind, detail || defaultMessage(kind, source, status), status);
}

/** The error for a request that got no answer at all. */
export function fromNetwork(error: unknown, source: SourceKind): CcpError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const why = code || (error instanceof Error ? error.message : String(error));
  if (source === 'bridge') {
    return new CcpError('bridge-gone', `${defaultMessage('bridge-gone', source)} (${why})`);
  }
  return new CcpError('unreachable', `${defaultMessage('unreachable', source)} (${why})`);
}

function kindOf(status: number, slug: string, source: SourceKind): ErrorKind {
  if (status === 401) {
    return source === 'bridge' ? 'bridge-refused' : 'not-logged-in';
  }
  if (status === 403) {
    return 'forbidden';
  }
  if (status === 404) {
    return 'not-found';
  }
  if (status === 409 && (slug === 'already-decided' || slug === 'about:blank' || slug === '')) {
    return 'already-decided';
  }
  return status >= 500 ? 'server-error' : 'refused';
}

function defaultMessage(kind: ErrorKind, source: SourceKind, status?: number): string {
  switch (kind) {
    case 'not-logged-in':
      return 'ccp is not logged in, or its session expired: run `ccp login` in a terminal, then Refresh.';
    case 'bridge-refused':
      return 'ccp refused the editor\'s token: the run\'s ccp was restarted. Refresh to find it again.';
    case 'bridge-gone':
      return 'The ccp run this editor followed has ended or was stopped. Start `ccp run` again, or Refresh.';
    case 'forbidden':
      return source === 'bridge'
        ? 'ccp refused the request as coming from outside the editor. Refresh; if it persists, restart `ccp run`.'
        : 'The server does not let this account do that: ask an owner or admin of the org.';
    case 'not-found':
      return 'That run is no longer there. Refresh to see the runs there are.';
    case 'already-decided':
      return 'This step was already decided elsewhere. Refresh to see the decision.';
    case 'unreachable':
      return 'The ccp server cannot be reached: check the network; the view retries on its own.';
    case 'server-error':
      return `The ccp server failed (${status ?? 'no status'}): it is retried on its own; if it persists, tell the server's admins.`;
    case 'ccp-missing':
      return 'The `ccp` command was not found: install ccp, or set `ccp.path` to its location.';
    default:
      return `The request was refused (${status ?? 'no status'}). Refresh and try again.`;
  }
}

function parseProblem(body: string): Problem | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as Problem) : undefined;
  } catch {
    return undefined;
  }
}

/** Any failure as a CcpError, so that callers show one kind of message. */
export function asCcpError(error: unknown): CcpError {
  if (error instanceof CcpError) {
    return error;
  }
  return new CcpError('bad-answer', error instanceof Error ? error.message : String(error));
}
