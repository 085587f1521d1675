// Playwright runs the conformance suite: API requests only, no browser. The configuration is checked
// here, before any test runs; against the embedded mock the suite starts the mock itself.
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { ALLURE_CATEGORIES, allureEnvironment } from './helpers/allure.ts';
import { BaselineError, loadBaseline } from './helpers/baseline.ts';
import { ConfigError, loadConfig, type Config } from './helpers/config.ts';
import { maskUrl } from './helpers/mask.ts';
import { writeStoppedRunReports } from './helpers/run-stopped.ts';
import { maxRpsFrom, RateSettingError } from './helpers/rate-limit.ts';
import {
  configuredCapabilities,
  describePlan,
  planRun,
  readOperationIndex,
  SelectionError,
  selectionSettings,
} from './helpers/selection.ts';
import {
  describeStateless,
  embeddedMockProbe,
  formatUnreachable,
  probeSender,
  probeTarget,
  writeProbe,
  type TargetProbe,
} from './helpers/target-probe.ts';
import {
  describeTransport,
  loadTransportOptions,
  settingsEnv,
  TransportOptionsError,
} from './helpers/transport-options.ts';

const isMainProcess = process.env.TEST_WORKER_INDEX === undefined;

/**
 * Ends a run that cannot start: one message naming what to fix, on the console and in every report
 * (helpers/run-stopped.ts), so no report goes on showing the previous run.
 */
function stopAtStart(message: string, where: { baseUrl: string; tenant: string } | undefined): never {
  process.stderr.write(`\n${message}\n\n`);
  if (isMainProcess) {
    try {
      writeStoppedRunReports({
        reason: message,
        ...(where ? { target: maskUrl(new URL(where.baseUrl).origin), tenant: where.tenant } : {}),
        at: new Date(),
      });
    } catch (error) {
      process.stderr.write(`The reports could not be replaced: ${(error as Error).message}\n`);
    }
  }
  process.exit(2);
}

function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    // One line per problem and nothing else: a stack trace would only hide them.
    if (error instanceof ConfigError) stopAtStart(error.message, undefined);
    throw error;
  }
}

const config = configOrExit();

/** The expected-deviation baseline (helpers/baseline.ts), checked before any test: a bad file stops the run. */
function baselineOrExit(c: Config): string | undefined {
  try {
    return loadBaseline(c.tenant)?.file;
  } catch (error) {
    if (error instanceof BaselineError) stopAtStart(error.message, c);
    throw error;
  }
}
const baselineFile = baselineOrExit(config);
const isCI = !!process.env.CI;

/** Settings other modules check; a bad one stops the run here, one line per problem. */
function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (
      error instanceof TransportOptionsError ||
      error instanceof SelectionError ||
      error instanceof RateSettingError
    )
      stopAtStart(error.message, config);
    throw error;
  }
}
const transport = orExit(() => loadTransportOptions());
orExit(() => maxRpsFrom(settingsEnv())); // EMPORIX_MAX_RPS: each worker reads it again (fixtures/index.ts, `config`)
const settings = orExit(() => selectionSettings());

/**
 * The target probe (helpers/target-probe.ts), made once per run by Playwright's main process, before
 * any test: an unreachable target or a refused credential ends the run here, in seconds, with one
 * message naming the setting. The workers load this file too; they read the main process's result
 * from the environment instead of probing again. The embedded mock is not probed (the suite starts it).
 */
const PROBE_VARIABLE = 'EMPORIX_TARGET_PROBE';
async function probeOnce(): Promise<TargetProbe> {
  const inherited = process.env[PROBE_VARIABLE];
  if (inherited) return JSON.parse(inherited) as TargetProbe;
  const probe =
    config.target === 'embedded-mock'
      ? embeddedMockProbe(config)
      : await probeTarget(config, probeSender(config.requestTimeoutMs, transport));
  process.env[PROBE_VARIABLE] = JSON.stringify(probe);
  return probe;
}
const probe = await probeOnce();
if (isMainProcess && !probe.reachable) {
  writeProbe(probe);
  stopAtStart(formatUnreachable(config.baseUrl, probe.unreachable ?? 'no answer'), config);
}
if (isMainProcess && probe.refused.length > 0) {
  writeProbe(probe);
  stopAtStart(
    `The target refused configured credentials; fix .env or the environment:\n${probe.refused.map((r) => `  - ${r}`).join('\n')}`,
    config,
  );
}

/** What runs and why (helpers/selection.ts): the doctor prints the same plan. */
const plan = planRun(config, configuredCapabilities(config, probe), settings, readOperationIndex());
if (isMainProcess && !process.env.EMPORIX_PLAN_SHOWN) {
  // Once per run, also when Playwright loads the configuration again (e.g. for the webServer).
  process.env.EMPORIX_PLAN_SHOWN = '1';
  const lines = [
    `Target ${maskUrl(config.baseUrl)}, tenant ${config.tenant}${config.target === 'embedded-mock' ? ' (the embedded mock)' : ''}`,
    ...(probe.stateless ? [describeStateless(probe)] : []),
    ...describeTransport(transport),
    ...(config.target === 'embedded-mock' && settings.operations.length === 0
      ? [`Selection: ${plan.mode} (${plan.why})`]
      : describePlan(plan)),
  ];
  process.stderr.write(`${lines.join('\n')}\n\n`);
  writeProbe({ ...probe, selection: `${plan.mode}: ${plan.why}` });
}
const targetTitle = `${maskUrl(config.baseUrl)} · tenant ${config.tenant} · ${plan.mode}${probe.stateless ? ' · stateless target' : ''}`;

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
    [
      'html',
      { open: 'never', outputFolder: 'reports/playwright-html', title: `Conformance: ${targetTitle}` },
    ],
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
  // Shown at the top of the HTML report.
  metadata: {
    target: maskUrl(config.baseUrl),
    tenant: config.tenant,
    selection: `${plan.mode}: ${plan.why}`,
    ...(probe.stateless ? { stateless: probe.signs.join('; ') } : {}),
  },
  use: {
    baseURL: config.baseUrl,
  },
  // Target tests only: the suite's own offline tests are `npm run test:offline`
  // (playwright.offline.config.ts), so a run's summary counts what the target did.
  projects: [
    // The set-up checks every configured credential first, so a wrong URL, tenant, key or password is
    // one clear failure naming the setting; its teardown, the sweep, deletes what the run created and
    // left behind (docs/real-tenants.md). One worker: a few short checks do not pay for a second process.
    {
      name: 'setup',
      testMatch: /setup\/.*\.setup\.ts$/,
      teardown: 'sweep',
      workers: 1,
      ...plan.setup,
    },
    { name: 'sweep', testMatch: /setup\/.*\.teardown\.ts$/ },
    { name: 'conformance', dependencies: ['setup'], ...plan.conformance },
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
