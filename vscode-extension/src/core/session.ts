import { Ccp, CcpStatus } from './ccp';
import { Bridge, findBridge } from './discovery';
import { asCcpError, CcpError } from './errors';
import { FollowOptions } from './follow';
import { RunsModel } from './model';
import { bridgeSource, checkServerUrl, serverSource, Source } from './sources';

export interface SessionOptions {
  ccp: Ccp;
  findBridge?: (folder: string) => Bridge | undefined;
  /** Whether to follow the server's runs of this workspace too (when `ccp` is logged in). */
  followServer?: () => boolean;
  follow?: FollowOptions;
}

/**
 * Everything the extension does for one open folder, without the editor: the status of `ccp`,
 * the sources of runs, and the model of those runs.
 */
export class Session {
  readonly model: RunsModel;
  private status?: Promise<CcpStatus>;
  private server?: Source;
  private lastStatusError?: string;
  private refreshing?: Promise<void>;
  private disposed = false;
  private readonly statusListeners: ((status: CcpStatus | CcpError) => void)[] = [];
  private readonly errorListeners: ((error: CcpError) => void)[] = [];

  constructor(readonly folder: string, private readonly options: SessionOptions) {
    this.model = new RunsModel({ folder, sources: () => this.sources(), follow: options.follow });
    this.model.onError((error) => this.tell(this.errorListeners, error));
  }

  onStatus(listener: (status: CcpStatus | CcpError) => void): void {
    this.statusListeners.push(listener);
  }

  /** Errors worth a notification, each told once until things work again. */
  onError(listener: (error: CcpError) => void): void {
    this.errorListeners.push(listener);
  }

  /** Asks `ccp` for its status again, then finds the sources and reads their runs; one refresh at a time. */
  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  /** Reads the runs again without asking `ccp` for its status: for a timer. */
  poll(): Promise<void> {
    return this.status ? this.model.refresh() : this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.model.dispose();
  }

  private async doRefresh(): Promise<void> {
    const status = this.options.ccp.status();
    this.status = status;
    try {
      const value = await status;
      this.lastStatusError = undefined;
      this.tell(this.statusListeners, value);
    } catch (error) {
      const failure = asCcpError(error);
      this.tell(this.statusListeners, failure);
      if (failure.message !== this.lastStatusError) {
        this.lastStatusError = failure.message;
        this.tell(this.errorListeners, failure);
      }
    }
    if (!this.disposed) {
      await this.model.refresh();
    }
  }

  /** Listeners hear nothing once the session is disposed: late answers of `ccp` are dropped. */
  private tell<T>(listeners: ((value: T) => void)[], value: T): void {
    if (!this.disposed) {
      listeners.forEach((l) => l(value));
    }
  }

  private async sources(): Promise<Source[]> {
    const sources: Source[] = [];
    const bridge = (this.options.findBridge ?? findBridge)(this.folder);
    if (bridge) {
      sources.push(bridgeSource(bridge));
    }
    if (this.options.followServer?.() ?? true) {
      const status = await this.status?.catch(() => undefined);
      if (status?.loggedIn && status.server) {
        const url = checkServerUrl(status.server);
        if (this.server?.key !== serverSource(url, this.options.ccp).key) {
          this.server = serverSource(url, this.options.ccp);
        }
        sources.push(this.server);
      }
    }
    return sources;
  }
}
