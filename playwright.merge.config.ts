// Reporters for `npx playwright merge-reports --config playwright.merge.config.ts <blob folder>`: the
// nightly run's shards each write a blob report; the merge job turns them into the same reports a
// single run writes (Playwright HTML, JUnit, Allure results) plus a JSON report, from which
// `npm run conformance:report -- --results reports/results.json` counts the tests' outcomes.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { ALLURE_CATEGORIES, allureEnvironment } from './helpers/allure.ts';
import { loadBaseline } from './helpers/baseline.ts';
import { loadConfig } from './helpers/config.ts';

const config = loadConfig();

export default defineConfig({
  testDir: 'specs',
  reporter: [
    ['html', { open: 'never', outputFolder: 'reports/playwright-html' }],
    ['junit', { outputFile: 'reports/junit.xml' }],
    ['json', { outputFile: 'reports/results.json' }],
    [
      'allure-playwright',
      {
        resultsDir: 'allure-results',
        environmentInfo: allureEnvironment({
          baseUrl: config.baseUrl,
          tenant: config.tenant,
          mock: config.target === 'embedded-mock',
          baselineFile: loadBaseline(config.tenant)?.file,
          projectRoot: fileURLToPath(new URL('.', import.meta.url)),
        }),
        categories: ALLURE_CATEGORIES,
      },
    ],
  ],
});
