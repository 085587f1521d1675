// `npm run test:offline`: the suite's own unit tests (tagged @offline). They need no target and no
// mock, and are kept out of a target run so its summary counts only what the target did.
import { defineConfig } from '@playwright/test';
import { isCI, RUN_SCHEDULE } from './playwright.shared.ts';

export default defineConfig({
  ...RUN_SCHEDULE,
  grep: /@offline/,
  outputDir: 'test-results/offline',
  reporter: [[isCI ? 'line' : 'list'], ['junit', { outputFile: 'reports/junit-offline.xml' }]],
  projects: [{ name: 'offline' }],
});
