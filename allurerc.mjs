// Allure 3 configuration for `npm run report` (scripts/report.ts): the HTML report of allure-results/
// in reports/allure. Categories split failures by kind (the same rules allure-playwright writes to
// categories.json) and group passed tests that carried warnings or an expected deviation, by the
// labels helpers/allure.ts sets. With ALLURE_HISTORY_PATH set (the nightly workflow keeps that file
// between nights), each report adds its run to the history there and shows the trends.
import process from 'node:process';
import { defineConfig } from 'allure';

const failed = ['failed', 'broken'];

export default defineConfig({
  name: 'Emporix Customer Service (customer-managed): conformance',
  output: './reports/allure',
  ...(process.env.ALLURE_HISTORY_PATH ? { historyPath: process.env.ALLURE_HISTORY_PATH } : {}),
  plugins: {
    awesome: {
      options: { singleFile: false, reportLanguage: 'en', groupBy: ['epic', 'feature', 'story'] },
    },
  },
  categories: [
    { name: 'Expired baseline entries', matchers: { statuses: failed, message: /Baseline entry expired/ } },
    {
      name: 'Transport errors (no response, timeouts)',
      matchers: {
        statuses: failed,
        message: /→ no response|Test timeout of|ECONNREFUSED|ECONNRESET|ETIMEDOUT/,
      },
    },
    {
      name: 'Status failures',
      matchers: {
        statuses: failed,
        message: /Expected status:|\[response\.status\.|Expected a status other than/,
      },
    },
    {
      name: 'Schema failures',
      matchers: {
        statuses: failed,
        message: /does not match schema|\[response\.(body|content-type)\.|\[request\.body\./,
      },
    },
    {
      name: 'Expected deviations (baseline)',
      matchers: { statuses: ['passed'], labels: { expectedDeviation: /.+/ } },
      groupBy: [{ label: 'expectedDeviation' }],
    },
    {
      name: 'Warnings by code (advisory findings, and findings the documented profile does not fail)',
      matchers: { statuses: ['passed'], labels: { conformanceWarning: /.+/ } },
      groupBy: [{ label: 'conformanceWarning' }],
    },
  ],
});
