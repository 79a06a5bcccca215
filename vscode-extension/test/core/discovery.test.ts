import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoveryDir, findBridge, processAlive, scan } from '../../src/core/discovery';

describe('discovery', () => {
  let runtime: string;
  let dir: string;
  let folders: string;
  const env = () => ({ XDG_RUNTIME_DIR: runtime });

  beforeEach(() => {
    runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-'));
    dir = path.join(runtime, 'ccp', 'ide');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(path.join(runtime, 'ccp'), 0o700);
    fs.chmodSync(dir, 0o700);
    folders = fs.mkdtempSync(path.join(os.tmpdir(), 'folders-'));
  });
  afterEach(() => {
    fs.rmSync(runtime, { recursive: true, force: true });
    fs.rmSync(folders, { recursive: true, force: true });
  });

  function write(pid: number, workspace: string, extra: object = {}, mode = 0o600): string {
    const file = path.join(dir, `${pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ version: 1, ccp: '0.1.0', pid, port: 40000 + (pid % 1000), token: `t${pid}`,
      workspace, started_at: '2026-12-01T10:00:00Z', ...extra }), { mode });
    fs.chmodSync(file, mode);
    return file;
  }

  function folder(...parts: string[]): string {
    const p = path.join(folders, ...parts);
    fs.mkdirSync(p, { recursive: true });
    return p;
  }

  function deadPid(): number {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    return Number(child.stdout.toString());
  }

  it('looks under XDG_RUNTIME_DIR, else in a folder of the user in the temporary folder', () => {
    assert.strictEqual(discoveryDir({ env: { XDG_RUNTIME_DIR: '/run/user/1000' } }), path.join('/run/user/1000', 'ccp', 'ide'));
    assert.strictEqual(discoveryDir({ env: {}, tmpdir: '/var/tmp', user: 'ada' }), path.join('/var/tmp', 'ccp-ada', 'ide'));
  });

  it('picks the bridge whose workspace is the open folder', () => {
    const shop = folder('shop');
    write(process.pid, shop);
    write(process.ppid, folder('other'));
    const bridge = findBridge(shop, { env: env() });
    assert.strictEqual(bridge?.pid, process.pid);
    assert.strictEqual(bridge?.token, `t${process.pid}`);
  });

  it('picks the bridge whose workspace holds the open folder, the innermost one', () => {
    const shop = folder('shop');
    const sub = folder('shop', 'api', 'src');
    write(process.ppid, shop);
    write(process.pid, path.join(shop, 'api'));
    assert.strictEqual(findBridge(sub, { env: env() })?.pid, process.pid);
    assert.strictEqual(findBridge(folder('shopping'), { env: env() }), undefined);
  });

  it('finds nothing for a folder that holds the workspace but is not in it', () => {
    write(process.pid, folder('shop', 'api'));
    assert.strictEqual(findBridge(folder('shop'), { env: env() }), undefined);
  });

  it('matches a folder opened through a symbolic link', () => {
    const shop = folder('shop');
    const link = path.join(folders, 'link');
    fs.symlinkSync(shop, link);
    write(process.pid, shop);
    assert.strictEqual(findBridge(link, { env: env() })?.pid, process.pid);
  });

  it('deletes the file of a process that has ended and keeps the others', () => {
    const shop = folder('shop');
    const dead = deadPid();
    assert.strictEqual(processAlive(dead), false);
    const stale = write(dead, shop);
    const live = write(process.pid, shop);
    const result = scan({ env: env() });
    assert.deepStrictEqual(result.bridges.map((b) => b.pid), [process.pid]);
    assert.strictEqual(fs.existsSync(stale), false);
    assert.strictEqual(fs.existsSync(live), true);
  });

  it('does not trust a file that other users can read', () => {
    const file = write(process.pid, folder('shop'), {}, 0o644);
    const result = scan({ env: env() });
    assert.deepStrictEqual(result.bridges, []);
    assert.deepStrictEqual(result.skipped, [{ file, why: 'open to other users (mode 644)' }]);
    assert.strictEqual(fs.existsSync(file), true);
  });

  it('does not trust a folder that other users can write to', () => {
    write(process.pid, folder('shop'));
    fs.chmodSync(dir, 0o777);
    const result = scan({ env: env() });
    assert.deepStrictEqual(result.bridges, []);
    assert.match(result.skipped[0].why, /open to other users/);
  });

  it('does not trust files of another user', () => {
    write(process.pid, folder('shop'));
    const uid = (process.getuid?.() ?? 0) + 1;
    assert.deepStrictEqual(scan({ env: env(), uid }).bridges, []);
  });

  it('passes over a protocol version it does not follow, and damaged files, without deleting them', () => {
    const newer = write(process.pid, folder('shop'), { version: 2 });
    const broken = path.join(dir, '7.json');
    fs.writeFileSync(broken, '{', { mode: 0o600 });
    const result = scan({ env: env() });
    assert.deepStrictEqual(result.bridges, []);
    assert.match(result.skipped.find((s) => s.file === newer)!.why, /protocol version 2.*update the extension/);
    assert.ok(fs.existsSync(newer) && fs.existsSync(broken));
  });

  it('passes over a file without a valid pid, which would make the liveness check signal a process group', () => {
    const file = write(0, folder('shop'));
    const result = scan({ env: env() });
    assert.deepStrictEqual(result.bridges, []);
    assert.deepStrictEqual(result.skipped, [{ file, why: 'lacks a valid pid, port, token or workspace' }]);
  });

  it('finds nothing, quietly, where no ccp has written a file yet', () => {
    fs.rmSync(runtime, { recursive: true, force: true });
    assert.deepStrictEqual(scan({ env: env() }), { bridges: [], skipped: [] });
  });
});
