// The expected-deviation baseline: a file the user keeps per target, listing deviations of that
// target from the contract that are known and accepted for a while (e.g. a tenant that already follows
// the 2026 documents and answers 404 for POST /me/accounts/internal). An entry names a finding by its
// code and operation (and, to narrow it, the field, the status, the test), never by message text, so
// rewording a message breaks no baseline. A listed deviation that happens is reported as expected and
// its test passes as an expected failure; an entry that no longer happens is reported as no longer
// needed; an expired entry fails again. The file is checked against baseline/baseline.schema.json
// before any test runs; an entry in the old form (matching message text) is refused with the entry it
// must become.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { parse } from 'dotenv';
import { operation, operationIds, type OperationId } from './catalog.ts';
import { requirementOf } from './findings.ts';
import { operationSource } from './requirements/index.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BASELINE_SCHEMA_FILE = resolve(PROJECT_ROOT, 'baseline', 'baseline.schema.json');

export interface BaselineEntry {
  /** The requirement code of the finding (docs/requirements.md), e.g. `response.body.schema.customer-managed`. */
  code: string;
  /** Catalog operation id whose answers deviate. */
  operationId: string;
  /** The finding's field, a JSON pointer whose `*` segments match any one segment; covers the fields beneath it. */
  field?: string;
  /** Regular expression on the test's title path (`describe › title`); narrows the entry. */
  test?: string;
  /** Received status(es) the deviation happens with; narrows the entry. */
  status?: number | number[];
  /** What happens, e.g. "status 404 instead of 201". */
  deviation: string;
  owner: string;
  reason: string;
  /** Last day (UTC, YYYY-MM-DD) the deviation is accepted. */
  expires: string;
}

export interface Baseline {
  /** The file it was read from, relative to the project. */
  file: string;
  target?: string;
  deviations: BaselineEntry[];
}

