// The configuration of the child runs the suite's self-tests start (specs/fixture-errors.spec.ts):
// one spec of this folder, run against a tiny server of the self-test, reported as JSON, JUnit and
// Allure into the folder named by SELF_TEST_OUT. Never part of a normal run: the project's config
// matches no `*.child.ts` file.
import { defineConfig } from '@playwright/test';

const out = process.env.SELF_TEST_OUT ?? 'test-results/self-test';

export default defineConfig({
  testDir: '.',
  testMatch: /\.child\.ts$/,
  outputDir: `${out}/test-results`,
  retries: 0,
  workers: 1,
  timeout: 30_000,
  reporter: [
    ['json', { outputFile: `${out}/report.json` }],
    ['junit', { outputFile: `${out}/junit.xml` }],
    ['allure-playwright', { resultsDir: `${out}/allure-results` }],
  ],
  projects: [{ name: 'self-test child' }],
});
