import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A discovery file of a `ccp` that serves the editor bridge (docs/ide-protocol.md). */
export interface Bridge {
  version: number;
  ccp?: string;
  pid: number;
  port: number;
  token: string;
  workspace: string;
  started_at?: string;
  /** The discovery file it was read from. */
  file: string;
}

/** The only protocol version this client follows. */
export const PROTOCOL_VERSION = 1;

export interface DiscoveryOptions {
  env?: NodeJS.ProcessEnv;
  tmpdir?: string;
  user?: string;
  platform?: NodeJS.Platform;
  /** This process's user id; files of another user are not trusted. */
  uid?: number;
  alive?: (pid: number) => boolean;
}

export interface Scan {
  bridges: Bridge[];
  /** Files passed over, and why: for a log, not for a notification. */
  skipped: { file: string; why: string }[];
}

/** `$XDG_RUNTIME_DIR/ccp/ide`, else `ccp-USER/ide` in the temporary folder. */
export function discoveryDir(options: DiscoveryOptions = {}): string {
  const env = options.env ?? process.env;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && runtime.trim() !== '') {
    return path.join(runtime, 'ccp', 'ide');
  }
  const user = options.user ?? os.userInfo().username;
  return path.join(options.tmpdir ?? os.tmpdir(), `ccp-${user}`, 'ide');
}

/** Whether a process runs: signal 0 checks without sending anything; EPERM means it runs as another user. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every live bridge of this user. Files of dead processes are deleted, as the protocol allows. */
export function scan(options: DiscoveryOptions = {}): Scan {
  const dir = discoveryDir(options);
  const result: Scan = { bridges: [], skipped: [] };
  const why = privacyProblem(dir, options);
  if (why) {
    if (why !== 'missing') {
      result.skipped.push({ file: dir, why });
    }
    return result;
  }
  const alive = options.alive ?? processAlive;
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const problem = privacyProblem(file, options);
    if (problem) {
      result.skipped.push({ file, why: problem });
      continue;
    }
    const bridge = read(file);
    if (typeof bridge === 'string') {
      result.skipped.push({ file, why: bridge });
    } else if (!alive(bridge.pid)) {
      fs.rmSync(file, { force: true });
      result.skipped.push({ file, why: `process ${bridge.pid} has ended; the file was removed` });
    } else {
      result.bridges.push(bridge);
    }
  }
  return result;
}

/**
 * The bridge for an open folder: the one whose workspace is the folder or holds it, the innermost
 * when several do, the newest of those.
 */
export function findBridge(folder: string, options: DiscoveryOptions = {}): Bridge | undefined {
  const target = canonical(folder);
  const matching = scan(options).bridges
    .map((bridge) => ({ bridge, root: canonical(bridge.workspace) }))
    .filter(({ root }) => contains(root, target, options.platform ?? process.platform));
  matching.sort((a, b) => b.root.length - a.root.length
    || (b.bridge.started_at ?? '').localeCompare(a.bridge.started_at ?? ''));
  return matching[0]?.bridge;
}

export function contains(root: string, folder: string, platform: NodeJS.Platform = process.platform): boolean {
  const fold = (p: string) => (platform === 'win32' ? p.toLowerCase() : p);
  const relative = path.relative(fold(root), fold(folder));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path where there is one, so that a symlinked folder matches its target. */
function canonical(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Why a folder or file is not to be trusted: in a shared temporary folder another user could plant
 * one that sends decisions elsewhere, so both must be this user's and closed to others.
 */
function privacyProblem(file: string, options: DiscoveryOptions): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return 'missing';
  }
  if ((options.platform ?? process.platform) === 'win32') {
    return undefined;
  }
  const uid = options.uid ?? process.getuid?.();
  if (stat.isSymbolicLink()) {
    return 'a symbolic link';
  }
  if (uid !== undefined && stat.uid !== uid) {
    return `owned by user ${stat.uid}, not by this user`;
  }
  if ((stat.mode & 0o077) !== 0) {
    return `open to other users (mode ${(stat.mode & 0o777).toString(8)})`;
  }
  return undefined;
}

function read(file: string): Bridge | string {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    return `not readable as JSON: ${(error as Error).message}`;
  }
  if (value.version !== PROTOCOL_VERSION) {
    return `protocol version ${String(value.version)}, this extension follows ${PROTOCOL_VERSION}: update the extension`;
  }
  const { pid, port, token, workspace } = value;
  // A pid of 0 or below would make the liveness check signal a whole process group.
  if (!Number.isInteger(pid) || (pid as number) <= 0 || !Number.isInteger(port) || typeof token !== 'string'
    || typeof workspace !== 'string') {
    return 'lacks a valid pid, port, token or workspace';
  }
  return {
    version: PROTOCOL_VERSION,
    ccp: typeof value.ccp === 'string' ? value.ccp : undefined,
    pid: pid as number,
    port: port as number,
    token,
    workspace,
    started_at: typeof value.started_at === 'string' ? value.started_at : undefined,
    file,
  };
}
