// What a run will do and why, computed once: playwright.config.ts selects the tests with it, and
// `npm run doctor` prints the same plan (with what it verified on the target in place of what is
// merely configured), so the two never disagree.
//
// Inputs: the configuration, the capabilities (destructive tests allowed, employee credentials,
// mailbox, customer login, the mock identity provider, a target that keeps state) and the selection
// settings:
//   EMPORIX_SELECTION  auto (default): everything the capabilities allow, `contract` on a target
//                      that looks stateless; full: everything, even there; contract: only @contract.
//   EMPORIX_OPERATIONS comma-separated operation ids: only tests that exercise those operations.
//
// `@contract` (no tag in the specs; selected here): the negative matrix (specs/negative.spec.ts)
// without the cases that need the target to remember something (CONTRACT_NEEDS_STATE): an id it
// never issued ("unknown ids"), and a token it must recognise as never issued, of the wrong kind or
// of another tenant. Each remaining test sends one request whose fault shows in the request itself
// (no token, a malformed header, a malformed body or tenant name, an unknown route) and holds the one
// answer to what the operation documents (status, content type, body schema), so a target that
// replays examples still gets a meaningful verdict.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operationIds, operationLabel, type OperationId } from './catalog.ts';
import type { Config } from './config.ts';
import { mayWrite } from './safety.ts';
import { settingsEnv } from './transport-options.ts';
import { MOCK_PATH_ROUTES, type MockPaths } from './target-probe.ts';

export type Env = Record<string, string | undefined>;
export type SelectionSetting = 'auto' | 'full' | 'contract';

export interface SelectionSettings {
  selection: SelectionSetting;
  /** Operation ids of EMPORIX_OPERATIONS; empty when unset. */
  operations: OperationId[];
}

/** Bad selection settings, one line per problem. */
export class SelectionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid selection settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SelectionError';
  }
}

/** Reads EMPORIX_SELECTION and EMPORIX_OPERATIONS; throws a SelectionError naming every problem. */
export function selectionSettings(env: Env = settingsEnv()): SelectionSettings {
  const problems: string[] = [];
  const rawSelection = env.EMPORIX_SELECTION?.trim() || 'auto';
  let selection: SelectionSetting = 'auto';
  if (rawSelection === 'auto' || rawSelection === 'full' || rawSelection === 'contract')
    selection = rawSelection;
  else problems.push(`EMPORIX_SELECTION="${rawSelection}" must be auto, full or contract`);

  const operations: OperationId[] = [];
  for (const raw of (env.EMPORIX_OPERATIONS ?? '').split(',')) {
    const id = raw.trim();
    if (id === '') continue;
    if ((operationIds as readonly string[]).includes(id)) operations.push(id as OperationId);
    else {
      const near = [...operationIds]
        .map((o) => ({ o, d: editDistance(o.toLowerCase(), id.toLowerCase()) }))
        .filter((x) => x.d <= Math.max(3, Math.floor(id.length / 4)))
        .sort((a, b) => a.d - b.d)
        .slice(0, 3)
        .map((x) => x.o);
      problems.push(
        `EMPORIX_OPERATIONS names "${id}", which is no operation of the catalog` +
          (near.length
            ? `; did you mean ${near.join(', ')}?`
            : ' (the ids are listed in helpers/catalog.ts)'),
      );
    }
  }
  if (problems.length > 0) throw new SelectionError(problems);
  return { selection, operations };
}

/** Levenshtein distance, for suggesting the operation id meant. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** A capability the target and the configuration give the run, or why not. */
export type Capability = { ok: true } | { ok: false; reason: string; broken?: boolean };

export interface Capabilities {
  /** Tests may create, change and delete data. */
  destructive: Capability;
  /** Employee credentials yield a token (activation, cleanup, the employee operations). */
  employee: Capability;
  /** Emailed tokens can be read. */
  mailbox: Capability;
  /** The configured existing customer logs in (read-only customer tests). */
  customerLogin: Capability;
  /** The mock identity provider (social login). */
  mockIdp: Capability;
  /** The target keeps state (sessions, tokens, data). */
  stateful: Capability;
}

