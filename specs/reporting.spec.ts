// The reports' own logic, offline: the expected-deviation baseline (format, matching, expiry), the
// conformance report built from sample records, the redaction scanner, and Allure severities.
import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '../fixtures/index.ts';
import { testOutcome } from './data/runs.ts';
import { severityOf } from '../helpers/allure.ts';
import {
  findBaselineProblems,
  isExpired,
  matchDeviation,
  type BaselineEntry,
  type ExchangeFacts,
} from '../helpers/baseline.ts';
import { buildConformanceReport, renderMarkdown, type TestOutcome } from '../helpers/conformance.ts';
import { secretNotes } from '../helpers/mask.ts';
import { notesToCheck, SecretScanner, unzip } from '../helpers/redaction.ts';
import type { ExchangeRecord, RequirementRecord, RunRecord, SkipRecord } from '../helpers/records.ts';
import { firstError } from '../helpers/conformance-reporter.ts';
import { requirementRecordFor } from '../helpers/finding-observers.ts';
import {
  declaredRequirements,
  documentRows,
  registryRows,
  renderRequirementsDoc,
  REQUIREMENTS_DOC,
} from '../helpers/requirements-doc.ts';
import { ADDED_STATUS_BODY_SCHEMA, FIELDS_LISTED, STATUS_DOCUMENTED } from '../helpers/requirements/index.ts';

const STATUS = 'response.status.documented.customer-managed';
const SCHEMA = 'response.body.schema.customer-managed';

const entry = (overrides: Partial<BaselineEntry> = {}): BaselineEntry => ({
  code: STATUS,
  operationId: 'POST-customer-assign-customer-account',
  status: [404, 405],
  deviation: 'status 404 or 405 instead of 201',
  owner: 'qa-team',
  reason: 'removed in the 2026 reference',
  expires: '2026-12-31',
  ...overrides,
});

const facts = (overrides: Partial<ExchangeFacts> = {}): ExchangeFacts => ({
  operationId: 'POST-customer-assign-customer-account',
  status: 404,
  findings: [{ code: STATUS, field: 'status' }],
  test: 'profile › assigns a second login to the profile',
  ...overrides,
});

const JUNE = new Date('2026-06-15T12:00:00Z');

