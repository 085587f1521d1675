// Builds the drift report: the suite's view of a contract (scripts/drift/suite-model.ts) against a
// vendor OpenAPI document, each difference with the tests it touches, and the Markdown and JSON forms.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { ReferenceDecision, VendorDocument } from '../../helpers/catalog.ts';
import type { ContractVersion } from '../../helpers/config.ts';
import { compareModels, isUnchecked, type Change } from './compare.ts';
import { isObject, localResolver, modelOf, type DocumentModel } from './model.ts';
import { suiteView } from './suite-model.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where tests and the steps they call live: a test "touches" an operation its files name. */
const TEST_FOLDERS = ['specs', 'fixtures', 'helpers/checks'];

/** Bad input: the CLI exits 2 with this message. */
export class DriftInputError extends Error {
  override name = 'DriftInputError';
}

export interface ReportedChange extends Change {
  /** Files of tests that call the operation (and name the field or parameter, when there is one). */
  tests: string[];
  /** True when the document asks for something the suite does not check. */
  unchecked: boolean;
}

export interface DecidedChange extends Change {
  why: string;
}

export interface DriftReport {
  file: string;
  contract: ContractVersion;
  /** The vendor document the file was compared as. */
  document: VendorDocument;
  changes: ReportedChange[];
  /** Differences the catalog records as the suite's deliberate decisions: not drift. */
  decided: DecidedChange[];
  /** How many changes are unchecked; the CLI exits 1 when this is not 0. */
  unchecked: number;
}