/** A broken baseline file: every problem at once, one line each. */
export class BaselineError extends Error {
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[]) {
    super(
      `Invalid baseline ${file} (${problems.length} problem${problems.length === 1 ? '' : 's'}); ` +
        `fix the file or unset EMPORIX_BASELINE:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'BaselineError';
    this.problems = problems;
  }
}

// The baseline is user configuration, not part of the contract: its schema lives apart from the
// contract's schema registry, so a broken baseline can never change how responses are judged.
// Compiled on the first baseline checked: most runs have none, and compiling cost every process
// (the runner, each worker) about 90 ms of CPU.
let compiledBaselineSchema: ValidateFunction | undefined;
function baselineValidator(): ValidateFunction {
  return (compiledBaselineSchema ??= new Ajv2020({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
  }).compile(JSON.parse(readFileSync(BASELINE_SCHEMA_FILE, 'utf8')) as object));
}

/**
 * What an entry in the old form (matched on message text with `problem`, or without `code`) must
 * become: the same entry naming the finding's code, its operation and, for a schema deviation, its field.
 */
function migrationOf(entry: Record<string, unknown>): Record<string, unknown> {
  const { problem, code, operationId, ...rest } = entry;
  const known = typeof operationId === 'string' && (operationIds as readonly string[]).includes(operationId);
  const source = known ? operationSource(operation(operationId as OperationId)) : undefined;
  const suggested: Record<string, unknown> = {
    code:
      typeof code === 'string'
        ? code
        : `${problem === undefined ? 'response.status.documented' : 'response.body.schema'}.${source ?? '<source>'}`,
    operationId: known ? operationId : '<the catalog operation id named in the failure>',
  };
  if (typeof problem === 'string') {
    // A pattern on a JSON pointer (`/addresses/\d+/contactDetails`) becomes the pointer with `*`.
    const pointer = problem
      .replace(/^\^|\$$/g, '')
      .replace(/\\d\+|\\d\*|\[0-9\]\+|\\d/g, '*')
      .replace(/\\(.)/g, '$1');
    suggested.field = /^(\/[\w*-]+)+$/.test(pointer) ? pointer : '<the field named in the failure>';
  }
  return { ...suggested, ...rest };
}

function isOldStyle(entry: unknown): entry is Record<string, unknown> {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    !Array.isArray(entry) &&
    ('problem' in entry || !('code' in entry))
  );
}

/** The problems of a parsed baseline document: old-style entries, schema issues, unknown operations and codes. */
export function findBaselineProblems(document: unknown): string[] {
  const problems: string[] = [];
  const entries = (document as { deviations?: unknown } | null)?.deviations;
  const oldStyle = new Set<number>();
  if (Array.isArray(entries)) {
    entries.forEach((entry: unknown, i) => {
      if (!isOldStyle(entry)) return;
      oldStyle.add(i);
      problems.push(
        `/deviations/${i}: an old-style entry (it matches ${'problem' in entry ? 'message text with "problem"' : 'no finding code'}); ` +
          `entries now match a finding's code and operation (the code is the first word in brackets of the failure, ` +
          `e.g. [response.body.schema.customer-managed, R]). Write it as: ${JSON.stringify(migrationOf(entry))}`,
      );
    });
  }
  const validateBaselineDocument = baselineValidator();
  if (!validateBaselineDocument(document)) {
    for (const error of validateBaselineDocument.errors ?? []) {
      if ([...oldStyle].some((i) => error.instancePath.startsWith(`/deviations/${i}`))) continue;
      if (error.keyword === 'oneOf' || /oneOf\/\d+\//.test(error.schemaPath)) {
        if (error.keyword === 'oneOf')
          problems.push(`${error.instancePath}: must be a status code (100-599) or a list of them`);
        continue;
      }
      const detail =
        error.keyword === 'additionalProperties'
          ? ` "${String((error.params as { additionalProperty?: unknown }).additionalProperty)}"`
          : '';
      problems.push(`${error.instancePath || '/'}: ${error.message ?? error.keyword}${detail}`);
    }
    return [...new Set(problems)];
  }
  if (problems.length > 0) return problems;
  (document as { deviations: BaselineEntry[] }).deviations.forEach((entry, i) => {
    const at = `/deviations/${i}`;
    if (!(operationIds as readonly string[]).includes(entry.operationId)) {
      problems.push(`${at}/operationId: "${entry.operationId}" is not an operation of the catalog`);
    }
    if (!requirementOf(entry.code)) {
      problems.push(
        `${at}/code: "${entry.code}" is not a requirement code of the suite (see docs/requirements.md)`,
      );
    }
    if (entry.test !== undefined) {
      try {
        new RegExp(entry.test);
      } catch (error) {
        problems.push(`${at}/test: not a regular expression (${(error as Error).message})`);
      }
    }
    if (Number.isNaN(Date.parse(`${entry.expires}T00:00:00Z`))) {
      problems.push(`${at}/expires: "${entry.expires}" is not a date (YYYY-MM-DD)`);
    }
  });
  return problems;
}

/** Reads and checks a baseline file; throws BaselineError listing every problem. */
export function readBaseline(file: string): Baseline {
  const shown = relative(PROJECT_ROOT, file) || file;
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BaselineError(shown, [(error as Error).message]);
  }
  const problems = findBaselineProblems(document);
  if (problems.length > 0) throw new BaselineError(shown, problems);
  const { target, deviations } = document as { target?: string; deviations: BaselineEntry[] };
  return { file: shown, ...(target !== undefined ? { target } : {}), deviations };
}

/**
 * The baseline file of a run: EMPORIX_BASELINE (environment, then .env) when set, else
 * `baseline/<tenant>.json` when it exists, else none. A file named by EMPORIX_BASELINE must exist.
 */
export function baselineFile(
  tenant: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  let named = env.EMPORIX_BASELINE;
  if (named === undefined) {
    const dotenv = resolve(PROJECT_ROOT, '.env');
    if (existsSync(dotenv)) named = parse(readFileSync(dotenv, 'utf8')).EMPORIX_BASELINE;
  }
  named = named?.trim();
  if (named) {
    const file = isAbsolute(named) ? named : resolve(PROJECT_ROOT, named);
    if (!existsSync(file))
      throw new BaselineError(named, [`EMPORIX_BASELINE names a file that does not exist`]);
    return file;
  }
  const byTenant = resolve(PROJECT_ROOT, 'baseline', `${tenant}.json`);
  return existsSync(byTenant) ? byTenant : undefined;
}