test.describe('expected-deviation baseline @offline', () => {
  test('accepts the shipped example file', () => {
    const example = JSON.parse(
      readFileSync(fileURLToPath(new URL('../baseline/example.json', import.meta.url)), 'utf8'),
    ) as unknown;
    expect(findBaselineProblems(example)).toEqual([]);
  });

  const broken: [string, unknown, RegExp][] = [
    ['an entry without owner', { deviations: [{ ...entry(), owner: undefined }] }, /owner/],
    [
      'an operation the catalog does not know',
      { deviations: [entry({ operationId: 'POST-customer-nope' })] },
      /POST-customer-nope" is not an operation of the catalog/,
    ],
    [
      'a test pattern that is no regular expression',
      { deviations: [entry({ test: '(' })] },
      /not a regular expression/,
    ],
    [
      'an entry without operation',
      { deviations: [{ ...entry(), operationId: undefined }] },
      /must have required property 'operationId'/,
    ],
    [
      'a code the suite does not know',
      { deviations: [entry({ code: 'response.nothing.like-this' })] },
      /code: "response.nothing.like-this" is not a requirement code/,
    ],
    [
      'a date that is not YYYY-MM-DD',
      { deviations: [entry({ expires: '31.12.2026' })] },
      /expires: must match pattern/,
    ],
    [
      'an unknown field',
      { deviations: [{ ...entry(), severity: 'low' }] },
      /additional properties "severity"/,
    ],
  ];
  for (const [what, document, problem] of broken) {
    test(`refuses ${what}, saying where`, () => {
      const problems = findBaselineProblems(JSON.parse(JSON.stringify(document)));
      expect(problems, `problems of ${JSON.stringify(document)}`).toContainEqual(
        expect.stringMatching(problem),
      );
    });
  }

  test('matches an exchange of the listed operation with a listed status', () => {
    const match = matchDeviation({ deviations: [entry()] }, facts(), JUNE);
    expect(match).toMatchObject({ index: 0, expired: false });
    expect(match?.label).toBe(
      `#1 POST-customer-assign-customer-account [${STATUS}]: status 404 or 405 instead of 201`,
    );
  });

  test('does not match another status, another operation, or a test outside the pattern', () => {
    const baseline = { deviations: [entry({ test: '^profile › assigns' })] };
    expect(matchDeviation(baseline, facts({ status: 201 }), JUNE)).toBeUndefined();
    expect(
      matchDeviation(baseline, facts({ operationId: 'GET-customer-retrieve-customer-profile' }), JUNE),
    ).toBeUndefined();
    expect(
      matchDeviation(baseline, facts({ test: 'security › refuses a foreign token' }), JUNE),
    ).toBeUndefined();
    expect(matchDeviation(baseline, facts(), JUNE)).toBeDefined();
  });

  test('matches a schema deviation by code and field, not by message text', () => {
    const baseline = {
      deviations: [
        entry({
          code: SCHEMA,
          operationId: 'GET-customer-retrieve-customer-profile',
          status: undefined,
          field: '/addresses/*/contactDetails',
        }),
      ],
    };
    const at = (field: string, code = SCHEMA) =>
      facts({
        operationId: 'GET-customer-retrieve-customer-profile',
        status: 200,
        findings: [{ code, field }],
      });
    expect(matchDeviation(baseline, at('/addresses/1/contactDetails'), JUNE)).toBeDefined();
    expect(matchDeviation(baseline, at('/addresses/1/contactDetails/email'), JUNE)).toBeDefined();
    expect(matchDeviation(baseline, at('/addresses/1/street'), JUNE)).toBeUndefined();
    expect(matchDeviation(baseline, at('/addresses'), JUNE)).toBeUndefined();
    expect(matchDeviation(baseline, at('/addresses/1/contactDetails', STATUS), JUNE)).toBeUndefined();
  });

  test('refuses an old-style entry, saying exactly what it must become', () => {
    const oldStyle = {
      deviations: [
        {
          operationId: 'GET-customer-retrieve-customer-profile',
          test: 'expand',
          problem: '/addresses/\\d+/contactDetails',
          deviation: 'expanded addresses lack contactDetails',
          owner: 'qa-team',
          reason: 'example',
          expires: '2026-03-31',
        },
        {
          operationId: 'POST-customer-assign-customer-account',
          status: [404, 405],
          deviation: 'gone',
          owner: 'qa-team',
          reason: 'example',
          expires: '2026-12-31',
        },
      ],
    };
    const problems = findBaselineProblems(oldStyle);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain(
      '/deviations/0: an old-style entry (it matches message text with "problem")',
    );
    expect(problems[0]).toContain(
      `Write it as: {"code":"${SCHEMA}","operationId":"GET-customer-retrieve-customer-profile",` +
        '"field":"/addresses/*/contactDetails","test":"expand",',
    );
    expect(problems[1]).toContain(
      `/deviations/1: an old-style entry (it matches no finding code); entries now match`,
    );
    expect(problems[1]).toContain(
      `Write it as: {"code":"${STATUS}","operationId":"POST-customer-assign-customer-account","status":[404,405],`,
    );
    // What it says to write is itself a valid entry.
    const migrated = problems.map((p) => JSON.parse(p.slice(p.indexOf('Write it as: ') + 13)) as unknown);
    expect(findBaselineProblems({ deviations: migrated })).toEqual([]);
  });

  test('counts the expiry day as accepted and the day after as expired', () => {
    expect(isExpired({ expires: '2026-06-15' }, new Date('2026-06-15T23:59:59Z'))).toBe(false);
    expect(isExpired({ expires: '2026-06-15' }, new Date('2026-06-16T00:00:00Z'))).toBe(true);
  });

  test('reports an expired entry as expired, and prefers a current entry that also matches', () => {
    const expired = entry({ expires: '2026-01-31' });
    expect(matchDeviation({ deviations: [expired] }, facts(), JUNE)).toMatchObject({ expired: true });
    const both = matchDeviation({ deviations: [expired, entry({ owner: 'renewed' })] }, facts(), JUNE);
    expect(both).toMatchObject({ index: 1, expired: false });
  });
});