/** Reads a vendor OpenAPI document, YAML or JSON. */
export function readOpenApi(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DriftInputError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new DriftInputError(`${file} is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isObject(document) || (typeof document.openapi !== 'string' && typeof document.swagger !== 'string')) {
    throw new DriftInputError(`${file} is not an OpenAPI document: it has no "openapi" version field`);
  }
  if (typeof document.swagger === 'string') {
    throw new DriftInputError(
      `${file} is Swagger ${document.swagger}: the drift report reads OpenAPI 3.0 and 3.1`,
    );
  }
  if (!isObject(document.paths)) throw new DriftInputError(`${file} has no "paths" object`);
  return document;
}

/** The vendor model of a parsed document; a broken `$ref` is bad input. */
export function vendorModel(document: unknown, file: string): DocumentModel {
  try {
    return modelOf(document, { resolve: localResolver(document) });
  } catch (error) {
    throw new DriftInputError(`${file}: ${(error as Error).message}`);
  }
}

const DOCUMENTS: VendorDocument[] = ['customer-managed', 'tenant-managed', 'oauth'];

/** The vendor document the file is: the one sharing the most operations with it, else by its title. */
export function pickDocument(
  vendor: DocumentModel,
  contract: ContractVersion,
  title: string,
): VendorDocument {
  const keys = Object.keys(vendor.operations);
  let best: VendorDocument | undefined;
  let bestShared = 0;
  for (const document of DOCUMENTS) {
    const suite = suiteView(contract, document).model.operations;
    const shared = keys.filter((key) => key in suite).length;
    if (shared > bestShared) [best, bestShared] = [document, shared];
  }
  if (best) return best;
  if (/tenant-managed/i.test(title)) return 'tenant-managed';
  if (/oauth/i.test(title)) return 'oauth';
  return 'customer-managed';
}

interface SourceFile {
  path: string;
  text: string;
}

function sourceFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'data') walk(full);
      } else if (entry.name.endsWith('.ts')) {
        files.push({ path: relative(PROJECT_ROOT, full), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const folder of TEST_FOLDERS) walk(join(PROJECT_ROOT, folder));
  return files;
}

/** The last name of a field path or parameter: `customerDetails.firstName` → `firstName`. */
function leafName(change: Change): string | undefined {
  const raw = change.name ?? (change.kind.startsWith('parameter-') ? change.where?.split(':')[1] : undefined);
  if (!raw) return undefined;
  return raw.split('.').pop()?.replace(/\[\]$/, '');
}

/** Files whose tests call the change's operation and, for a field or parameter, name it. */
export function testsTouching(change: Change, files: SourceFile[]): string[] {
  if (!change.operationId) return [];
  const calling = files.filter((f) => f.text.includes(`'${change.operationId}'`));
  const leaf = leafName(change);
  if (leaf === undefined || change.kind === 'operation-removed' || change.kind === 'status-added') {
    return calling.map((f) => f.path);
  }
  const pattern = new RegExp(`\\b${leaf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  return calling.filter((f) => pattern.test(f.text)).map((f) => f.path);
}

function matchesDecision(change: Change, decision: ReferenceDecision): boolean {
  return (
    change.kind === decision.kind &&
    change.where === decision.where &&
    (change.name ?? '') === decision.name &&
    (decision.after === undefined || decision.after === change.after)
  );
}

/** Compares the suite's view of `contract` with the vendor document in `file`. */
export function buildDriftReport(file: string, contract: ContractVersion): DriftReport {
  const document = readOpenApi(file);
  const vendor = vendorModel(document, file);
  const info = isObject(document) && isObject(document.info) ? document.info : {};
  const kind = pickDocument(vendor, contract, typeof info.title === 'string' ? info.title : '');
  const suite = suiteView(contract, kind);
  const files = sourceFiles();
  const changes: ReportedChange[] = [];
  const decided: DecidedChange[] = [];
  for (const change of compareModels(suite.model, vendor)) {
    const decision = (suite.decisions[change.operation] ?? []).find((d) => matchesDecision(change, d));
    if (decision) decided.push({ ...change, why: decision.why });
    else changes.push({ ...change, tests: testsTouching(change, files), unchecked: isUnchecked(change) });
  }
  return {
    file,
    contract,
    document: kind,
    changes,
    decided,
    unchecked: changes.filter((c) => c.unchecked).length,
  };
}

const KIND_WORDS: Record<Change['kind'], string> = {
  'operation-added': 'operation added',
  'operation-removed': 'operation removed',
  'status-added': 'status added',
  'status-removed': 'status removed',
  'parameter-added': 'parameter added',
  'parameter-removed': 'parameter removed',
  'parameter-retyped': 'parameter retyped',
  'parameter-newly-required': 'parameter newly required',
  'field-added': 'field added',
  'field-removed': 'field removed',
  'field-retyped': 'field retyped',
  'field-newly-required': 'field newly required',
  'request-schema-changed': 'request schema changed',
};

/** `request: customerDetails.firstName (string)`, `query:currency (string)`, `404`. */
export function describeChange(change: Change): string {
  const types =
    change.before !== undefined && change.after !== undefined
      ? ` (${change.before} → ${change.after})`
      : change.after !== undefined
        ? ` (${change.after})`
        : change.before !== undefined
          ? ` (${change.before})`
          : '';
  if (change.name) return `${change.where}: ${change.name}${types}`;
  if (change.where) return `${change.where}${types}`;
  return change.operationId ?? '';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The report as Markdown. */
export function driftMarkdown(report: DriftReport): string {
  const lines = [
    `# Drift report: ${report.file}`,
    '',
    `Compared with the suite's contract ${report.contract}, as the ${report.document} document.`,
    '',
    report.changes.length === 0
      ? 'No differences: the suite checks what this document documents.'
      : `${report.changes.length} difference(s), ${report.unchecked} of them documented by the file and not checked under contract ${report.contract}.`,
    '',
  ];
  if (report.changes.length > 0) {
    lines.push('| change | operation | what | tests |', '| --- | --- | --- | --- |');
    for (const c of report.changes) {
      const tests = c.tests.length > 0 ? c.tests.join(', ') : c.unchecked ? 'documented, not tested' : 'none';
      lines.push(
        `| ${KIND_WORDS[c.kind]} | ${cell(`${c.operation}${c.operationId ? ` (${c.operationId})` : ''}`)} | ${cell(describeChange(c))} | ${cell(tests)} |`,
      );
    }
    lines.push('');
  }
  if (report.decided.length > 0) {
    lines.push(
      '## Decided, not drift',
      '',
      'The suite models these otherwise than the document on purpose (helpers/catalog.ts, `x-reference-decisions`).',
      '',
      '| change | operation | what | why |',
      '| --- | --- | --- | --- |',
    );
    for (const c of report.decided) {
      lines.push(
        `| ${KIND_WORDS[c.kind]} | ${cell(c.operation)} | ${cell(describeChange(c))} | ${cell(c.why)} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
