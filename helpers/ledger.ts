// The cleanup ledger: every customer a run creates is written down the moment its signup answers
// 201, and crossed out when it is deleted. One append-only JSON-lines file per run
// (reports/ledger/<run>.jsonl), shared by all workers: a line is appended synchronously, so a killed
// worker loses nothing it had written. The final sweep (specs/setup/sweep.teardown.ts) deletes what
// is still open, looks again at what it could not delete, and raises an alarm only for a customer
// that fresh look still finds. The nightly workflow keeps the ledgers between nights, so the next
// run looks again at what an earlier one left open.
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

/**
 * What the sweep found for one open customer:
 * - `deleted`: the DELETE answered 202 or 204;
 * - `already gone`: the DELETE, or a fresh look after a refused DELETE, answered 404;
 * - `left behind`: the DELETE was refused and a fresh look shows the customer still exists (an alarm);
 * - `unconfirmed`: neither deleted nor shown to exist (the fresh look was impossible or inconclusive,
 *   or the customer was created on another target or tenant, where the sweep never acts): a warning.
 */
export type SweepOutcome = 'deleted' | 'already gone' | 'left behind' | 'unconfirmed';

export interface SweepResult {
  entry: CreatedEntry;
  outcome: SweepOutcome;
  /** What was answered, when the customer was not simply deleted. */
  detail?: string;
}

/** Asks the target for one customer (an employee GET); resolves with the status, or rejects when no answer came. */
export type CustomerLookup = (entry: CreatedEntry) => Promise<number>;

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** What a fresh look says of a customer the sweep could not delete. */
async function lookAgain(
  entry: CreatedEntry,
  refused: string,
  lookup: CustomerLookup | undefined,
): Promise<Omit<SweepResult, 'entry'>> {
  if (!lookup) return { outcome: 'unconfirmed', detail: `${refused}; not looked up again` };
  let status: number;
  try {
    status = await lookup(entry);
  } catch (error) {
    return { outcome: 'unconfirmed', detail: `${refused}; looking it up again failed: ${firstLine(error)}` };
  }
  if (status === 404) return { outcome: 'already gone', detail: `${refused}; a fresh look answers 404` };
  if (status === 200) return { outcome: 'left behind', detail: `${refused}; a fresh look finds it (200)` };
  return { outcome: 'unconfirmed', detail: `${refused}; a fresh look answered ${status}` };
}

/** Crosses out the customers a result shows gone, in the ledger of the run that created them. */
function crossOut(result: SweepResult, options: LedgerOptions & { by: string }): void {
  if (result.outcome !== 'deleted' && result.outcome !== 'already gone') return;
  const { target, tenant, customerNumber } = result.entry;
  recordDeletedCustomer({ target, tenant, customerNumber, by: options.by }, options);
}

/**
 * Deletes every open customer of a run with `deleteCustomer` (an employee DELETE answering its
 * status). A refused deletion is followed by a fresh look (`lookup`, an employee GET), and only a
 * customer that look finds is reported `left behind`. Customers shown gone are crossed out. Each
 * customer is handled once however often the ledger names it; entries of another target or tenant
 * than `where` are never deleted or looked up there (`unconfirmed`).
 */
export async function sweepLedger(
  options: LedgerOptions & { target: string; tenant: string; by: string },
  deleteCustomer: (entry: CreatedEntry) => Promise<number>,
  lookup?: CustomerLookup,
): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  for (const entry of openEntries(options)) {
    if (entry.target !== options.target || entry.tenant !== options.tenant) {
      results.push({
        entry,
        outcome: 'unconfirmed',
        detail: `created on ${entry.target} tenant ${entry.tenant}, not the configured ${options.target} tenant ${options.tenant}: not deleted there`,
      });
      continue;
    }
    let result: SweepResult;
    try {
      const status = await deleteCustomer(entry);
      result =
        status === 202 || status === 204
          ? { entry, outcome: 'deleted' }
          : status === 404
            ? { entry, outcome: 'already gone' }
            : { entry, ...(await lookAgain(entry, `DELETE answered ${status}`, lookup)) };
    } catch (error) {
      result = { entry, ...(await lookAgain(entry, `DELETE failed: ${firstLine(error)}`, lookup)) };
    }
    crossOut(result, options);
    results.push(result);
  }
  return results;
}

/**
 * The open customers of earlier runs on this target and tenant (a killed run, or last night's run
 * whose ledger was kept), each looked up afresh: those gone are crossed out in their run's ledger,
 * the others returned (`left behind` when the look finds them, `unconfirmed` otherwise). Customers
 * this run still holds open are left to this run's sweep, so none is counted twice. Nothing is
 * deleted: another run may still be using its customers.
 */
export async function recheckEarlierRuns(
  options: LedgerOptions & { target: string; tenant: string; by: string },
  lookup: CustomerLookup | undefined,
): Promise<(SweepResult & { runId: string })[]> {
  const ours = new Set(openEntries(options).map(key));
  const seen = new Set<string>();
  const results: (SweepResult & { runId: string })[] = [];
  for (const run of otherRunsWithOpenEntries(options)) {
    for (const entry of run.open) {
      if (entry.target !== options.target || entry.tenant !== options.tenant) continue;
      if (ours.has(key(entry)) || seen.has(key(entry))) continue;
      seen.add(key(entry));
      const result: SweepResult = {
        entry,
        ...(await lookAgain(entry, `left open by run ${run.runId}`, lookup)),
      };
      crossOut(result, { ...options, runId: run.runId });
      if (result.outcome !== 'already gone') results.push({ ...result, runId: run.runId });
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