const base = {
  durationMs: 5,
  file: 'specs/profile.spec.ts',
  project: 'conformance',
  at: '2026-06-15T12:00:00Z',
};

function exchange(overrides: Partial<ExchangeRecord> & Record<string, unknown>): ExchangeRecord {
  return {
    kind: 'exchange',
    operationId: 'GET-customer-retrieve-customer-profile',
    method: 'GET',
    path: '/customer/{tenant}/me',
    status: 200,
    documented: true,
    schemaId: 'https://schemas.emporix-conformance.dev/me-profile.json',
    valid: true,
    undocumented: [],
    problems: [],
    test: 'profile › reads the profile',
    ...base,
    ...overrides,
  } as ExchangeRecord;
}

const skip = (test: string, reason: string, file = 'specs/addresses.spec.ts'): SkipRecord => ({
  kind: 'skip',
  reason,
  by: 'newCustomer',
  test,
  ...base,
  file,
});

const outcome = testOutcome;

const target = { url: 'https://api.example.com', tenant: 'shop1', kind: 'real tenant' };

test.describe('conformance report @offline', () => {
  test('says NOT A PASS when no operation was exercised', () => {
    const report = buildConformanceReport({
      records: [skip('addresses › adds an address', 'no employee credentials')],
      tests: [outcome('addresses › adds an address', 'skipped', 'specs/addresses.spec.ts')],
      target,
    });
    expect(report.verdict.pass).toBe(false);
    const markdown = renderMarkdown(report);
    expect(markdown.split('\n').slice(0, 4).join('\n')).toContain('NOT A PASS');
    expect(markdown).toContain('no operation of the contract was exercised');
  });

  test('says NOT A PASS when most tests were skipped, although what ran conformed', () => {
    const records: RunRecord[] = [
      exchange({}),
      skip('addresses › adds an address', 'no employee credentials'),
      skip('addresses › lists addresses', 'no employee credentials'),
    ];
    const tests = [
      outcome('profile › reads the profile', 'passed'),
      outcome('addresses › adds an address', 'skipped', 'specs/addresses.spec.ts'),
      outcome('addresses › lists addresses', 'skipped', 'specs/addresses.spec.ts'),
    ];
    const report = buildConformanceReport({ records, tests, target });
    expect(report.verdict).toMatchObject({ pass: false, reasons: ['2 of 3 tests were skipped'] });
    expect(report.skipsByReason).toEqual([
      { reason: 'no employee credentials', count: 2, files: ['specs/addresses.spec.ts'] },
    ]);
    // The skipped file's chapter had nothing exercised: its operations count the skips.
    const add = report.operations.find((o) => o.id === 'POST-customer-add-address');
    expect(add?.tests.skipped).toBe(2);
    expect(add?.skipReasons).toEqual({ 'no employee credentials': 2 });
  });

  test('lists statuses exercised, documented statuses never provoked, schemas and undocumented fields', () => {
    const records = [
      exchange({ undocumented: ['/loyaltyPoints'] }),
      exchange({
        status: 401,
        schemaId: 'https://schemas.emporix-conformance.dev/fault.json',
        test: 'profile › refuses',
      }),
    ];
    const report = buildConformanceReport({
      records,
      tests: [outcome('profile › reads the profile', 'passed'), outcome('profile › refuses', 'passed')],
      target,
    });
    const me = report.operations.find((o) => o.id === 'GET-customer-retrieve-customer-profile');
    expect(me).toMatchObject({
      statusesSeen: { '200': 1, '401': 1 },
      neverProvoked: [400, 403],
      undocumentedFields: { '/loyaltyPoints': 1 },
      tests: { passed: 2, failed: 0 },
    });
    expect(me?.schemas).toHaveLength(2);
    expect(renderMarkdown(report)).toContain('`/loyaltyPoints` (1×)');
    expect(report.testOnly.map((o) => o.id)).toContain('GET-mock-outbox');
    expect(report.operations.map((o) => o.id)).not.toContain('GET-mock-outbox');
  });

  test('counts an exchange off the contract and fails the verdict, quoting the problem', () => {
    const problem =
      '[response.status.documented.customer-managed, R] GET /customer/{tenant}/me (GET-customer-retrieve-customer-profile): status: expected one of 200, 400, 401, 403, received 500; body: (empty body)';
    const report = buildConformanceReport({
      records: [exchange({ status: 500, documented: false, problems: [problem] })],
      target,
    });
    expect(report.verdict.pass).toBe(false);
    expect(report.totals).toMatchObject({ exchanges: 1, exchangesConforming: 0 });
    expect(renderMarkdown(report)).toContain(problem);
  });

  test('reports each baseline entry as seen, no longer needed, or not checked', () => {
    const deviations = [
      entry({ operationId: 'GET-customer-retrieve-customer-profile', status: 404 }),
      entry({ operationId: 'GET-customer-retrieve-customer-profile', status: 500 }),
      entry({ operationId: 'DELETE-customer-remove-customer-profile', status: 404 }),
    ];
    const records = [
      exchange({}),
      exchange({
        status: 404,
        deviation: { file: 'baseline/shop1.json', entry: 0, label: '#1', expired: false },
      }),
    ];
    const report = buildConformanceReport({
      records,
      baseline: { file: 'baseline/shop1.json', deviations },
      target,
      now: JUNE,
    });
    expect(report.baseline?.entries.map((e) => e.state)).toEqual(['seen', 'not-needed', 'not-checked']);
    expect(report.totals.exchangesExpectedDeviation).toBe(1);
    expect(renderMarkdown(report)).toContain('baseline entry no longer needed');
  });
});

