import { RunClient } from './client';
import { asCcpError, CcpError } from './errors';
import { FINAL_RUN_STATES, RunView } from './wire';

/** Waits; resolves early, without failing, when the signal aborts. Passed in so that tests need no clock. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => new Promise((resolve) => {
  if (signal.aborted) {
    resolve();
    return;
  }
  const timer = setTimeout(done, ms);
  signal.addEventListener('abort', done, { once: true });
  function done() {
    clearTimeout(timer);
    signal.removeEventListener('abort', done);
    resolve();
  }
});

export interface FollowListener {
  /** The run as it is after new events. */
  run(run: RunView): void;
  /** A failed poll; followed by a retry when the error is transient, else by `stopped`. */
  failed(error: CcpError): void;
  /** Following ended: the run reached a final state, `stop()` was called, or an error that no retry mends. */
  stopped(why: 'final' | 'stopped' | CcpError): void;
}

export interface FollowOptions {
  waitSeconds?: number;
  sleep?: Sleep;
  /** First pause after a failure; it doubles with each failure in a row up to `maxBackoffMs`. */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
  /** Pause after an answer without events, in case the other side does not hold requests. */
  idlePauseMs?: number;
}

/** Follows one run's events with long polls until it ends, re-reading the run when something happened. */
export class RunFollower {
  private readonly abort = new AbortController();
  private readonly options: Required<FollowOptions>;
  private running?: Promise<void>;

  constructor(private readonly client: RunClient, readonly runId: string, private readonly listener: FollowListener,
    options: FollowOptions = {}) {
    this.options = {
      waitSeconds: 30,
      sleep: realSleep,
      firstBackoffMs: 1000,
      maxBackoffMs: 30_000,
      idlePauseMs: 1000,
      ...options,
    };
  }

  /** Starts after event `after` (a run's `seq`); the promise settles when following ends. */
  start(after: number): Promise<void> {
    this.running ??= this.loop(after);
    return this.running;
  }

  stop(): void {
    this.abort.abort();
  }

  get active(): boolean {
    return this.running !== undefined && !this.abort.signal.aborted;
  }

  /** The pause after `failures` failures in a row. */
  backoff(failures: number): number {
    return Math.min(this.options.maxBackoffMs, this.options.firstBackoffMs * 2 ** Math.max(0, failures - 1));
  }

  private async loop(after: number): Promise<void> {
    const { signal } = this.abort;
    let failures = 0;
    while (!signal.aborted) {
      try {
        const answer = await this.client.events(this.runId, after, this.options.waitSeconds, signal);
        failures = 0;
        if (answer.events.length > 0 || answer.next > after) {
          after = answer.next;
          this.listener.run(await this.client.getRun(this.runId));
        } else {
          await this.options.sleep(this.options.idlePauseMs, signal);
        }
        if (FINAL_RUN_STATES.has(answer.state)) {
          this.abort.abort();
          this.listener.stopped('final');
          return;
        }
      } catch (error) {
        if (signal.aborted) {
          break;
        }
        const failure = asCcpError(error);
        this.listener.failed(failure);
        if (!failure.transient) {
          this.abort.abort();
          this.listener.stopped(failure);
          return;
        }
        failures++;
        await this.options.sleep(this.backoff(failures), signal);
      }
    }
    this.listener.stopped('stopped');
  }
}
