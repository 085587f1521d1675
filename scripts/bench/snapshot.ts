// A snapshot of the project in a temporary directory, where the benchmark runs the suite and the
// mock. It keeps the benchmark and anyone working in the project apart: the run neither clears nor
// reads the exchange records (reports/records/) of a run someone else makes at the same time, and
// starts its own mock instead of reusing one already listening. By default the snapshot is the last
// commit (reproducible: half-written files do not break it); --working-tree takes the files as they
// are on disk, uncommitted changes included.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export type SnapshotSource = 'commit' | 'working-tree';

/** Top-level entries that are outputs or dependencies, not the suite. */
const LEFT_OUT = new Set([
  '.git',
  'node_modules',
  'reports',
  'test-results',
  'allure-results',
  'allure-report',
  'playwright-report',
  'blob-report',
]);

export interface Snapshot {
  dir: string;
  source: SnapshotSource;
  /** The commit the snapshot was taken from (HEAD, with uncommitted changes for working-tree). */
  commit: string;
  /** Whether uncommitted changes were included (working-tree with a dirty tree). */
  uncommittedChanges: boolean;
  remove(): void;
}

function git(root: string, args: string[]): Buffer {
  return execFileSync('git', ['-C', root, ...args], {
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function snapshotProject(root: string, source: SnapshotSource): Snapshot {
  const commit = git(root, ['rev-parse', 'HEAD']).toString('utf8').trim();
  const dir = mkdtempSync(join(tmpdir(), 'emporix-bench-'));
  try {
    if (source === 'commit') {
      execFileSync('tar', ['-x', '-C', dir], { input: git(root, ['archive', '--format=tar', commit]) });
    } else {
      cpSync(root, dir, {
        recursive: true,
        filter: (path) => !LEFT_OUT.has(relative(root, path).split(sep)[0] ?? ''),
      });
    }
    // The same dependencies, not a copy: module identity (Playwright's test runner) stays one.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const dirty =
    source === 'working-tree' &&
    git(root, ['status', '--porcelain', '--untracked-files=no']).toString('utf8').trim() !== '';
  return {
    dir,
    source,
    commit,
    uncommittedChanges: dirty,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
