// A snapshot of the project in a temporary directory, where the benchmark runs the suite and the
// mock. It keeps the benchmark and anyone working in the project apart: the run neither clears nor
// reads the exchange records (reports/records/) of a run someone else makes at the same time, and
// starts its own mock instead of reusing one already listening. By default the snapshot is the last
// commit (reproducible: half-written files do not break it); --working-tree takes the files as they
// are on disk, uncommitted changes included.
//
// The directory's path is the same on every run for a project: Playwright keys its compilation cache
// by file path and content, so a fixed path lets a run reuse what the last one compiled, as a
// developer's repeated runs do (a fresh path each time would recompile everything and leave stale
// entries behind). A lock file keeps two benchmarks of the same project from sharing it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  cpSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
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

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock next to the snapshot directory, or explains who holds it. */
function lock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new Error(
          `another benchmark of this project is running (pid ${holder}); wait for it to finish`,
        );
      }
      rmSync(path, { force: true }); // left by a benchmark that was killed
    }
  }
  throw new Error(`cannot take the lock ${path}`);
}

export function snapshotProject(root: string, source: SnapshotSource): Snapshot {
  const commit = git(root, ['rev-parse', 'HEAD']).toString('utf8').trim();
  const id = createHash('sha256').update(root).digest('hex').slice(0, 10);
  const dir = join(tmpdir(), `emporix-bench-${id}`);
  const unlock = lock(`${dir}.lock`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
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
    unlock();
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
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      unlock();
    },
  };
}