const YES: Capability = { ok: true };

/** What the configuration promises (the run's set-up then verifies the credentials and fails fast). */
export function configuredCapabilities(
  config: Pick<Config, 'target' | 'allowDestructive' | 'employee' | 'customer' | 'mailbox'>,
  probe?: { stateless: boolean; signs: string[]; mockPaths?: MockPaths },
): Capabilities {
  return {
    destructive: mayWrite(config)
      ? YES
      : {
          ok: false,
          reason: 'EMPORIX_ALLOW_DESTRUCTIVE is not true: nothing is created, changed or deleted',
        },
    employee: config.employee
      ? YES
      : {
          ok: false,
          reason: 'no employee credentials: EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET are not set',
        },
    mailbox:
      config.mailbox !== 'none'
        ? YES
        : { ok: false, reason: 'no mailbox: MAILBOX=none (set MAILBOX=imap or MAILBOX=mock)' },
    customerLogin: config.customer
      ? YES
      : {
          ok: false,
          reason: 'no existing customer: EMPORIX_CUSTOMER_EMAIL and EMPORIX_CUSTOMER_PASSWORD are not set',
        },
    // As helpers/checks/auth.ts's mockIdpAvailable: the embedded mock, or a MAILBOX=mock target that
    // serves the social-login identity provider (the probe's mockPaths).
    mockIdp:
      config.target === 'embedded-mock' ||
      (config.mailbox === 'mock' && probe?.mockPaths?.idpAuthorize !== false)
        ? YES
        : {
            ok: false,
            reason:
              config.mailbox === 'mock'
                ? `no mock identity provider: the target does not serve ${MOCK_PATH_ROUTES.idpAuthorize}`
                : 'no mock identity provider: only the embedded mock or MAILBOX=mock targets serve one',
          },
    stateful: probe?.stateless
      ? { ok: false, reason: `the target looks stateless: ${probe.signs.join('; ')}` }
      : YES,
  };
}

/** What `npm run doctor` found on the target, beside what is configured. */
interface DoctorFindings {
  /**
   * Configured credentials the run's start refuses too (the target probe's `refusedCredentials`, or
   * the doctor's own look where it does not probe): only these stop the run. A token that comes
   * without the scopes the doctor expects is reported by the doctor, but the run starts with it.
   */
  refused: readonly ('anonymous' | 'employee' | 'customer')[];
  /** Whether the configured mailbox could be read (only asked when one is configured). */
  mailboxReadable: boolean;
}

/**
 * The capabilities the doctor plans with: the configured ones, with what it verified in their place.
 * A credential the run's start refuses is `broken` (the plan then says no target test will run); an
 * unreadable mailbox is missing (its tests will fail or skip), not broken: the run does not check it first.
 */
export function verifiedCapabilities(
  config: Pick<Config, 'employee' | 'customer' | 'mailbox'>,
  configured: Capabilities,
  found: DoctorFindings,
): Capabilities {
  return {
    ...configured,
    employee:
      config.employee && found.refused.includes('employee')
        ? {
            ok: false,
            broken: true,
            reason: 'EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET are refused: no employee token (see above)',
          }
        : configured.employee,
    customerLogin:
      config.customer && found.refused.includes('customer')
        ? {
            ok: false,
            broken: true,
            reason: `the existing customer cannot log in: check EMPORIX_CUSTOMER_PASSWORD (and EMPORIX_CUSTOMER_EMAIL)`,
          }
        : configured.customerLogin,
    mailbox:
      config.mailbox !== 'none' && !found.mailboxReadable
        ? { ok: false, reason: 'the configured mailbox cannot be read (see above)' }
        : configured.mailbox,
  };
}

