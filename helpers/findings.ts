// Coded findings: what a check reports, and the one place that decides whether it fails the test.
//
// A check evaluates one requirement and returns findings; it does not decide their weight. Every
// requirement has a stable code and names its source: the vendor's documents (tutorial T,
// customer-managed reference R, tenant-managed reference TM, OAuth reference O) are the contract;
// the vendor's other pages and public clients (F, FACTS) and the project's own reading (B,
// docs/behaviour.md) are expectations. The caller hands the findings to `enforce`, which applies the
// run's profile: in `strict` every finding fails the test, in `documented` only findings against
// the vendor's documents do and the rest are warnings. An advisory requirement (fields the documents
// do not list) warns in every profile, and `warn` warns whatever the requirement.
import { test } from '@playwright/test';
import { loadConfig, type Profile } from './config.ts';
import { maskText } from './mask.ts';

/** Where a requirement comes from. */
export type Source = 'T' | 'R' | 'TM' | 'O' | 'F' | 'B';

export const SOURCE_NAMES: Readonly<Record<Source, string>> = {
  T: 'tutorial',
  R: 'customer-managed reference',
  TM: 'tenant-managed reference',
  O: 'OAuth reference',
  F: "vendor's other pages and public clients (FACTS)",
  B: "project's reading (docs/behaviour.md)",
};

/** The sources that are the vendor's contract: a finding against them fails in every profile. */
export const CONTRACT_SOURCES: ReadonlySet<Source> = new Set<Source>(['T', 'R', 'TM', 'O']);

/** `strict`: every finding fails. `documented`: only findings against the vendor's documents fail. */
export type { Profile };
export const PROFILES: readonly Profile[] = ['strict', 'documented'];

export type Severity = 'fail' | 'warn';

export interface Requirement {
  /** Stable, dotted, lower case: `token.lifetime.seconds`. Baselines and dashboards match on it. */
  readonly code: string;
  readonly source: Source;
  /** Where the source says it: `Tutorial, "Refreshing a customer token"`, `R: GET-customer-validate-token 401`. */
  readonly reference: string;
  /** The promise, in one line. */
  readonly summary: string;
  /** Advisory: its findings warn in every profile (fields the documents do not list, cache headers). */
  readonly advisory?: boolean;
}

export interface Finding {
  readonly code: string;
  /** `POST /customer/{tenant}/login`, when the finding concerns one operation. */
  readonly operation?: string;
  /** The field or instance path concerned. */
  readonly field?: string;
  readonly expected: string;
  readonly received: string;
  /** The likely cause, when one can be told. */
  readonly hint?: string;
}

export type FindingDetails = Omit<Finding, 'code'>;

/** What observers (reports, Allure, records) are told. */
export type FindingEvent =
  | { readonly kind: 'checked'; readonly code: string }
  | { readonly kind: 'finding'; readonly finding: Finding; readonly severity: Severity };

const CODE = /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
const registry = new Map<string, Requirement>();

/** Registers a requirement (once per code) and returns it. */
export function requirement(definition: Requirement): Requirement {
  if (!CODE.test(definition.code)) {
    throw new Error(
      `requirement code "${definition.code}" must be dotted lower case, e.g. token.lifetime.seconds`,
    );
  }
  const known = registry.get(definition.code);
  if (known) {
    if (
      known.source !== definition.source ||
      known.summary !== definition.summary ||
      known.advisory !== definition.advisory
    ) {
      throw new Error(`requirement code "${definition.code}" is registered twice with different contents`);
    }
    return known;
  }
  const frozen = Object.freeze({ ...definition });
  registry.set(frozen.code, frozen);
  return frozen;
}

/** Every requirement registered so far (those of the modules loaded). */
export function registeredRequirements(): readonly Requirement[] {
  return [...registry.values()];
}

export function requirementOf(code: string): Requirement | undefined {
  return registry.get(code);
}

const listeners: ((event: FindingEvent) => void)[] = [];

/** Observers of every evaluation and finding (reports, Allure, records). */
export function onFindingEvent(listener: (event: FindingEvent) => void): void {
  listeners.push(listener);
}

function emit(event: FindingEvent): void {
  for (const listener of listeners) listener(event);
}

