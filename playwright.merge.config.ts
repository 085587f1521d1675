// Reporters for `npx playwright merge-reports --config playwright.merge.config.ts <blob folder>`: the
// nightly run's shards each write a blob report; the merge job turns them into the same reports a
// single run writes (Playwright HTML, JUnit, Allure results) plus a JSON report, from which
// `npm run conformance:report -- --results reports/results.json` counts the tests' outcomes.
import { defineConfig } from '@playwright/test';
import { allureReporter } from './helpers/allure.ts';
import { loadBaseline } from './helpers/baseline.ts';
import { loadConfig } from './helpers/config.ts';
import { reportTarget } from './helpers/conformance-files.ts';
import { probeOfTarget } from './helpers/target-probe.ts';

const config = loadConfig();

export default defineConfig({
  testDir: 'specs',
  reporter: [
    ['html', { open: 'never', outputFolder: 'reports/playwright-html' }],
    ['junit', { outputFile: 'reports/junit.xml' }],
    ['json', { outputFile: 'reports/results.json' }],
    allureReporter(
      config,
      reportTarget(config, probeOfTarget(config)).kind,
      loadBaseline(config.tenant)?.file,
    ),
  ],
});
