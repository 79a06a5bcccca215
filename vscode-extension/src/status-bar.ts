import * as vscode from 'vscode';
import { CcpStatus, statusLine } from './core/ccp';
import { CcpError } from './core/errors';

/** The plan, license state and policy channel of this machine's `ccp`; a click refreshes. */
export function createStatusBar(): { item: vscode.StatusBarItem; show(status: CcpStatus | CcpError): void } {
  const item = vscode.window.createStatusBarItem('ccp.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'ccp';
  item.command = 'ccp.refresh';
  item.text = '$(sync~spin) ccp';
  item.show();
  return {
    item,
    show(status) {
      if (status instanceof CcpError) {
        item.text = status.kind === 'ccp-missing' ? '$(warning) ccp: not found' : '$(warning) ccp';
        item.tooltip = status.message;
        return;
      }
      const line = statusLine(status);
      item.text = line.text;
      item.tooltip = line.tooltip;
    },
  };
}
