// The machine the figures were measured on, and how busy it was: figures from a loaded machine are
// not comparable with figures from an idle one.
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
  /** 1, 5 and 15 minute load averages when the benchmark started and when it ended. */
  loadAverage: { start: number[]; end: number[] | null };
}

const rounded = (values: number[]): number[] => values.map((v) => Math.round(v * 100) / 100);

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage: { start: rounded(loadavg()), end: null },
  };
}

export function finishMachineInfo(info: MachineInfo): MachineInfo {
  return { ...info, loadAverage: { ...info.loadAverage, end: rounded(loadavg()) } };
}
