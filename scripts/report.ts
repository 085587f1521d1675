// `npm run report`: builds the Allure HTML report of the last run (allure-results/) into
// reports/allure with the Allure 3 command line (configuration: allurerc.mjs), and says where the
// three reports of a run are.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'allure-results');
const output = join(root, 'reports', 'allure');

if (!existsSync(results) || !readdirSync(results).some((f) => f.endsWith('-result.json'))) {
  process.stderr.write('No Allure results in allure-results/: run the suite first (npm run conformance).\n');
  process.exit(1);
}

const run = spawnSync(
  'npx',
  ['allure', 'generate', results, '--config', join(root, 'allurerc.mjs'), '--output', output],
  { cwd: root, stdio: 'inherit' },
);
if (run.status !== 0) {
  process.stderr.write(`allure generate failed (exit code ${run.status ?? 'none'}).\n`);
  process.exit(run.status ?? 1);
}

const where = (path: string): string =>
  existsSync(join(root, path)) ? path : `${path} (not written by the last run)`;
process.stdout.write(
  [
    '',
    `Allure report:      ${where('reports/allure/index.html')}   (npx allure open reports/allure)`,
    `Playwright report:  ${where('reports/playwright-html/index.html')}   (npx playwright show-report reports/playwright-html)`,
    `JUnit XML:          ${where('reports/junit.xml')}`,
    `Conformance report: ${where('reports/conformance.md')}`,
    '',
  ].join('\n'),
);