export type Mode = 'full' | 'read-only' | 'contract' | 'read-only contract';

export interface TagPlan {
  tag: string;
  outcome: 'run' | 'partly' | 'skipped';
  reason?: string;
}

/** What Playwright's projects get: a test runs when it matches all of these. */
export interface ProjectSelection {
  grep?: RegExp;
  grepInvert?: RegExp;
  testMatch?: RegExp;
}

export interface Plan {
  mode: Mode;
  /** One sentence: why this mode. */
  why: string;
  /** The conformance project's selection. */
  conformance: ProjectSelection;
  /** The set-up project's selection. */
  setup: ProjectSelection;
  tags: TagPlan[];
  /** Missing capabilities, by name, with the reason. */
  missing: { capability: keyof Capabilities; reason: string }[];
  /** What EMPORIX_OPERATIONS selected, in words; absent when unset. */
  operations?: string;
  /** In a contract selection: what of the negative matrix is left out, and why; absent otherwise. */
  leftOut?: string;
  /** A set-up check that will fail (the doctor found a configured credential refused). */
  setupFails: string[];
  /** Whether any target test will run; `whyNone` says why not. */
  willRunTargetTests: boolean;
  whyNone?: string;
}

export const CONTRACT_TEST_MATCH = /negative\.spec\.ts$/;
/**
 * Cases of the matrix whose verdict depends on what the target remembers, by their titles
 * (specs/negative.spec.ts): an id it never issued, a token it never issued, a token of another kind
 * than the operation accepts, a token issued for another tenant. A target that replays examples
 * accepts all of them, and a failure there says nothing about the answers' contract.
 */
export const CONTRACT_NEEDS_STATE: readonly { title: string; why: string }[] = [
  { title: 'unknown ids', why: 'an id the target never issued' },
  { title: 'refuses a token that was never issued', why: 'a token the target never issued' },
  { title: 'refuses a valid ', why: 'a token of another kind than the operation accepts' },
  { title: 'token of another tenant', why: 'a token of another tenant' },
];

/** A RegExp matching titles that contain every one of `parts` (regex sources), in any order. */
function allOf(parts: string[]): RegExp | undefined {
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return new RegExp(parts[0] as string);
  return new RegExp(`^${parts.map((p) => `(?=[\\s\\S]*(?:${p}))`).join('')}`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const OPERATION_INDEX_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'reports',
  'operation-tests.json',
);

/** operationId → titles of the tests whose own body called it (written after each run). */
export type OperationIndex = Record<string, string[]>;

export function readOperationIndex(file: string = OPERATION_INDEX_FILE): OperationIndex {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as OperationIndex;
  } catch {
    return {};
  }
}

/**
 * Updates the index from a run's exchange records: for each operation a test's own body called, that
 * test's title (its last part: Playwright's grep sees the titles joined by spaces). Operations of the
 * run replace their earlier entries; the others are kept.
 */
