import * as http from 'http';
import * as https from 'https';
import { CcpError, fromNetwork, fromProblem, SourceKind } from './errors';
import { DecisionRequest, RunEvents, RunView, StepView } from './wire';

/** Where runs are read and decided: a bridge of a local `ccp`, or the server. */
export interface Endpoint {
  kind: SourceKind;
  /** Such as `http://127.0.0.1:38411` or `https://ccp.example.com`. */
  baseUrl: string;
  /** The bearer token; `renewed` asks for a fresh one after a 401. */
  token(renewed: boolean): Promise<string>;
}

/** The longest wait the server and the bridge grant a long poll. */
export const MAX_WAIT_SECONDS = 60;

/**
 * The run API (docs/runs.md), the same for the bridge and the server. Built on node:http rather
 * than fetch so that nothing but the headers written here is sent: the bridge refuses any `Origin`.
 */
export class RunClient {
  constructor(readonly endpoint: Endpoint, private readonly requestTimeoutMs = 15_000) {}

  listRuns(): Promise<RunView[]> {
    return this.call<RunView[]>('GET', '/v1/runs');
  }

  getRun(id: string): Promise<RunView> {
    return this.call<RunView>('GET', `/v1/runs/${encodeURIComponent(id)}`);
  }

  /** The events after `after`, held up to `waitSeconds` by the other side until there is one. */
  events(id: string, after: number, waitSeconds: number, signal?: AbortSignal): Promise<RunEvents> {
    const wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, Math.floor(waitSeconds)));
    return this.call<RunEvents>('GET', `/v1/runs/${encodeURIComponent(id)}/events?after=${after}`, {
      headers: wait > 0 ? { Prefer: `wait=${wait}` } : {},
      timeoutMs: wait * 1000 + this.requestTimeoutMs,
      signal,
    });
  }

  decide(id: string, n: number, request: DecisionRequest): Promise<StepView> {
    return this.call<StepView>('POST', `/v1/runs/${encodeURIComponent(id)}/steps/${n}/decision`, { body: request });
  }

  private async call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    let answer = await this.send(method, path, await this.endpoint.token(false), options);
    if (answer.status === 401) {
      // An access token expires; one renewal is worth a try before telling the person to log in.
      answer = await this.send(method, path, await this.endpoint.token(true), options);
    }
    if (answer.status < 200 || answer.status > 299) {
      throw fromProblem(answer.status, answer.body, this.endpoint.kind);
    }
    try {
      return JSON.parse(answer.body) as T;
    } catch {
      throw new CcpError('bad-answer', `${this.endpoint.baseUrl} answered ${method} ${path} with something other than JSON.`);
    }
  }

  private send(method: string, path: string, token: string, options: CallOptions): Promise<Answer> {
    const url = new URL(this.endpoint.baseUrl.replace(/\/+$/, '') + path);
    const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body), 'utf8');
    const headers: http.OutgoingHttpHeaders = {
      Accept: 'application/json, application/problem+json',
      Authorization: `Bearer ${token}`,
      ...options.headers,
    };
    if (body) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = body.length;
    }
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise<Answer>((resolve, reject) => {
      const request = transport.request(url, { method, headers, signal: options.signal }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(fromNetwork(error, this.endpoint.kind)));
      });
      request.setTimeout(options.timeoutMs ?? this.requestTimeoutMs, () => {
        request.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' }));
      });
      request.on('error', (error) => {
        reject(error.name === 'AbortError' ? error : fromNetwork(error, this.endpoint.kind));
      });
      request.end(body);
    });
  }
}

interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Answer {
  status: number;
  body: string;
}