const loaded = new Map<string, Baseline | null>();

/** The run's baseline for a tenant, read and checked once per process; null when there is none. */
export function loadBaseline(tenant: string): Baseline | null {
  if (!loaded.has(tenant)) {
    const file = baselineFile(tenant);
    loaded.set(tenant, file ? readBaseline(file) : null);
  }
  return loaded.get(tenant) ?? null;
}

/** True once the entry's last day (UTC) is over. */
export function isExpired(entry: Pick<BaselineEntry, 'expires'>, now: Date = new Date()): boolean {
  const lastDay = Date.parse(`${entry.expires}T00:00:00Z`);
  return now.getTime() >= lastDay + 24 * 60 * 60 * 1000;
}

/** How reports name an entry: `#2 POST-customer-assign-customer-account [response.status.documented.customer-managed]: …`. */
export function entryLabel(entry: BaselineEntry, index: number): string {
  return `#${index + 1} ${entry.operationId} [${entry.code}${entry.field ? ` ${entry.field}` : ''}]: ${entry.deviation}`;
}

/** What one exchange looked like, as far as the baseline cares. */
export interface ExchangeFacts {
  operationId: string;
  /** null when no response arrived. */
  status: number | null;
  /** The exchange's failing findings. */
  findings: readonly { code: string; field?: string }[];
  /** The test's title path, `describe › title`. */
  test: string;
}

export interface DeviationMatch {
  entry: BaselineEntry;
  index: number;
  label: string;
  expired: boolean;
}

/** Whether an entry's field (a JSON pointer, `*` for any one segment) is or contains a finding's field. */
function fieldCovers(pattern: string | undefined, field: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (field === undefined) return false;
  const want = pattern.split('/');
  const have = field.split('/');
  return want.length <= have.length && want.every((segment, i) => segment === '*' || segment === have[i]);
}

/** Whether one entry describes what happened in one exchange: one of its findings has the entry's code. */
export function entryMatches(entry: BaselineEntry, facts: ExchangeFacts): boolean {
  if (entry.operationId !== facts.operationId) return false;
  if (entry.test !== undefined && !new RegExp(entry.test).test(facts.test)) return false;
  if (entry.status !== undefined) {
    const statuses = Array.isArray(entry.status) ? entry.status : [entry.status];
    if (facts.status === null || !statuses.includes(facts.status)) return false;
  }
  return facts.findings.some((f) => f.code === entry.code && fieldCovers(entry.field, f.field));
}

/** The entry describing an exchange, a current one before an expired one; undefined when none does. */
export function matchDeviation(
  baseline: Pick<Baseline, 'deviations'> | null,
  facts: ExchangeFacts,
  now: Date = new Date(),
): DeviationMatch | undefined {
  if (!baseline) return undefined;
  let expiredMatch: DeviationMatch | undefined;
  for (const [index, entry] of baseline.deviations.entries()) {
    if (!entryMatches(entry, facts)) continue;
    const match = { entry, index, label: entryLabel(entry, index), expired: isExpired(entry, now) };
    if (!match.expired) return match;
    expiredMatch ??= match;
  }
  return expiredMatch;
}

/** The message a test fails with when a current entry matched (Playwright counts it as expected). */
export function formatExpectedDeviation(
  baseline: Pick<Baseline, 'file'>,
  match: DeviationMatch,
  what: string,
): string {
  const { entry } = match;
  return (
    `Expected deviation (baseline ${baseline.file} ${match.label}; owner ${entry.owner}, ` +
    `until ${entry.expires}): ${entry.reason}\n${what}`
  );
}

/** The note added to a failure when the entry that described it has expired. */
export function formatExpiredDeviation(baseline: Pick<Baseline, 'file'>, match: DeviationMatch): string {
  return (
    `Baseline entry expired on ${match.entry.expires}: ${baseline.file} ${match.label} ` +
    `(owner ${match.entry.owner}). The deviation still happens: renew the entry or fix the target.`
  );
}