export function finding(req: Requirement, details: FindingDetails): Finding {
  return { code: req.code, ...details };
}

/**
 * Evaluates one requirement: records that it was checked, and returns no finding when `holds`, else
 * the one finding `details` describes (a function, so its text is built only on failure).
 */
export function check(req: Requirement, holds: boolean, details: () => FindingDetails): Finding[] {
  emit({ kind: 'checked', code: req.code });
  return holds ? [] : [finding(req, details())];
}

let activeProfile: Profile | undefined;

/** Overrides the profile (unit tests); `undefined` goes back to the configured one. */
export function setProfile(profile: Profile | undefined): void {
  activeProfile = profile;
}

/** The run's profile: EMPORIX_PROFILE, by default `strict` on the embedded mock, `documented` elsewhere. */
export function currentProfile(): Profile {
  activeProfile ??= loadConfig().profile;
  return activeProfile;
}

export function severityOf(req: Requirement, profile: Profile = currentProfile()): Severity {
  if (req.advisory) return 'warn';
  return profile === 'strict' || CONTRACT_SOURCES.has(req.source) ? 'fail' : 'warn';
}

function requirementFor(f: Finding): Requirement {
  const req = registry.get(f.code);
  if (!req) throw new Error(`finding with unregistered code "${f.code}"`);
  return req;
}

/** One line: `[code, source] operation: field: expected …, received … — hint`, secrets masked. */
export function formatFinding(f: Finding): string {
  const req = registry.get(f.code);
  const where = [f.operation, f.field].filter((part) => part !== undefined && part !== '').join(': ');
  const text =
    `[${f.code}${req ? `, ${req.source}` : ''}] ${where === '' ? '' : `${where}: `}` +
    `expected ${f.expected}, received ${f.received}${f.hint ? ` — ${f.hint}` : ''}`;
  return maskText(text);
}

/** Thrown by `enforce` for the findings that fail the test. */
export class FindingError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      findings
        .map((f) => {
          const req = registry.get(f.code);
          return formatFinding(f) + (req ? `\n  (${SOURCE_NAMES[req.source]}: ${req.reference})` : '');
        })
        .join('\n'),
    );
    this.name = 'FindingError';
  }
}

function toList(findings: Finding | readonly Finding[] | undefined): readonly Finding[] {
  if (findings === undefined) return [];
  return Array.isArray(findings) ? (findings as readonly Finding[]) : [findings as Finding];
}

function recordWarning(f: Finding): void {
  emit({ kind: 'finding', finding: f, severity: 'warn' });
  try {
    test.info().annotations.push({ type: `warning: ${f.code}`, description: formatFinding(f) });
  } catch {
    // Outside a test (a script, a reporter): observers alone carry the warning.
  }
}

/** The findings split by their weight in a profile; nothing is recorded or thrown. */
export function classify(
  findings: Finding | readonly Finding[] | undefined,
  profile: Profile = currentProfile(),
): { failing: Finding[]; warned: Finding[] } {
  const failing: Finding[] = [];
  const warned: Finding[] = [];
  for (const f of toList(findings)) {
    (severityOf(requirementFor(f), profile) === 'warn' ? warned : failing).push(f);
  }
  return { failing, warned };
}

/**
 * Tells the observers that these findings fail the test and returns the error to throw (the caller
 * throws it, e.g. after adding what a baseline says about it). Empty findings give undefined.
 */
export function failure(findings: readonly Finding[]): FindingError | undefined {
  if (findings.length === 0) return undefined;
  for (const f of findings) {
    requirementFor(f);
    emit({ kind: 'finding', finding: f, severity: 'fail' });
  }
  return new FindingError(findings);
}

/** Applies the profile: findings that must fail throw one FindingError; the others are warnings. */
export function enforce(findings: Finding | readonly Finding[] | undefined, profile?: Profile): void {
  const { failing, warned } = classify(findings, profile ?? currentProfile());
  for (const f of warned) recordWarning(f);
  const error = failure(failing);
  if (error) throw error;
}

/** Advisory findings: warnings in every profile. */
export function warn(findings: Finding | readonly Finding[] | undefined): void {
  for (const f of toList(findings)) {
    requirementFor(f);
    recordWarning(f);
  }
}
