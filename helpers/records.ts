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
  /** Problems the client found (status, content type, schema), empty when the exchange conforms. */
  problems: string[];
  durationMs: number;
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

export type RunRecord = ExchangeRecord | SkipRecord;

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
