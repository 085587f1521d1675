// Playwright runs the conformance suite: API requests only, no browser. The configuration is checked
// here, before any test runs; against the embedded mock the suite starts the mock itself.
import { defineConfig } from '@playwright/test';
import { allureReporter } from './helpers/allure.ts';
import { reportTarget } from './helpers/conformance-files.ts';
import { loadBaseline } from './helpers/baseline.ts';
import { loadConfig, type Config } from './helpers/config.ts';
import { maskUrl } from './helpers/mask.ts';
import { maxRpsFrom } from './helpers/rate-limit.ts';
import { stopRunAtStart } from './helpers/run-stopped.ts';
import {
  configuredCapabilities,
  describePlan,
  planRun,
  readOperationIndex,
  selectionSettings,
} from './helpers/selection.ts';
import { settingOrExit } from './helpers/startup.ts';
import {
  describeStateless,
  embeddedMockProbe,
  formatUnreachable,
  probeSender,
  probeTarget,
  writeProbe,
  type TargetProbe,
} from './helpers/target-probe.ts';
import { describeTransport, loadTransportOptions, settingsEnv } from './helpers/transport-options.ts';
import { isCI, RUN_SCHEDULE } from './playwright.shared.ts';

const isMainProcess = process.env.TEST_WORKER_INDEX === undefined;
/**
 * Ends a run that cannot start: one message naming what to fix, on the console and, from the main
 * process, in every report (helpers/run-stopped.ts), so no report goes on showing the previous run.
 */
const stopAtStart =
  (where?: { baseUrl: string; tenant: string }) =>
  (message: string): never =>
    stopRunAtStart(message, where, isMainProcess);

// Each setting is checked here, before any test: a bad one stops the run (helpers/startup.ts).
const config = settingOrExit(() => loadConfig(), stopAtStart());
/** The expected-deviation baseline (helpers/baseline.ts): a bad file stops the run. */
const baselineFile = settingOrExit(() => loadBaseline(config.tenant)?.file, stopAtStart(config));
const transport = settingOrExit(() => loadTransportOptions(), stopAtStart(config));
settingOrExit(() => maxRpsFrom(settingsEnv()), stopAtStart(config)); // EMPORIX_MAX_RPS: each worker reads it again (fixtures/index.ts, `config`)
const settings = settingOrExit(() => selectionSettings(), stopAtStart(config));

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
  stopAtStart(config)(formatUnreachable(config.baseUrl, probe.unreachable ?? 'no answer'));
}
if (isMainProcess && probe.refused.length > 0) {
  writeProbe(probe);
  stopAtStart(config)(
    `The target refused configured credentials; fix .env or the environment:\n${probe.refused.map((r) => `  - ${r}`).join('\n')}`,
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
  ...RUN_SCHEDULE,
  globalSetup: './specs/setup/global-setup.ts',
  reporter: [
    [isCI ? 'line' : 'list'],
    [
      'html',
      { open: 'never', outputFolder: 'reports/playwright-html', title: `Conformance: ${targetTitle}` },
    ],
    ['junit', { outputFile: 'reports/junit.xml' }],
    allureReporter(config, reportTarget(config, probe).kind, baselineFile),
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