const requirementRecord = (
  code: string,
  event: RequirementRecord['event'],
  testTitle: string,
  example?: string,
): RequirementRecord => ({
  kind: 'requirement',
  code,
  event,
  ...(example ? { example } : {}),
  test: testTitle,
  ...base,
});

test.describe('conformance report by requirement @offline', () => {
  const advisory = FIELDS_LISTED['customer-managed'];
  const documented = STATUS_DOCUMENTED['customer-managed'];
  const ownReading = ADDED_STATUS_BODY_SCHEMA;
  const requirements = [documented, advisory, ownReading, STATUS_DOCUMENTED['tenant-managed']];

  const build = (
    records: RunRecord[],
    tests: TestOutcome[] = [],
    profile: 'strict' | 'documented' = 'documented',
  ) => buildConformanceReport({ records, tests, target, requirements, profile, contract: '2025-12' });

  test('counts per requirement the tests that passed, failed, warned, and says which were not run', () => {
    const report = build([
      requirementRecord(documented.code, 'checked', 'profile › a'),
      requirementRecord(documented.code, 'checked', 'profile › b'),
      requirementRecord(documented.code, 'fail', 'profile › b', 'boom'),
      requirementRecord(ownReading.code, 'checked', 'profile › a'),
      requirementRecord(ownReading.code, 'warn', 'profile › a', 'B finding'),
    ]);
    const row = (code: string) => report.requirements.find((r) => r.code === code);
    expect(row(documented.code)).toMatchObject({
      source: 'R',
      severity: 'fail',
      passed: 1,
      failed: 1,
      warned: 0,
    });
    expect(row(ownReading.code)).toMatchObject({ source: 'B', severity: 'warn', passed: 0, warned: 1 });
    expect(row(advisory.code)).toMatchObject({ severity: 'warn', notRun: true });
    expect(row(STATUS_DOCUMENTED['tenant-managed'].code)).toMatchObject({ notRun: true });
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('2 of 4 requirements checked in this run, weighed by the documented profile');
    expect(markdown).toContain(`| \`${documented.code}\` | R | fail | 1 | 1 | 0 | ❌ failed |`);
    expect(markdown).toContain(`| \`${advisory.code}\` | R | warn | 0 | 0 | 0 | not run |`);
  });

  test('weighs a requirement of the project reading as a failure in the strict profile', () => {
    const report = build([], [], 'strict');
    expect(report.requirements.find((r) => r.code === ownReading.code)?.severity).toBe('fail');
    expect(report.requirements.find((r) => r.code === advisory.code)?.severity).toBe('warn');
  });

  test('gives a section per warning code, with its count and first examples', () => {
    const report = build([
      requirementRecord(advisory.code, 'warn', 'profile › a', 'extra /loyaltyPoints'),
      requirementRecord(advisory.code, 'warn', 'profile › b', 'extra /tier'),
      requirementRecord(ownReading.code, 'warn', 'profile › a', 'B finding'),
    ]);
    expect(report.warnings).toEqual([
      { code: advisory.code, source: 'R', tests: 2, examples: ['extra /loyaltyPoints', 'extra /tier'] },
      { code: ownReading.code, source: 'B', tests: 1, examples: ['B finding'] },
    ]);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain(`### \`${advisory.code}\` (R): 2 tests`);
    expect(markdown).toContain('- extra /tier');
  });

  test('says in one line how many target tests passed and failed, the warnings, the profile and contract', () => {
    const report = build(
      [requirementRecord(advisory.code, 'warn', 'profile › a', 'x')],
      [
        outcome('profile › a', 'passed'),
        outcome('profile › b', 'failed'),
        { ...outcome('findings › unit', 'passed'), project: 'offline' },
      ],
    );
    expect(report.summary).toBe('1 passed, 1 failed, 1 warning (profile documented, contract 2025-12)');
    expect(renderMarkdown(report)).toContain(
      '**1 passed, 1 failed, 1 warning (profile documented, contract 2025-12)**',
    );
  });

  test('lists the failed tests with their first error line and the code of a finding', () => {
    const error = firstError({
      errors: [
        {
          message:
            '\u001b[31m[response.body.schema.customer-managed, R] GET /customer/{tenant}/me → 200: /id: expected …\u001b[39m\n  (customer-managed reference: …)',
        },
      ],
    });
    expect(error).toEqual({
      error: '[response.body.schema.customer-managed, R] GET /customer/{tenant}/me → 200: /id: expected …',
      code: 'response.body.schema.customer-managed',
    });
    const report = build([], [{ ...outcome('profile › b', 'failed'), ...error }]);
    expect(report.failedTests).toEqual([
      {
        title: 'profile › b',
        file: 'specs/profile.spec.ts',
        project: 'conformance',
        error: error.error,
        code: 'response.body.schema.customer-managed',
      },
    ]);
    expect(renderMarkdown(report)).toContain('## Failed tests');
    expect(firstError({ errors: [{ message: 'Error: expected 201, received 400\nmore' }] })).toEqual({
      error: 'Error: expected 201, received 400',
    });
  });

  test('marks an operation off contract only when one of its exchanges was', () => {
    const report = build(
      [exchange({ calledBy: 'spec' })],
      [outcome('profile › reads the profile', 'failed')],
    );
    const markdown = renderMarkdown(report);
    expect(markdown).not.toContain('❌ off contract');
    expect(markdown).toContain('⚠ tests failed, exchanges conform');
  });

  test("writes one requirement record per test, code and event, and none for the suite's own unit tests", () => {
    const seen = new Set<string>();
    const info = {
      titlePath: ['', 'profile', 'reads'],
      file: fileURLToPath(import.meta.url),
      project: { name: 'conformance' },
      tags: [],
    };
    const event = { kind: 'checked', code: documented.code } as const;
    expect(requirementRecordFor(event, info, seen)).toMatchObject({
      code: documented.code,
      event: 'checked',
      test: 'profile › reads',
    });
    expect(requirementRecordFor(event, info, seen)).toBeUndefined();
    expect(requirementRecordFor(event, { ...info, tags: ['@offline'] }, new Set())).toBeUndefined();
  });
});

