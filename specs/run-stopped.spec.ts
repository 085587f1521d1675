// A run that stops before its first test replaces every report of the previous run by one that says
// it stopped and why (helpers/run-stopped.ts). Needs no target (@offline).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../fixtures/index.ts';
import { STOPPED_HEADLINE, writeStoppedRunReports, type ReportPlaces } from '../helpers/run-stopped.ts';

const REASON =
  'The target refused configured credentials; fix .env or the environment:\n' +
  '  - the existing customer c@example.com cannot log in (HTTP 401): check EMPORIX_CUSTOMER_PASSWORD';

test.describe('a run stopped at the start @offline', () => {
  let places: ReportPlaces;
  let root: string;

  test.beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'stopped-'));
    places = { reportsDir: join(root, 'reports'), allureResultsDir: join(root, 'allure-results') };
    // What the previous run left: a green report in every format.
    mkdirSync(join(places.reportsDir, 'playwright-html', 'data'), { recursive: true });
    writeFileSync(
      join(places.reportsDir, 'conformance.md'),
      '> ✅ Every exchange conformed and every test passed.',
    );
    writeFileSync(join(places.reportsDir, 'conformance.json'), '{"verdict":{"pass":true,"reasons":[]}}');
    writeFileSync(join(places.reportsDir, 'junit.xml'), '<testsuites tests="574" failures="0"></testsuites>');
    writeFileSync(join(places.reportsDir, 'playwright-html', 'data', 'old.zip'), 'old');
    mkdirSync(places.allureResultsDir, { recursive: true });
    writeFileSync(join(places.allureResultsDir, 'old-result.json'), '{"status":"passed"}');
  });

  test.afterEach(() => rmSync(root, { recursive: true, force: true }));

  const stop = { reason: REASON, target: 'https://api.example.com', tenant: 'shop', at: new Date(0) };

  test('says in conformance.md that no test ran, why, and which setting to fix', () => {
    writeStoppedRunReports(stop, places);
    const markdown = readFileSync(join(places.reportsDir, 'conformance.md'), 'utf8');
    expect(markdown).toContain(STOPPED_HEADLINE);
    expect(markdown).toContain('EMPORIX_CUSTOMER_PASSWORD');
    expect(markdown).toContain('target https://api.example.com, tenant shop');
    expect(markdown).not.toContain('Every exchange conformed');
  });

  test('gives the nightly verdict a failing conformance.json with the first line as its reason', () => {
    writeStoppedRunReports(stop, places);
    const json = JSON.parse(readFileSync(join(places.reportsDir, 'conformance.json'), 'utf8')) as {
      verdict: { pass: boolean; reasons: string[] };
    };
    expect(json.verdict).toMatchObject({
      pass: false,
      reasons: ['The target refused configured credentials; fix .env or the environment:'],
    });
  });

  test('replaces JUnit by one failed set-up case carrying the whole message', () => {
    writeStoppedRunReports(stop, places);
    const junit = readFileSync(join(places.reportsDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('tests="1" failures="1"');
    expect(junit).toMatch(
      /<failure message="The target refused configured credentials; fix .env or the environment:"/,
    );
    expect(junit).toContain('check EMPORIX_CUSTOMER_PASSWORD');
    expect(junit).not.toContain('574');
  });

  test('replaces the HTML report and the Allure results of the previous run', () => {
    writeStoppedRunReports(stop, places);
    expect(existsSync(join(places.reportsDir, 'playwright-html', 'data', 'old.zip'))).toBe(false);
    expect(readFileSync(join(places.reportsDir, 'playwright-html', 'index.html'), 'utf8')).toContain(
      'EMPORIX_CUSTOMER_PASSWORD',
    );
    const results = readdirSync(places.allureResultsDir);
    expect(results).toHaveLength(1);
    const result = JSON.parse(readFileSync(join(places.allureResultsDir, results[0] ?? ''), 'utf8')) as {
      status: string;
      statusDetails: { message: string };
    };
    expect(result.status).toBe('broken');
    expect(result.statusDetails.message).toBe(REASON);
  });

  test('says the target is unknown when the settings themselves could not be read', () => {
    writeStoppedRunReports({ reason: 'EMPORIX_API_URL is not a URL: "nope"', at: new Date(0) }, places);
    const markdown = readFileSync(join(places.reportsDir, 'conformance.md'), 'utf8');
    expect(markdown).toContain('target unknown (the settings could not be read)');
    expect(markdown).toContain('EMPORIX_API_URL is not a URL');
  });

  test('escapes markup in the message so JUnit stays well-formed', () => {
    writeStoppedRunReports({ ...stop, reason: 'answered <html> & "quotes" ]]> end' }, places);
    const junit = readFileSync(join(places.reportsDir, 'junit.xml'), 'utf8');
    expect(junit).toContain('message="answered &lt;html&gt; &amp; &quot;quotes&quot; ]]&gt; end"');
    // The body is character data: markup stays as it is, and a `]]>` in it cannot end the section.
    expect(junit).toContain('<![CDATA[answered <html> & "quotes" ]]]]><![CDATA[> end');
  });
});
