// The exchange log: one JSON line per request the suite makes, written by each worker process to
// its own file under reports/records/, and read back afterwards for coverage and conformance reports.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RECORDS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'reports', 'records');

export interface ExchangeRecord {
  kind: 'exchange';
  /** Catalog operation id, e.g. `GET-customer-retrieve-customer-profile`. */
  operationId: string;
  method: string;
  /** The catalog's path template, e.g. `/customer/{tenant}/me`. */
  path: string;
  /** Received status; null when no response arrived (transport error). */
  status: number | null;
  /** Whether the operation documents the received status. */
  documented: boolean;
  /** Schema of the received status; null when the status documents no body or is not documented. */
  schemaId: string | null;
  /** Whether the body matched that schema; null when nothing was validated. */
  valid: boolean | null;
  /** Fields present in the body that the schema does not list (JSON pointers). */
  undocumented: string[];
  /** The failing findings (status, content type, schema), one line each, empty when the exchange conforms. */
  problems: string[];
  /** Every finding of the exchange's checks, failing and warned (absent in records of older runs). */
  findings?: RecordedFinding[];
  durationMs: number;
  test: string;
  file: string;
  project: string;
  at: string;
}

/** A finding as an exchange record keeps it: enough to match a baseline entry and count by code. */
export interface RecordedFinding {
  code: string;
  severity: 'fail' | 'warn';
  field?: string;
}

/** What an exchange record says about the baseline entry that described it (reports read it). */
export interface RecordedDeviation {
  file: string;
  /** Index of the entry in the file's `deviations`. */
  entry: number;
  label: string;
  expired: boolean;
}

/** An exchange record as ApiClient writes it. */
export type Exchange = ExchangeRecord & { deviation?: RecordedDeviation; calledBy?: 'spec' | 'fixture' };

/**
 * What one test did with one requirement (helpers/findings.ts events): checked it, or had a finding
 * that failed or warned. One record per test, code and event (a finding's first text as its example).
 */
export interface RequirementRecord {
  kind: 'requirement';
  code: string;
  event: 'checked' | 'fail' | 'warn';
  /** The finding, one line, masked (fail and warn only). */
  example?: string;
  test: string;
  file: string;
  project: string;
  at: string;
}

export interface SkipRecord {
  kind: 'skip';
  /** Why the test was skipped, as stated to the user. */
  reason: string;
  /** The fixture or check that skipped it. */
  by: string;
  test: string;
  file: string;
  project: string;
  at: string;
}

export type RunRecord = ExchangeRecord | SkipRecord | RequirementRecord;

let fileForThisProcess: string | undefined;

function recordFile(workerIndex: number): string {
  if (!fileForThisProcess) {
    mkdirSync(RECORDS_DIR, { recursive: true });
    fileForThisProcess = join(RECORDS_DIR, `${workerIndex}-${process.pid}.jsonl`);
  }
  return fileForThisProcess;
}

/** Appends one record to this worker's file (synchronously, so a crash loses nothing written). */
export function appendRecord(record: RunRecord, workerIndex: number): void {
  appendFileSync(recordFile(workerIndex), `${JSON.stringify(record)}\n`, 'utf8');
}

/** Reads every record of the last run (all workers), skipping lines that do not parse. */
export function readRecords(dir: string = RECORDS_DIR): RunRecord[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const records: RunRecord[] = [];
  for (const file of files.sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line) as RunRecord);
      } catch {
        // A line cut short by a killed worker: ignore it.
      }
    }
  }
  return records;
}

/** Empties the records directory; called once before a run starts. */
export function clearRecords(dir: string = RECORDS_DIR): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
