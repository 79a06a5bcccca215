/**
 * The parts of the `vscode` module the extension uses, recording what the extension asks of the
 * editor so that tests can check it. `stub` holds the recordings and the answers; `reset()` clears them.
 */
import * as nodePath from 'path';

type Handler = (...args: unknown[]) => unknown;

export class Uri {
  private constructor(readonly scheme: string, readonly authority: string, readonly path: string,
    readonly query: string, readonly fragment: string) {}

  static file(p: string): Uri {
    return new Uri('file', '', nodePath.resolve(p), '', '');
  }

  static from(parts: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(parts.scheme, parts.authority ?? '', parts.path ?? '', parts.query ?? '', parts.fragment ?? '');
  }

  static parse(value: string): Uri {
    const url = new URL(value);
    return new Uri(url.protocol.replace(/:$/, ''), url.host, decodeURIComponent(url.pathname), url.search.replace(/^\?/, ''), '');
  }

  get fsPath(): string {
    return this.path;
  }

  toString(): string {
    return `${this.scheme}:${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class EventEmitter<T> {
  private listeners: ((value: T) => void)[] = [];
  readonly event = (listener: (value: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };

  fire(value: T): void {
    this.listeners.forEach((l) => l(value));
  }

  dispose(): void {
    this.listeners = [];
  }
}

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum StatusBarAlignment { Left = 1, Right = 2 }

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  iconPath?: ThemeIcon;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(readonly label: string, readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

export interface StubDocument {
  uri: Uri;
  isDirty: boolean;
  getText(): string;
  save(): Promise<boolean>;
}

export const stub = {
  commands: new Map<string, Handler>(),
  executed: [] as { command: string; args: unknown[] }[],
  errors: [] as string[],
  infos: [] as string[],
  warnings: [] as string[],
  /** What the next modal warning answers. */
  warningAnswer: undefined as string | undefined,
  settings: {} as Record<string, unknown>,
  treeViews: new Map<string, { treeDataProvider: unknown }>(),
  contentProviders: new Map<string, { provideTextDocumentContent(uri: Uri): string }>(),
  statusItems: [] as { text: string; tooltip?: string; command?: string }[],
  textDocuments: [] as StubDocument[],
  folders: [] as { uri: Uri; name: string; index: number }[],
  git: { added: [] as string[][], commits: [] as string[] },
  reset(): void {
    this.commands.clear();
    this.executed = [];
    this.errors = [];
    this.infos = [];
    this.warnings = [];
    this.warningAnswer = undefined;
    this.settings = {};
    this.treeViews.clear();
    this.contentProviders.clear();
    this.statusItems = [];
    this.textDocuments = [];
    this.folders = [];
    this.git = { added: [], commits: [] };
  },
};

const disposable = { dispose() { /* nothing held */ } };

export const window = {
  activeTextEditor: undefined as { document: StubDocument } | undefined,
  createTreeView(id: string, options: { treeDataProvider: unknown }) {
    stub.treeViews.set(id, options);
    return disposable;
  },
  createStatusBarItem() {
    const item = { text: '', tooltip: undefined as string | undefined, command: undefined as string | undefined,
      name: '', show() { /* shown */ }, dispose() { /* gone */ } };
    stub.statusItems.push(item);
    return item;
  },
  async showErrorMessage(message: string) {
    stub.errors.push(message);
    return undefined;
  },
  async showInformationMessage(message: string) {
    stub.infos.push(message);
    return undefined;
  },
  async showWarningMessage(message: string) {
    stub.warnings.push(message);
    return stub.warningAnswer;
  },
  onDidChangeActiveTextEditor() {
    return disposable;
  },
};

export const workspace = {
  get workspaceFolders() {
    return stub.folders;
  },
  get textDocuments() {
    return stub.textDocuments;
  },
  getConfiguration() {
    return { get: <T>(key: string, fallback: T) => (key in stub.settings ? stub.settings[key] as T : fallback) };
  },
  registerTextDocumentContentProvider(scheme: string, provider: { provideTextDocumentContent(uri: Uri): string }) {
    stub.contentProviders.set(scheme, provider);
    return disposable;
  },
};

export const commands = {
  registerCommand(id: string, handler: Handler) {
    stub.commands.set(id, handler);
    return { dispose: () => stub.commands.delete(id) };
  },
  async executeCommand(command: string, ...args: unknown[]) {
    stub.executed.push({ command, args });
    const handler = stub.commands.get(command);
    return handler ? handler(...args) : undefined;
  },
};

export const extensions = {
  getExtension(id: string) {
    if (id !== 'vscode.git') {
      return undefined;
    }
    const repository = {
      rootUri: stub.folders[0]?.uri,
      async add(paths: string[]) { stub.git.added.push(paths); },
      async commit(message: string) { stub.git.commits.push(message); },
    };
    const api = { repositories: [repository], getRepository: () => repository };
    return { isActive: true, exports: { enabled: true, getAPI: () => api }, activate: async () => ({ enabled: true, getAPI: () => api }) };
  },
};
