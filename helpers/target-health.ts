// A target that dies during a run: after N consecutive requests without any answer (connection
// refused or reset, DNS failure, timeout) the run stops sending. A marker file shared by all workers
// (reports/target-unreachable.json) says so; every later request fails at once with one message, and
// the project's auto fixture skips the tests that have not started, with that reason, instead of
// letting each fail one by one after its own timeouts.
//
// Wiring (helpers/api-client.ts, ApiClient.call): call `assertTargetAlive(baseUrl)` before
// `withRetry(...)`, then `noteAnswer()` when a response came or `noteNoAnswer(baseUrl, cause)` when
// the transport failed (the `catch` that sets `transportError`). Threshold: EMPORIX_UNREACHABLE_AFTER
// (default 5; 0 turns it off).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maskText, maskUrl } from './mask.ts';

export const UNREACHABLE_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'reports',
  'target-unreachable.json',
);

export interface UnreachableMarker {
  target: string;
  after: number;
  lastCause: string;
  at: string;
}

export class TargetUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetUnreachableError';
  }
}

/** EMPORIX_UNREACHABLE_AFTER, default 5; 0 never stops. */
export function unreachableThreshold(env: Record<string, string | undefined> = process.env): number {
  const raw = env.EMPORIX_UNREACHABLE_AFTER?.trim();
  if (raw === undefined || raw === '') return 5;
  if (!/^\d{1,3}$/.test(raw)) {
    throw new Error(
      `EMPORIX_UNREACHABLE_AFTER="${raw}" is not a number of requests (0 to 999; 0 never stops)`,
    );
  }
  return Number(raw);
}

export interface HealthOptions {
  file?: string;
  threshold?: number;
}

/** Consecutive requests without an answer, in this process. */
let consecutive = 0;

export function noteAnswer(): void {
  consecutive = 0;
}

/** Counts a request without an answer; at the threshold, writes the marker and returns it. */
export function noteNoAnswer(
  baseUrl: string,
  cause: string,
  options: HealthOptions = {},
): UnreachableMarker | undefined {
  consecutive += 1;
  const threshold = options.threshold ?? unreachableThreshold();
  if (threshold === 0 || consecutive < threshold) return undefined;
  const marker: UnreachableMarker = {
    target: maskUrl(baseUrl),
    after: consecutive,
    lastCause: maskText(cause),
    at: new Date().toISOString(),
  };
  const file = options.file ?? UNREACHABLE_FILE;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(marker), 'utf8');
  return marker;
}

export function readUnreachable(file: string = UNREACHABLE_FILE): UnreachableMarker | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as UnreachableMarker;
  } catch {
    return undefined;
  }
}

/** The one message once the run has stopped sending. */
export function formatStopped(marker: UnreachableMarker): string {
  return (
    `target unreachable: ${marker.target} (EMPORIX_API_URL): ${marker.after} consecutive requests got no answer ` +
    `(last: ${marker.lastCause}); the run sends nothing more`
  );
}

/** Throws at once when the run has stopped sending to this target. */
export function assertTargetAlive(file: string = UNREACHABLE_FILE): void {
  const marker = readUnreachable(file);
  if (marker) throw new TargetUnreachableError(formatStopped(marker));
}

/** Forgets an earlier run's marker (global set-up) and this process's count (tests). */
export function resetTargetHealth(file: string = UNREACHABLE_FILE): void {
  consecutive = 0;
  rmSync(file, { force: true });
}