test.describe('requirements catalogue @offline', () => {
  test('docs/requirements.md states every registered code with its source and severity per profile', async () => {
    const declared = await declaredRequirements();
    expect(declared.length).toBeGreaterThan(0);
    expect(
      documentRows(readFileSync(REQUIREMENTS_DOC, 'utf8')),
      'docs/requirements.md is stale: run npm run requirements',
    ).toEqual(registryRows(declared));
  });

  test('renders a section per requirement with its reference, severities and where it is checked', async () => {
    const declared = await declaredRequirements();
    const markdown = renderRequirementsDoc(declared);
    const status = declared.find((d) => d.requirement.code === 'response.status.documented.tenant-managed');
    expect(status?.constant).toBe("STATUS_DOCUMENTED['tenant-managed']");
    expect(markdown).toContain('### `response.status.documented.tenant-managed`');
    expect(markdown).toContain('- Source: TM (tenant-managed reference): TM: ');
    expect(markdown).toContain('`helpers/api-client.ts (every exchange of every test)`');
    expect(markdown).toContain('- Severity: strict warn, documented warn (advisory)');
    expect(documentRows(markdown)).toEqual(registryRows(declared));
  });
});

/** A one-entry zip archive, deflated, as Playwright's HTML report embeds its data. */
function zipOf(name: string, text: string): Buffer {
  const data = deflateRawSync(Buffer.from(text));
  const nameBytes = Buffer.from(name);
  // The local and the central header carry the same fields; the central one's start two bytes later.
  const header = (size: number, signature: number, shift: number): Buffer => {
    const bytes = Buffer.alloc(size);
    bytes.writeUInt32LE(signature, 0);
    bytes.writeUInt16LE(8, 8 + shift); // deflate
    bytes.writeUInt32LE(data.length, 18 + shift);
    bytes.writeUInt32LE(text.length, 22 + shift);
    bytes.writeUInt16LE(nameBytes.length, 26 + shift);
    return bytes;
  };
  const local = header(30, 0x04034b50, 0);
  const central = header(46, 0x02014b50, 2);
  central.writeUInt32LE(0, 42); // the local header's offset
  const centralAt = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
}

