// Where the conformance report is written and what it is built from: shared by the reporter (after
// every run) and scripts/conformance-report.ts (after sharded runs are merged).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBaseline } from './baseline.ts';
import { loadConfig, type Config } from './config.ts';
import { registeredRequirements } from './findings.ts';
import './requirements/index.ts';
import {
  buildConformanceReport,
  readRecordsTree,
  renderMarkdown,
  type ConformanceReport,
  type TestOutcome,
} from './conformance.ts';
import { RECORDS_DIR } from './records.ts';
import { describeStateless, probeOfTarget, type TargetProbe } from './target-probe.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPORTS_DIR = join(PROJECT_ROOT, 'reports');

export interface WriteOptions {
  tests?: TestOutcome[];
  recordsDir?: string;
  outDir?: string;
}

export interface WrittenReport {
  markdown: string;
  json: string;
  banner?: string;
  report: ConformanceReport;
}

/** `describe › title` from a reporter's title path `['', project, file, ...describes, title]`. */
export function testTitleOf(titlePath: readonly string[]): string {
  return titlePath.slice(3).join(' › ');
}

/** How the report names the target: its origin, tenant and kind. */
export function reportTarget(
  config: Pick<Config, 'baseUrl' | 'tenant' | 'target'>,
  probe: Pick<TargetProbe, 'stateless'> | undefined,
): { url: string; tenant: string; kind: string } {
  return {
    // The origin only: a base URL may carry a path, never anything secret, but the origin is enough.
    url: new URL(config.baseUrl).origin,
    tenant: config.tenant,
    // A remote target may be a tenant or another mock server: only the probe tells a stateless one.
    kind:
      config.target === 'embedded-mock'
        ? 'embedded mock'
        : probe?.stateless
          ? 'remote target, looks stateless'
          : 'remote target',
  };
}

/** Builds the report of the configured target and writes conformance.md and conformance.json. */
export function writeConformanceReport(options: WriteOptions = {}): WrittenReport {
  const config = loadConfig();
  const probe = probeOfTarget(config);
  const report = buildConformanceReport({
    records: readRecordsTree(options.recordsDir ?? RECORDS_DIR),
    ...(options.tests ? { tests: options.tests } : {}),
    baseline: loadBaseline(config.tenant),
    requirements: registeredRequirements(),
    profile: config.profile,
    contract: config.contract,
    // The stateless paragraph of this run's target probe, when it found so.
    ...(probe?.stateless ? { stateless: describeStateless(probe) } : {}),
    target: reportTarget(config, probe),
  });
  const outDir = options.outDir ?? REPORTS_DIR;
  mkdirSync(outDir, { recursive: true });
  const markdown = join(outDir, 'conformance.md');
  const json = join(outDir, 'conformance.json');
  writeFileSync(markdown, renderMarkdown(report), 'utf8');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  return {
    markdown: relative(process.cwd(), markdown) || markdown,
    json: relative(process.cwd(), json) || json,
    ...(report.verdict.banner ? { banner: report.verdict.banner } : {}),
    report,
  };
}
