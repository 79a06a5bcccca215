import * as path from 'path';
import { Ccp } from './ccp';
import { RunClient } from './client';
import { Bridge, contains } from './discovery';
import { CcpError } from './errors';
import { RunView } from './wire';

/** Where runs come from: the bridge of a local `ccp`, or the server `ccp` is logged in to. */
export interface Source {
  /** Stable while the source is the same: the bridge's pid and port, or the server's URL. */
  key: string;
  kind: 'bridge' | 'server';
  label: string;
  client: RunClient;
}

export function bridgeSource(bridge: Bridge): Source {
  return {
    key: `bridge:${bridge.pid}:${bridge.port}`,
    kind: 'bridge',
    label: `ccp (pid ${bridge.pid})`,
    client: new RunClient({ kind: 'bridge', baseUrl: `http://127.0.0.1:${bridge.port}`, token: async () => bridge.token }),
  };
}

/** The server, with tokens from `ccp token`, kept until one is refused. */
export function serverSource(serverUrl: string, ccp: Pick<Ccp, 'token'>): Source {
  let token: Promise<string> | undefined;
  const baseUrl = serverUrl.replace(/\/+$/, '');
  return {
    key: `server:${baseUrl}`,
    kind: 'server',
    label: new URL(baseUrl).host,
    client: new RunClient({
      kind: 'server',
      baseUrl,
      token: (renewed) => {
        if (renewed || !token) {
          token = ccp.token();
          // A failed attempt is not kept: the next call asks `ccp` again.
          token.catch(() => { token = undefined; });
        }
        return token;
      },
    }),
  };
}

/** Whether a run of the server belongs to the open folder: the same repository root, or one of the same name. */
export function inWorkspace(run: RunView, folder: string): boolean {
  const workspace = run.workspace;
  if (!workspace) {
    return false;
  }
  if (workspace.root && (contains(workspace.root, folder) || contains(folder, workspace.root))) {
    return true;
  }
  return workspace.name === path.basename(folder);
}

/** Checks a server URL before anything is sent to it. */
export function checkServerUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
      return url;
    }
  } catch {
    // Reported below.
  }
  throw new CcpError('ccp-failed', `ccp names the server "${url}", which is not an http(s) URL: check \`ccp status\`.`);
}
