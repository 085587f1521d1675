// CPU time of a process tree, sampled from /proc (Linux) while it runs: which processes the suite
// run starts (runner, workers, mock) and how much CPU each used. Sampling misses what a process uses
// after its last sample (at most one interval each), so the totals are a slight underestimate.
import { readdirSync, readFileSync } from 'node:fs';

/** `launcher`: npx, npm and the tsx command, which only start the real process. */
export type ProcessKind = 'runner' | 'worker' | 'mock' | 'launcher' | 'other';

export interface CpuBreakdown {
  /** CPU seconds (user + system) of every process in the tree. */
  totalSeconds: number;
  byKind: Record<ProcessKind, { processes: number; cpuSeconds: number }>;
  /** Mean CPU seconds of a worker process. */
  meanPerWorkerSeconds: number;
  /** The commands of the processes counted as `other`, with their CPU seconds. */
  others: { command: string; cpuSeconds: number }[];
}

interface Seen {
  kind: ProcessKind;
  command: string;
  cpuSeconds: number;
}

function kindOf(cmdline: string): ProcessKind {
  if (/(^|\/)(npx|npm)( |$)|npm exec|\.bin\/tsx |(^|\/)sh -c /.test(cmdline)) return 'launcher';
  if (cmdline.includes('workerProcessEntry')) return 'worker';
  if (cmdline.includes('mock/src/cli.ts')) return 'mock';
  if (/playwright(\.js)? test/.test(cmdline) || cmdline.includes('@playwright/test/cli')) return 'runner';
  return 'other';
}

function readStat(pid: string): { ppid: number; cpuSeconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state, ppid, …; utime and stime are the 12th and 13th (USER_HZ = 100).
    return { ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return undefined;
  }
}

export interface CpuSampler {
  stop(): CpuBreakdown | null;
}

export function sampleProcessTree(rootPid: number | undefined, intervalMs = 250): CpuSampler {
  const available = process.platform === 'linux' && rootPid !== undefined;
  const seen = new Map<number, Seen>();
  const sample = (): void => {
    if (!available) return;
    let pids: string[];
    try {
      pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
      return;
    }
    const parents = new Map<number, number>();
    const cpu = new Map<number, number>();
    for (const pid of pids) {
      const stat = readStat(pid);
      if (!stat) continue;
      parents.set(Number(pid), stat.ppid);
      cpu.set(Number(pid), stat.cpuSeconds);
    }
    const tree = new Set<number>([rootPid]);
    for (let grew = true; grew;) {
      grew = false;
      for (const [pid, ppid] of parents) {
        if (!tree.has(pid) && tree.has(ppid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of tree) {
      const cpuSeconds = cpu.get(pid);
      if (cpuSeconds === undefined) continue;
      // Read each time: right after a fork, and before its exec, a child still shows its parent's command.
      let command = seen.get(pid)?.command;
      try {
        // A process that has ended but is not yet reaped shows an empty command: keep the last one.
        command =
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 160) || command;
      } catch {
        // Ended between the two reads: keep what was seen.
      }
      if (command === undefined) continue;
      seen.set(pid, { kind: kindOf(command), command, cpuSeconds });
    }
  };
  const timer = setInterval(sample, intervalMs);
  sample();
  return {
    stop: () => {
      clearInterval(timer);
      if (!available || seen.size === 0) return null;
      const byKind: CpuBreakdown['byKind'] = {
        runner: { processes: 0, cpuSeconds: 0 },
        worker: { processes: 0, cpuSeconds: 0 },
        mock: { processes: 0, cpuSeconds: 0 },
        launcher: { processes: 0, cpuSeconds: 0 },
        other: { processes: 0, cpuSeconds: 0 },
      };
      for (const { kind, cpuSeconds } of seen.values()) {
        byKind[kind].processes += 1;
        byKind[kind].cpuSeconds += cpuSeconds;
      }
      const round = (v: number): number => Math.round(v * 100) / 100;
      for (const entry of Object.values(byKind)) entry.cpuSeconds = round(entry.cpuSeconds);
      const total = [...seen.values()].reduce((sum, s) => sum + s.cpuSeconds, 0);
      return {
        totalSeconds: round(total),
        byKind,
        others: [...seen.values()]
          .filter((s) => s.kind === 'other')
          .map((s) => ({ command: s.command, cpuSeconds: round(s.cpuSeconds) })),
        meanPerWorkerSeconds:
          byKind.worker.processes > 0 ? round(byKind.worker.cpuSeconds / byKind.worker.processes) : 0,
      };
    },
  };
}
