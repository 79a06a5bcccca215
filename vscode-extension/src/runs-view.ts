import * as vscode from 'vscode';
import { RunsModel } from './core/model';
import { children, NodeRef, view } from './core/tree';

/** The runs view: the core's nodes as TreeItems. */
export class RunsTree implements vscode.TreeDataProvider<NodeRef>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NodeRef | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: RunsModel) {
    model.onChange(() => this.changed.fire(undefined));
  }

  getChildren(element?: NodeRef): NodeRef[] {
    return children(this.model, element);
  }

  getTreeItem(element: NodeRef): vscode.TreeItem {
    const node = view(this.model, element);
    if (!node) {
      return new vscode.TreeItem('(gone)');
    }
    const item = new vscode.TreeItem(node.label, {
      none: vscode.TreeItemCollapsibleState.None,
      collapsed: vscode.TreeItemCollapsibleState.Collapsed,
      expanded: vscode.TreeItemCollapsibleState.Expanded,
    }[node.collapsible]);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = node.icon ? new vscode.ThemeIcon(node.icon) : undefined;
    item.command = node.command;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
