// Reporters for `npx playwright merge-reports --config playwright.merge.config.ts <blob folder>`: the
// nightly run's shards each write a blob report; the merge job turns them into the same reports a
// single run writes (Playwright HTML, JUnit, Allure results) plus a JSON report, from which
// `npm run conformance:report -- --results reports/results.json` counts the tests' outcomes.
import { defineConfig } from '@playwright/test';
import { allureReporter } from './helpers/allure.ts';
import { loadBaseline } from './helpers/baseline.ts';
import { loadConfig } from './helpers/config.ts';

const config = loadConfig();

export default defineConfig({
  testDir: 'specs',
  reporter: [
    ['html', { open: 'never', outputFolder: 'reports/playwright-html' }],
    ['junit', { outputFile: 'reports/junit.xml' }],
    ['json', { outputFile: 'reports/results.json' }],
    allureReporter(config, loadBaseline(config.tenant)?.file),
  ],
});
