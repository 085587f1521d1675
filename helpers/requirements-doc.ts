// docs/requirements.md, built from the code: every requirement the area files of helpers/requirements
// declare, its source and reference, its summary, its severity in each profile, and where it is
// checked. `npm run requirements` writes the file; an offline test (specs/reporting.spec.ts) fails when
// the file's codes, sources or severities no longer match the registry.
//
// "Where checked" is a static scan, so the file does not depend on the last run: the files of specs/,
// fixtures/ and helpers/ that name the requirement's constant, and for a helper, the spec files that
// import it. Which tests actually checked each requirement in a run is in that run's conformance report.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILES, severityOf, SOURCE_NAMES, type Requirement } from './findings.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REQUIREMENTS_DIR = join(PROJECT_ROOT, 'helpers', 'requirements');
export const REQUIREMENTS_DOC = join(PROJECT_ROOT, 'docs', 'requirements.md');

/** One declared requirement: where it is declared and under which constant. */
export interface DeclaredRequirement {
  requirement: Requirement;
  /** The area file, e.g. `exchange.ts`. */
  area: string;
  /** How code names it: `STATUS_DOCUMENTED` or `STATUS_DOCUMENTED['tenant-managed']`. */
  constant: string;
  /** The exported name the scan looks for. */
  exportName: string;
}

function isRequirement(value: unknown): value is Requirement {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['code', 'source', 'reference', 'summary'].every((k) => typeof v[k] === 'string');
}

/** The area files index.ts re-exports, in its order. */
function areaFiles(): string[] {
  const index = readFileSync(join(REQUIREMENTS_DIR, 'index.ts'), 'utf8');
  return [...index.matchAll(/^export \* from '\.\/([\w.-]+\.ts)';$/gm)].map((m) => m[1] ?? '');
}

/** Every requirement the area files declare (a constant, or a family: an object of requirements). */
export async function declaredRequirements(): Promise<DeclaredRequirement[]> {
  const out: DeclaredRequirement[] = [];
  for (const area of areaFiles()) {
    const module = (await import(join(REQUIREMENTS_DIR, area))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (isRequirement(value)) {
        out.push({ requirement: value, area, constant: name, exportName: name });
      } else if (typeof value === 'object' && value !== null && Object.values(value).every(isRequirement)) {
        for (const [key, req] of Object.entries(value as Record<string, Requirement>)) {
          out.push({ requirement: req, area, constant: `${name}['${key}']`, exportName: name });
        }
      }
    }
  }
  return out.sort((a, b) => a.requirement.code.localeCompare(b.requirement.code));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Where each exported name is used: the files that name it, and the specs importing those helpers. */
function whereChecked(exportNames: readonly string[]): Map<string, string[]> {
  const files = ['specs', 'fixtures', 'helpers']
    .flatMap((d) => sourceFiles(join(PROJECT_ROOT, d)))
    .filter((f) => !f.startsWith(REQUIREMENTS_DIR) && !f.endsWith('requirements-doc.ts'))
    .sort();
  const text = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const specs = files.filter((f) => f.endsWith('.spec.ts'));
  const result = new Map<string, string[]>();
  for (const name of exportNames) {
    const pattern = new RegExp(`\\b${name}\\b`);
    const users = files.filter((f) => pattern.test(text.get(f) ?? ''));
    const places = new Set<string>();
    for (const user of users) {
      const shown = relative(PROJECT_ROOT, user);
      if (shown === 'helpers/api-client.ts') {
        places.add(`${shown} (every exchange of every test)`);
        continue;
      }
      places.add(shown);
      if (user.endsWith('.spec.ts')) continue;
      const stem = basename(user, '.ts');
      for (const spec of specs)
        if (new RegExp(`from '[./]*helpers/(checks/)?${stem}\\.ts'`).test(text.get(spec) ?? ''))
          places.add(relative(PROJECT_ROOT, spec));
    }
    result.set(name, [...places].sort());
  }
  return result;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown of docs/requirements.md. */
export function renderRequirementsDoc(declared: readonly DeclaredRequirement[]): string {
  const where = whereChecked([...new Set(declared.map((d) => d.exportName))]);
  const lines: string[] = [
    '# Requirements',
    '',
    '<!-- Generated by `npm run requirements` (scripts/requirements.ts) from helpers/requirements/*.ts: do not edit by hand. -->',
    '',
    'Every check of the suite evaluates one requirement with a stable code. A finding names its code; ' +
      'the baseline and the conformance report match on it. The source says who promises it:',
    '',
    ...(Object.entries(SOURCE_NAMES) as [string, string][]).map(([k, v]) => `- **${k}**: ${v}`),
    '',
    'Severity per profile (`EMPORIX_PROFILE`): in `strict` (the default on the embedded mock) every finding fails; ' +
      'in `documented` (the default on any other target) only findings against the vendor documents (T, R, TM, O) ' +
      'fail, the others are warnings. An advisory requirement warns in both.',
    '',
    '"Checked in" comes from a static scan: the files of specs/, fixtures/ and helpers/ that name the ' +
      "requirement's constant, and the spec files that import such a helper. Which tests checked each " +
      "requirement in a run, and how they fared, is in that run's conformance report (reports/conformance.md).",
    '',
    `${declared.length} requirements.`,
    '',
    '| Code | Source | strict | documented |',
    '| --- | --- | --- | --- |',
    ...declared.map(
      ({ requirement: r }) =>
        `| \`${r.code}\` | ${r.source} | ${PROFILES.map((p) => severityOf(r, p)).join(' | ')} |`,
    ),
    '',
  ];
  for (const area of [...new Set(declared.map((d) => d.area))]) {
    lines.push(`## helpers/requirements/${area}`, '');
    for (const d of declared.filter((x) => x.area === area)) {
      const r = d.requirement;
      const places = where.get(d.exportName) ?? [];
      lines.push(
        `### \`${r.code}\``,
        '',
        cell(r.summary),
        '',
        `- Source: ${r.source} (${SOURCE_NAMES[r.source]}): ${cell(r.reference)}`,
        `- Severity: ${PROFILES.map((p) => `${p} ${severityOf(r, p)}`).join(', ')}${r.advisory ? ' (advisory)' : ''}`,
        `- Constant: \`${d.constant}\``,
        `- Checked in: ${places.length ? places.map((p) => `\`${p}\``).join(', ') : 'nowhere yet'}`,
        '',
      );
    }
  }
  return lines.join('\n');
}

/** The registry's rows as docs/requirements.md's table states them: `code source strict documented`. */
export function registryRows(declared: readonly DeclaredRequirement[]): string[] {
  return declared.map(
    ({ requirement: r }) => `${r.code} ${r.source} ${PROFILES.map((p) => severityOf(r, p)).join(' ')}`,
  );
}

/** The same rows read back from a requirements document. */
export function documentRows(markdown: string): string[] {
  return [
    ...markdown.matchAll(/^\|\s*`([^`]+)`\s*\|\s*(\w+)\s*\|\s*(fail|warn)\s*\|\s*(fail|warn)\s*\|$/gm),
  ].map((m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]}`);
}
