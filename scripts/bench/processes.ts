// The processes the benchmark starts, and only those: each child runs in its own process group, is
// remembered here, and is stopped by its id when the benchmark ends, fails or is interrupted.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const children = new Set<ChildProcess>();

/** Starts a child in its own process group (so its own children can be stopped with it). */
export function startProcess(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the group this child leads: it and what it started
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** Whether the child has ended. */
function ended(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * The processes below `pid` (Linux, from /proc; empty elsewhere), with their process groups. A
 * grandchild may lead a group of its own (Playwright starts its web server that way), which a signal
 * to the child's group does not reach.
 */
function descendantsOf(pid: number): { pid: number; pgid: number }[] {
  if (process.platform !== 'linux') return [];
  const stats: { pid: number; ppid: number; pgid: number }[] = [];
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        stats.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]) });
      } catch {
        // Ended while listed.
      }
    }
  } catch {
    return [];
  }
  const found = new Map<number, number>();
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const s of stats) {
      if (s.ppid === parent && !found.has(s.pid)) {
        found.set(s.pid, s.pgid);
        queue.push(s.pid);
      }
    }
  }
  return [...found].map(([p, pgid]) => ({ pid: p, pgid }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops one child: `signal` first (SIGINT lets Playwright stop its web server), SIGKILL to the
 * group when it has not ended within `graceMs`; then any descendant that outlived it (in a group
 * of its own) gets SIGTERM, and SIGKILL a moment later.
 */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 5000,
): Promise<void> {
  if (ended(child)) return;
  const below = child.pid === undefined ? [] : descendantsOf(child.pid);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, signal);
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signalGroup(child, 'SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }
  await stopOrphans(below);
}

async function stopOrphans(processes: { pid: number; pgid: number }[]): Promise<void> {
  const own = new Set([process.pid]);
  const send = (signal: NodeJS.Signals): void => {
    for (const { pid, pgid } of processes) {
      if (!alive(pid)) continue;
      try {
        // A group leader of its own: stop its whole group; otherwise only the process.
        process.kill(pgid === pid && !own.has(pgid) ? -pgid : pid, signal);
      } catch {
        // Gone meanwhile.
      }
    }
  };
  if (!processes.some((p) => alive(p.pid))) return;
  send('SIGTERM');
  for (let waited = 0; waited < 3000 && processes.some((p) => alive(p.pid)); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  send('SIGKILL');
}

/** Stops every child still running (in parallel). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stopProcess(child)));
}

/** Last resort when the process exits without awaiting stopAll: SIGKILL to every remaining group. */
export function killAllNow(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * Waits until the child prints a line matching `pattern` on stdout and returns the first capture
 * group; fails when the child exits first or `timeoutMs` passes. Everything the child prints on
 * stderr is kept for the error message.
 */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  what: string,
  timeoutMs = 30_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const done = (error: Error | null, value?: string): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onStdout);
      child.stderr?.off('data', onStderr);
      child.off('exit', onExit);
      // Keep draining, so a chatty child never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve(value ?? '');
    };
    const onStdout = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      const match = pattern.exec(stdout);
      if (match) done(null, match[1] ?? match[0]);
    };
    const onStderr = (chunk: Buffer): void => {
      stderr += chunk.toString('utf8');
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      done(
        new Error(`${what} exited (${signal ?? `code ${code}`}) before it was ready:\n${stderr || stdout}`),
      );
    };
    const timer = setTimeout(
      () => done(new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${stderr || stdout}`)),
      timeoutMs,
    );
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.once('exit', onExit);
  });
}
