// Playwright runs the conformance suite: API requests only, no browser. The configuration is checked
// here, before any test runs; against the embedded mock the suite starts the mock itself.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { ALLURE_CATEGORIES, allureEnvironment } from './helpers/allure.ts';
import { BaselineError, loadBaseline } from './helpers/baseline.ts';
import { ConfigError, loadConfig, type Config } from './helpers/config.ts';
import { mayWrite } from './helpers/safety.ts';

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // One line per problem and nothing else: a stack trace would only hide them.
      process.stderr.write(`\n${error.message}\n\n`);
      process.exit(2);
    }
    throw error;
  }
}

const config = configOrExit();

/** The expected-deviation baseline (helpers/baseline.ts), checked before any test: a bad file stops the run. */
function baselineOrExit(c: Config): string | undefined {
  try {
    return loadBaseline(c.tenant)?.file;
  } catch (error) {
    if (error instanceof BaselineError) {
      process.stderr.write(`\n${error.message}\n\n`);
      process.exit(2);
    }
    throw error;
  }
}
const baselineFile = baselineOrExit(config);
const isCI = !!process.env.CI;
/**
 * Against a real tenant without EMPORIX_ALLOW_DESTRUCTIVE=true only @smoke tests are selected, and
 * never one tagged @destructive (helpers/safety.ts also refuses every writing request then).
 */
const readOnlySelection = mayWrite(config) ? {} : { grep: /@smoke/, grepInvert: /@offline|@destructive/ };

/** Quotes a value for the shell that runs the webServer command. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The embedded mock, configured with the suite's tenants, keys and seed customer. */
function mockServerCommand(c: Config): string {
  const flags = [
    `--port ${c.mockPort}`,
    `--host 127.0.0.1`,
    `--tenant ${shellQuote(`${c.tenant},${c.otherTenant}`)}`,
    `--storefront-client-id ${shellQuote(c.storefrontClientId)}`,
    ...(c.employee
      ? [
          `--client-id ${shellQuote(c.employee.clientId)}`,
          `--client-secret ${shellQuote(c.employee.clientSecret)}`,
        ]
      : []),
    ...(c.customer ? [`--seed-customer ${shellQuote(`${c.customer.email}:${c.customer.password}`)}`] : []),
  ];
  // node with tsx's loader directly: `npx tsx` would start three wrapper processes before the mock.
  return `node --import tsx mock/src/cli.ts ${flags.join(' ')}`;
}

export default defineConfig({
  testDir: 'specs',
  fullyParallel: true,
  forbidOnly: isCI,
  // A flaky test is a defect to fix, not to retry.
  retries: 0,
  workers: 2,
  // Flows of a dozen requests against a real tenant; each request is bounded at 15 s by the client.
  timeout: 60_000,
  globalSetup: './specs/setup/global-setup.ts',
  reporter: [
    [isCI ? 'line' : 'list'],
    ['html', { open: 'never', outputFolder: 'reports/playwright-html' }],
    ['junit', { outputFile: 'reports/junit.xml' }],
    [
      'allure-playwright',
      {
        resultsDir: 'allure-results',
        environmentInfo: allureEnvironment({
          baseUrl: config.baseUrl,
          tenant: config.tenant,
          mock: config.target === 'embedded-mock',
          baselineFile,
          projectRoot: fileURLToPath(new URL('.', import.meta.url)),
        }),
        categories: ALLURE_CATEGORIES,
      },
    ],
    // reports/conformance.md and .json, from the exchange records and every test's outcome.
    ['./helpers/conformance-reporter.ts'],
  ],
  use: {
    baseURL: config.baseUrl,
  },
  projects: [
    // One reachability check first, so an unreachable or misconfigured target is one clear failure;
    // its teardown, the sweep, deletes what the run created and left behind (docs/real-tenants.md).
    // One worker: two short checks do not pay for starting a second process. Listed before
    // `offline`, which runs at the same time, so its worker starts first instead of after every
    // offline test.
    {
      name: 'setup',
      testMatch: /setup\/.*\.setup\.ts$/,
      teardown: 'sweep',
      workers: 1,
      ...readOnlySelection,
    },
    // Unit tests of the suite's own helpers: need no server, depend on nothing.
    { name: 'offline', grep: /@offline/ },
    { name: 'sweep', testMatch: /setup\/.*\.teardown\.ts$/ },
    { name: 'conformance', grepInvert: /@offline/, dependencies: ['setup'], ...readOnlySelection },
  ],
  ...(config.target === 'embedded-mock'
    ? {
        webServer: {
          command: mockServerCommand(config),
          // 200 once the mock listens (Playwright counts 2xx, 3xx and 400-403 as up).
          url: `http://127.0.0.1:${config.mockPort}/_mock/${config.tenant}/outbox`,
          reuseExistingServer: !isCI,
          timeout: 30_000,
          stdout: 'ignore',
          stderr: 'pipe',
        },
      }
    : {}),
});