test.describe('redaction scanner @offline', () => {
  const token = 'Zq8xR2vLw0pTn5Ys3Kd7';
  const password = 'S3cret pass/word!';
  const scanner = new SecretScanner([...secretNotes(token, 'tok'), ...secretNotes(password, 'pwd')]);

  test('finds a secret in plain text and shows only its fingerprint', () => {
    const findings = scanner.scanText(`{"access_token":"${token}","ok":true}`, 'a.json');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ where: 'a.json', cls: 'tok', offset: 17 });
    expect(findings[0]?.excerpt).not.toContain(token);
    expect(findings[0]?.excerpt).toMatch(/"access_token":"tok#[0-9a-f]{4}"/);
  });

  test('finds a password URI-encoded in a URL and JSON-escaped nowhere else', () => {
    const url = `https://x/y?password=${encodeURIComponent(password)}`;
    expect(scanner.scanText(url, 'url')).toHaveLength(1);
    expect(scanner.scanText('password=S3cret', 'partial')).toHaveLength(0);
  });

  test('finds a secret inside a zip archive embedded as base64 in an HTML page', () => {
    const zip = zipOf('report.json', JSON.stringify({ title: `GET /logout?accessToken=${token}` }));
    expect(unzip(zip).map((e) => e.name)).toEqual(['report.json']);
    const html = `<script id="playwrightReportBase64">data:application/zip;base64,${zip.toString('base64')}</script>`;
    const findings = scanner.scanBytes(Buffer.from(html), 'index.html');
    expect(findings.map((f) => f.where)).toEqual([
      expect.stringMatching(/^index\.html!base64@\d+!report\.json$/),
    ]);
  });

  test('finds nothing in masked text', () => {
    expect(scanner.scanText('{"access_token":"tok#a1b2","password":"pwd#c3d4"}', 'masked.json')).toEqual([]);
  });

  test('does not look for made-up values spelled out in specs, but always for configured credentials', () => {
    const madeUp = 'never-issued-token-value';
    const configured = secretNotes('configured-secret-1', 'sec');
    const noted = [...secretNotes(token, 'tok'), ...secretNotes(madeUp, 'tok'), ...configured];
    const { notes, exempt } = notesToCheck(
      noted,
      [`const t = '${madeUp}'; const c = 'configured-secret-1';`],
      configured,
    );
    const kept = new SecretScanner(notes);
    expect(exempt).toBeGreaterThan(0);
    expect(kept.scanText(madeUp, 'x')).toEqual([]);
    expect(kept.scanText(token, 'x')).toHaveLength(1);
    expect(kept.scanText('configured-secret-1', 'x')).toHaveLength(1);
  });
});

test.describe('allure labels @offline', () => {
  test('rates @smoke a blocker, @security critical, the rest normal', () => {
    expect(severityOf(['@smoke', '@security'])).toBe('blocker');
    expect(severityOf(['@security'])).toBe('critical');
    expect(severityOf(['@destructive'])).toBe('normal');
    expect(severityOf(['@offline'])).toBe('minor');
  });
});
