// The cleanup ledger: every customer a run creates is written down the moment its signup answers
// 201, and crossed out when it is deleted. One append-only JSON-lines file per run
// (reports/ledger/<run>.jsonl), shared by all workers: a line is appended synchronously, so a killed
// worker loses nothing it had written. The final sweep (specs/setup/sweep.teardown.ts) deletes what
// is still open and reports anything it could not delete.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LEDGER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'reports', 'ledger');

export interface CreatedEntry {
  event: 'created';
  /** Base URL of the API the customer was created on. */
  target: string;
  tenant: string;
  customerNumber: string;
  email: string;
  createdAt: string;
  /** The test (title path) or fixture that created it. */
  by: string;
}

export interface DeletedEntry {
  event: 'deleted';
  target: string;
  tenant: string;
  customerNumber: string;
  deletedAt: string;
  by: string;
}

export type LedgerEntry = CreatedEntry | DeletedEntry;

export interface LedgerOptions {
  /** The run's id (Config.runId). */
  runId: string;
  /** Where ledgers live; reports/ledger by default. */
  dir?: string;
}

export function ledgerFile(options: LedgerOptions): string {
  return join(options.dir ?? LEDGER_DIR, `${options.runId}.jsonl`);
}

function append(entry: LedgerEntry, options: LedgerOptions): void {
  mkdirSync(options.dir ?? LEDGER_DIR, { recursive: true });
  appendFileSync(ledgerFile(options), `${JSON.stringify(entry)}\n`, 'utf8');
}

/** Writes down a customer this run created; call it as soon as a signup answers 201. */
export function recordCreatedCustomer(
  customer: Omit<CreatedEntry, 'event' | 'createdAt'> & { createdAt?: string },
  options: LedgerOptions,
): void {
  append(
    { event: 'created', ...customer, createdAt: customer.createdAt ?? new Date().toISOString() },
    options,
  );
}

/** Crosses a customer out: it was deleted (or is already gone: 404). */
export function recordDeletedCustomer(
  customer: Omit<DeletedEntry, 'event' | 'deletedAt'>,
  options: LedgerOptions,
): void {
  append({ event: 'deleted', ...customer, deletedAt: new Date().toISOString() }, options);
}

const key = (e: { target: string; tenant: string; customerNumber: string }) =>
  `${e.target}|${e.tenant}|${e.customerNumber}`;

/** Every entry of a run's ledger, in order; lines cut short by a killed process are left out. */
export function readLedger(options: LedgerOptions): LedgerEntry[] {
  const file = ledgerFile(options);
  if (!existsSync(file)) return [];
  const entries: LedgerEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as LedgerEntry;
      if (entry.event === 'created' || entry.event === 'deleted') entries.push(entry);
    } catch {
      // A line cut short: ignore it.
    }
  }
  return entries;
}

/** The customers of a run still open: created and not crossed out (each once, first creation kept). */
export function openEntries(options: LedgerOptions): CreatedEntry[] {
  const open = new Map<string, CreatedEntry>();
  for (const entry of readLedger(options)) {
    if (entry.event === 'created') {
      if (!open.has(key(entry))) open.set(key(entry), entry);
    } else {
      open.delete(key(entry));
    }
  }
  return [...open.values()];
}

/** Runs other than `runId` whose ledgers still hold open customers (left behind by a killed run). */
export function otherRunsWithOpenEntries(options: LedgerOptions): { runId: string; open: CreatedEntry[] }[] {
  const dir = options.dir ?? LEDGER_DIR;
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return files
    .map((f) => f.slice(0, -'.jsonl'.length))
    .filter((runId) => runId !== options.runId)
    .map((runId) => ({ runId, open: openEntries({ runId, dir }) }))
    .filter((r) => r.open.length > 0);
}

export type SweepOutcome = 'deleted' | 'already gone' | 'failed';

export interface SweepResult {
  entry: CreatedEntry;
  outcome: SweepOutcome;
  /** Status or error when the deletion failed. */
  detail?: string;
}

/**
 * Deletes every open customer of a run with `deleteCustomer` (an employee DELETE answering its
 * status), crossing out those answered 202/204 (deleted) or 404 (already gone). Entries of another
 * target or tenant than `where` are left alone and reported as failed, never deleted elsewhere.
 */
export async function sweepLedger(
  options: LedgerOptions & { target: string; tenant: string; by: string },
  deleteCustomer: (entry: CreatedEntry) => Promise<number>,
): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  for (const entry of openEntries(options)) {
    if (entry.target !== options.target || entry.tenant !== options.tenant) {
      results.push({
        entry,
        outcome: 'failed',
        detail: `created on ${entry.target} tenant ${entry.tenant}, not the configured ${options.target} tenant ${options.tenant}`,
      });
      continue;
    }
    let status: number;
    try {
      status = await deleteCustomer(entry);
    } catch (error) {
      results.push({ entry, outcome: 'failed', detail: (error as Error).message.split('\n')[0] });
      continue;
    }
    if (status === 202 || status === 204 || status === 404) {
      recordDeletedCustomer(
        { target: entry.target, tenant: entry.tenant, customerNumber: entry.customerNumber, by: options.by },
        options,
      );
      results.push({ entry, outcome: status === 404 ? 'already gone' : 'deleted' });
    } else {
      results.push({ entry, outcome: 'failed', detail: `DELETE answered ${status}` });
    }
  }
  return results;
}

export interface Exchange {
  operationId: string;
  /** Path parameters of the call; `tenant` defaults to the configured tenant. */
  path?: Record<string, string> | undefined;
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
  /** The test (title path) that made the call. */
  by: string;
}

/**
 * The one place that keeps the ledger in step with the requests: a signup answered 201 writes the
 * customer down, an employee DELETE answered 202 or 404 crosses it out. Call it for every response
 * (ApiClient.call), before the response is checked, so a signup whose body breaks the contract is
 * still cleaned up.
 */
export function recordFromExchange(
  config: { baseUrl: string; tenant: string; runId: string; dir?: string },
  exchange: Exchange,
): void {
  const tenant = exchange.path?.tenant ?? config.tenant;
  const options = { runId: config.runId, ...(config.dir ? { dir: config.dir } : {}) };
  if (exchange.operationId === 'POST-customer-create-customer-account' && exchange.status === 201) {
    const id = (exchange.responseBody as { id?: unknown } | undefined)?.id;
    const email = (exchange.requestBody as { email?: unknown } | undefined)?.email;
    if (typeof id !== 'string' || id === '') return;
    recordCreatedCustomer(
      {
        target: config.baseUrl,
        tenant,
        customerNumber: id,
        email: typeof email === 'string' ? email : '',
        by: exchange.by,
      },
      options,
    );
  } else if (
    exchange.operationId === 'DELETE-customer-tenant-remove-customer' &&
    (exchange.status === 202 || exchange.status === 204 || exchange.status === 404)
  ) {
    const customerNumber = exchange.path?.customerNumber;
    if (!customerNumber) return;
    recordDeletedCustomer({ target: config.baseUrl, tenant, customerNumber, by: exchange.by }, options);
  }
}
