// The drift report (scripts/drift.ts) on small OpenAPI documents the project writes
// (specs/data/drift/), one per kind of change: each test compares two of them, or runs the CLI.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../fixtures/index.ts';
import { compareModels, type Change } from '../scripts/drift/compare.ts';
import { buildDriftReport, readOpenApi, vendorModel, DriftInputError } from '../scripts/drift/report.ts';

const DATA = fileURLToPath(new URL('./data/drift/', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function model(name: string) {
  const file = `${DATA}${name}`;
  return vendorModel(readOpenApi(file), file);
}

/** The changes from document `a` (as the suite's side) to document `b`, as `kind where name` lines. */
function changes(a: string, b: string): string[] {
  return compareModels(model(a), model(b)).map((c: Change) =>
    [c.kind, c.where, c.name, c.before && c.after && `${c.before}->${c.after}`].filter(Boolean).join(' '),
  );
}

test.describe('drift report @offline', () => {
  test('finds no difference between a document and itself', () => {
    expect(changes('base.yml', 'base.yml')).toEqual([]);
  });

  test('lists an operation the document adds, and one it removes', () => {
    expect(changes('base.yml', 'operation-added.yml')).toEqual(['operation-added']);
    expect(changes('operation-added.yml', 'base.yml')).toEqual(['operation-removed']);
  });

  test('lists statuses, parameters, fields and the request schema, each kind of change once', () => {
    expect(changes('base.yml', 'changed.json').sort()).toEqual(
      [
        'status-added 409',
        'status-removed 400',
        'parameter-retyped query:mode string->integer',
        'parameter-newly-required query:mode',
        'parameter-added query:color',
        'request-schema-changed request Thing->ThingPatch',
        'field-added request tag',
        'field-retyped request size integer->string',
        'field-newly-required request size',
      ].sort(),
    );
  });

  test('lists parameters and fields the document removes', () => {
    expect(changes('changed.json', 'base.yml')).toEqual(
      expect.arrayContaining(['parameter-removed query:color', 'field-removed request tag']),
    );
  });

  test('refuses a file that is not YAML, not OpenAPI 3, or not there, naming the problem', () => {
    expect(() => readOpenApi(`${DATA}broken-yaml.txt`)).toThrow(/neither JSON nor YAML/);
    expect(() => readOpenApi(`${DATA}swagger2.json`)).toThrow(
      /Swagger 2.0: the drift report reads OpenAPI 3.0 and 3.1/,
    );
    expect(() => readOpenApi(`${DATA}missing.yml`)).toThrow(DriftInputError);
  });

  test("says which of the suite's tests an operation touches, or that it is documented and not tested", () => {
    const report = buildDriftReport(`${DATA}operation-added.yml`, '2026-08');
    const added = report.changes.filter((c) => c.kind === 'operation-added');
    expect(added.map((c) => c.operation).sort()).toEqual([
      'GET /customer/{tenant}/things',
      'POST /customer/{tenant}/things',
    ]);
    expect(added.every((c) => c.tests.length === 0 && c.unchecked)).toBe(true);
    // The suite's own operations are absent from this document: removed, and each names its tests.
    const removed = report.changes.find((c) => c.operationId === 'GET-customer-retrieve-customer-profile');
    expect(removed?.kind).toBe('operation-removed');
    expect(removed?.tests).toContain('specs/profile.spec.ts');
  });

  test('exits 1 when the file documents something the suite does not check, 2 on bad input', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/drift.ts', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, EMPORIX_CONTRACT: '2026-08' },
      });
    const out = test.info().outputPath('drift');
    const unchecked = run(`${DATA}base.yml`, '--md', `${out}.md`, '--json', `${out}.json`);
    expect(unchecked.status, unchecked.stderr).toBe(1);
    expect(unchecked.stdout).toContain('| operation added | POST /customer/{tenant}/things (POST-things)');
    expect(unchecked.stdout).toContain('documented, not tested');
    const bad = run(`${DATA}broken-yaml.txt`, '--md', `${out}.md`, '--json', `${out}.json`);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/drift: .*neither JSON nor YAML/);
    expect(run().status).toBe(2);
    expect(run(`${DATA}base.yml`, '--colour').stderr).toMatch(/unknown option --colour/);
  });
});
