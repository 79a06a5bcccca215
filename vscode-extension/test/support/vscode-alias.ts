/**
 * Loaded by mocha before any test (`.mocharc.json`): makes `require('vscode')` load the stub, since
 * the real module exists only inside VS Code.
 */
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? path.join(__dirname, 'vscode-stub.js') : resolve.call(this, request, ...rest);
};