export function writeOperationIndex(
  records: readonly { kind: string; operationId?: string; test?: string; calledBy?: string }[],
  file: string = OPERATION_INDEX_FILE,
): void {
  const fresh: Record<string, Set<string>> = {};
  for (const r of records) {
    if (r.kind !== 'exchange' || r.calledBy !== 'spec' || !r.operationId || !r.test) continue;
    const title = r.test.split(' › ').pop() ?? r.test;
    (fresh[r.operationId] ??= new Set()).add(title);
  }
  if (Object.keys(fresh).length === 0) return;
  const index = { ...readOperationIndex(file) };
  for (const [id, titles] of Object.entries(fresh)) index[id] = [...titles].sort();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(index, null, 2)}\n`, 'utf8');
}

/**
 * A title names an operation when it holds `METHOD path` followed by a space or its end, as the
 * negative matrix's titles do: `GET /customer/{tenant}/me refuses ...` names GET /me and not
 * GET /me/addresses, whose path merely starts the same.
 */
function namingPattern(id: OperationId): string {
  return `${escape(operationLabel(id))}(?=\\s|$)`;
}

let namings: { id: OperationId; pattern: RegExp }[] | undefined;

/** The catalog operations a test title names (the run's selection and the report's counts use it). */
export function operationsNamedIn(title: string): OperationId[] {
  namings ??= operationIds.map((id) => ({ id, pattern: new RegExp(namingPattern(id)) }));
  return namings.filter((n) => n.pattern.test(title)).map((n) => n.id);
}

/** The titles to select for operations: tests naming `METHOD path`, and those the index lists. */
function operationSelection(ids: OperationId[], index: OperationIndex): { pattern: string; words: string } {
  const labels = ids.map((id) => operationLabel(id));
  const titles = [...new Set(ids.flatMap((id) => index[id] ?? []))];
  const pattern = [...ids.map(namingPattern), ...titles.map(escape)].join('|');
  const fromIndex = titles.length
    ? `, and ${titles.length} test${titles.length === 1 ? '' : 's'} whose own steps called ${ids.length === 1 ? 'it' : 'them'} in an earlier run (reports/operation-tests.json)`
    : ' (no earlier run has recorded which other tests call them: run the suite once in full to add those)';
  return { pattern, words: `tests whose title names ${labels.join(' or ')}${fromIndex}` };
}

/** The plan of a run: mode, selection, tags, what is missing, and whether any target test runs. */
export function planRun(
  config: Pick<Config, 'target'>,
  caps: Capabilities,
  settings: SelectionSettings = { selection: 'auto', operations: [] },
  index: OperationIndex = {},
): Plan {
  const missing = (Object.entries(caps) as [keyof Capabilities, Capability][])
    .filter(([, c]) => !c.ok)
    .map(([capability, c]) => ({ capability, reason: (c as { reason: string }).reason }));
  const setupFails = (Object.values(caps) as Capability[])
    .filter((c): c is { ok: false; reason: string; broken: true } => !c.ok && c.broken === true)
    .map((c) => c.reason);

  const contract = settings.selection === 'contract' || (settings.selection === 'auto' && !caps.stateful.ok);
  const writes = caps.destructive.ok;
  const mode: Mode = contract ? (writes ? 'contract' : 'read-only contract') : writes ? 'full' : 'read-only';
  const why = [
    settings.selection === 'contract'
      ? 'EMPORIX_SELECTION=contract: the per-exchange checks only'
      : contract
        ? 'the target looks stateless, so only the per-exchange @contract checks run (EMPORIX_SELECTION=full runs everything anyway)'
        : settings.selection === 'full' && !caps.stateful.ok
          ? 'EMPORIX_SELECTION=full: everything, although the target looks stateless'
          : config.target === 'embedded-mock'
            ? 'the embedded mock: everything'
            : 'everything the settings allow',
    writes ? '' : 'read-only: only @smoke tests, never @destructive (EMPORIX_ALLOW_DESTRUCTIVE is not true)',
  ]
    .filter(Boolean)
    .join('; ');

  const grep: string[] = [];
  const invert: string[] = ['@offline'];
  if (!writes) {
    grep.push('@smoke');
    invert.push('@destructive');
  }
  if (contract) invert.push(...CONTRACT_NEEDS_STATE.map((c) => c.title));
  let operations: string | undefined;
  if (settings.operations.length > 0) {
    const sel = operationSelection(settings.operations, index);
    grep.push(sel.pattern);
    operations = `EMPORIX_OPERATIONS selects ${sel.words}`;
  }
  const conformance: ProjectSelection = {
    ...(allOf(grep) ? { grep: allOf(grep) } : {}),
    grepInvert: new RegExp(invert.map(escape).join('|')),
    ...(contract ? { testMatch: CONTRACT_TEST_MATCH } : {}),
  };
  const setup: ProjectSelection = writes ? {} : { grep: /@smoke/, grepInvert: /@offline|@destructive/ };

  const tags = tagPlan(caps, contract);
  const leftOut = contract
    ? `the cases that need the target to remember what it issued: ${CONTRACT_NEEDS_STATE.map((c) => c.why).join('; ')}`
    : undefined;
  const whyNone = setupFails.length ? `the set-up fails: ${setupFails.join('; ')}` : undefined;
  return {
    mode,
    why,
    conformance,
    setup,
    tags,
    missing,
    ...(operations ? { operations } : {}),
    ...(leftOut ? { leftOut } : {}),
    setupFails,
    willRunTargetTests: whyNone === undefined,
    ...(whyNone ? { whyNone } : {}),
  };
}

function tagPlan(caps: Capabilities, contract: boolean): TagPlan[] {
  const writes = caps.destructive.ok;
  const reason = (c: Capability) => (c.ok ? '' : c.reason);
  const smokeOnly =
    'only those also tagged @smoke run: a read-only run (EMPORIX_ALLOW_DESTRUCTIVE=true runs the rest)';
  const contractOnly = 'only the @contract checks of the negative matrix run';
  const partlyIf = (tag: string): TagPlan =>
    contract
      ? { tag, outcome: 'partly', reason: contractOnly }
      : !writes
        ? { tag, outcome: 'partly', reason: smokeOnly }
        : { tag, outcome: 'run' };
  const plans: TagPlan[] = [
    contract ? { tag: '@smoke', outcome: 'partly', reason: contractOnly } : { tag: '@smoke', outcome: 'run' },
    !writes
      ? { tag: '@destructive', outcome: 'skipped', reason: reason(caps.destructive) }
      : !caps.employee.ok
        ? {
            tag: '@destructive',
            outcome: 'skipped',
            reason: `${reason(caps.employee)}: new customers cannot be activated or deleted`,
          }
        : partlyIf('@destructive'),
    !caps.mailbox.ok
      ? { tag: '@email', outcome: 'skipped', reason: reason(caps.mailbox) }
      : writes && !caps.employee.ok
        ? {
            tag: '@email',
            outcome: 'partly',
            reason: 'those that sign a customer up need employee credentials',
          }
        : partlyIf('@email'),
    !caps.employee.ok
      ? { tag: '@employee', outcome: 'skipped', reason: reason(caps.employee) }
      : partlyIf('@employee'),
    partlyIf('@security'),
    !caps.mockIdp.ok
      ? { tag: 'social login', outcome: 'skipped', reason: reason(caps.mockIdp) }
      : contract
        ? { tag: 'social login', outcome: 'skipped', reason: contractOnly }
        : partlyIf('social login'),
    !caps.customerLogin.ok
      ? { tag: 'existing customer', outcome: 'skipped', reason: reason(caps.customerLogin) }
      : contract
        ? { tag: 'existing customer', outcome: 'skipped', reason: contractOnly }
        : { tag: 'existing customer', outcome: 'run' },
  ];
  return plans;
}

/** The plan in plain lines, as the run prints it at its start and the doctor at its end. */
export function describePlan(plan: Plan): string[] {
  const lines = [`Selection: ${plan.mode} (${plan.why})`];
  if (plan.operations) lines.push(`Operations: ${plan.operations}`);
  if (plan.leftOut) lines.push(`Left out: ${plan.leftOut}`);
  lines.push('Tags:');
  for (const t of plan.tags)
    lines.push(`  ${t.tag.padEnd(18)} ${t.outcome}${t.reason ? `: ${t.reason}` : ''}`);
  if (plan.missing.length > 0) {
    lines.push('Missing:');
    for (const m of plan.missing) lines.push(`  ${m.capability}: ${m.reason}`);
  }
  if (!plan.willRunTargetTests) lines.push(`No target test will run: ${plan.whyNone}`);
  return lines;
}
