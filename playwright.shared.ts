// What the target run (playwright.config.ts) and the offline run (playwright.offline.config.ts)
// share: where the specs are and how they are scheduled. It imports nothing of the suite, so the
// offline run loads no target settings.
import type { PlaywrightTestConfig } from '@playwright/test';

export const isCI = !!process.env.CI;

export const RUN_SCHEDULE = {
  testDir: 'specs',
  fullyParallel: true,
  forbidOnly: isCI,
  // A flaky test is a defect to fix, not to retry.
  retries: 0,
  workers: 2,
  // Flows of a dozen requests against a real tenant; each request is bounded at 15 s by the client.
  timeout: 60_000,
} satisfies PlaywrightTestConfig;
