// What the Allure report knows about each test beyond its steps: where it sits in the tutorial
// (epic / feature / story from the catalog), how severe a failure is (from the title's tags), which
// operations it checks, and whether it saw warnings or an expected deviation (labels the categories
// of allurerc.mjs group by). Labels go through allure-js-commons, which allure-playwright turns into
// labels of the test result; the environment and categories are written by the reporter
// (playwright.config.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReporterDescription, TestInfo } from '@playwright/test';
import { labels as sendLabels } from 'allure-js-commons';
import type { Chapter, OperationInfo } from './catalog.ts';
import type { Config } from './config.ts';

export const EPIC = 'Customer Service (customer-managed)';

/** Feature names: the tutorial's chapters. */
export const CHAPTER_TITLES: Record<Chapter, string> = {
  authentication: 'Authentication and tokens',
  profile: 'Customer profile',
  addresses: 'Addresses',
  credentials: 'Passwords and login email',
  'opt-in': 'Double opt-in',
  employee: 'Employee (tenant-managed) access',
  'test-only': 'Test-only (mock)',
};

export type Severity = 'blocker' | 'critical' | 'normal' | 'minor';

/**
 * Severity from the title's tags: `@smoke` is a blocker (the target cannot be used at all),
 * `@security` critical (a refusal that does not happen is a hole), everything else normal,
 * the suite's own `@offline` unit tests minor.
 */
export function severityOf(tags: readonly string[]): Severity {
  if (tags.includes('@smoke')) return 'blocker';
  if (tags.includes('@security')) return 'critical';
  if (tags.includes('@offline')) return 'minor';
  return 'normal';
}

/** Custom label names, also used by the categories of allurerc.mjs. */
export const LABEL = {
  operation: 'operation',
  warning: 'conformanceWarning',
  deviation: 'expectedDeviation',
} as const;

interface Label {
  name: string;
  value: string;
}

interface Sent {
  base: boolean;
  operations: Set<string>;
  features: Set<string>;
  warnings: Set<string>;
  deviations: Set<string>;
}

const sentByTest = new WeakMap<TestInfo, Sent>();

function sentFor(testInfo: TestInfo): Sent {
  let sent = sentByTest.get(testInfo);
  if (!sent) {
    sent = {
      base: false,
      operations: new Set(),
      features: new Set(),
      warnings: new Set(),
      deviations: new Set(),
    };
    sentByTest.set(testInfo, sent);
  }
  return sent;
}

/** The labels an exchange adds to its test that the test does not carry yet. */
export function labelsForExchange(
  testInfo: TestInfo,
  op: Pick<OperationInfo, 'id' | 'chapter' | 'summary' | 'testOnly'>,
  calledBySpec: boolean,
): Label[] {
  const sent = sentFor(testInfo);
  const out: Label[] = [];
  if (!sent.base) {
    sent.base = true;
    out.push({ name: 'epic', value: EPIC }, { name: 'severity', value: severityOf(testInfo.tags) });
  }
  // Feature and story name what the test checks: operations the spec calls itself, not the set-up
  // its fixtures do (every test logs in; not every test is about logging in).
  if (calledBySpec && !op.testOnly && !sent.operations.has(op.id)) {
    sent.operations.add(op.id);
    const feature = CHAPTER_TITLES[op.chapter];
    if (!sent.features.has(feature)) out.push({ name: 'feature', value: feature });
    sent.features.add(feature);
    out.push({ name: 'story', value: op.summary }, { name: LABEL.operation, value: op.id });
  }
  return out;
}

/** Sends labels to Allure; never fails the test (a report detail must not break a check). */
export async function applyLabels(list: readonly Label[]): Promise<void> {
  if (list.length === 0) return;
  try {
    await sendLabels(...list);
  } catch {
    // No Allure runtime (e.g. run without allure-playwright): nothing to label.
  }
}

/** Labels the test once per warning code (a finding the profile weighs as a warning, or an advisory one). */
export function warningLabel(testInfo: TestInfo, code: string): Label[] {
  const sent = sentFor(testInfo);
  if (sent.warnings.has(code)) return [];
  sent.warnings.add(code);
  return [{ name: LABEL.warning, value: code }];
}

/** Labels the test with a baseline entry that described one of its exchanges. */
export function deviationLabel(testInfo: TestInfo, entryLabel: string): Label[] {
  const sent = sentFor(testInfo);
  if (sent.deviations.has(entryLabel)) return [];
  sent.deviations.add(entryLabel);
  return [{ name: LABEL.deviation, value: entryLabel }];
}

/** Categories of failures (allure-playwright writes them to categories.json; allurerc.mjs adds label rules). */
export const ALLURE_CATEGORIES = [
  {
    name: 'Expired baseline entries',
    messageRegex: '[\\s\\S]*Baseline entry expired[\\s\\S]*',
    matchedStatuses: ['failed', 'broken'],
  },
  {
    name: 'Transport errors (no response, timeouts)',
    messageRegex: '[\\s\\S]*(→ no response|Test timeout of|ECONNREFUSED|ECONNRESET|ETIMEDOUT)[\\s\\S]*',
    matchedStatuses: ['failed', 'broken'],
  },
  {
    name: 'Status failures',
    messageRegex: '[\\s\\S]*(Expected status:|\\[response\\.status\\.|Expected a status other than)[\\s\\S]*',
    matchedStatuses: ['failed', 'broken'],
  },
  {
    name: 'Schema failures',
    messageRegex:
      '[\\s\\S]*(does not match schema|\\[response\\.(body|content-type)\\.|\\[request\\.body\\.)[\\s\\S]*',
    matchedStatuses: ['failed', 'broken'],
  },
];

/** Allure's environment panel: what was tested, from where, with which suite. Secrets never. */
export function allureEnvironment(options: {
  baseUrl: string;
  tenant: string;
  /** How the conformance report names the target's kind (reportTarget in helpers/conformance-files.ts). */
  kind: string;
  baselineFile?: string;
  projectRoot: string;
}): Record<string, string> {
  let version = 'unknown';
  try {
    version =
      (JSON.parse(readFileSync(join(options.projectRoot, 'package.json'), 'utf8')) as { version?: string })
        .version ?? 'unknown';
  } catch {
    // Left as unknown.
  }
  let sha = process.env.GITHUB_SHA?.slice(0, 12) ?? '';
  if (!sha) {
    try {
      sha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
        cwd: options.projectRoot,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      sha = 'unknown (not a git checkout)';
    }
  }
  return {
    Target: new URL(options.baseUrl).origin,
    Tenant: options.tenant,
    'Target kind': options.kind,
    'Suite version': version,
    'Git commit': sha,
    Baseline: options.baselineFile ?? 'none',
    Node: process.version,
  };
}

/** The Allure reporter of a run and of a merge of shards: results in allure-results/, with the environment panel. */
export function allureReporter(
  config: Pick<Config, 'baseUrl' | 'tenant'>,
  kind: string,
  baselineFile: string | undefined,
): ReporterDescription {
  return [
    'allure-playwright',
    {
      resultsDir: 'allure-results',
      environmentInfo: allureEnvironment({
        baseUrl: config.baseUrl,
        tenant: config.tenant,
        kind,
        baselineFile,
        projectRoot: fileURLToPath(new URL('..', import.meta.url)),
      }),
      categories: ALLURE_CATEGORIES,
    },
  ];
}
