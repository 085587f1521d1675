// Exploration: random lifecycles of several customers, held to the model (helpers/model/state.ts)
// command by command, seeded and reproducible. A failing sequence is shrunk by fast-check to the
// shortest one that still fails, replayed once more, and told as a story: the steps in order, what
// the model expected and what came, the seed and the command that replays it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { ApiClient } from '../api-client.ts';
import type { Config } from '../config.ts';
import { check, enforce, type Finding } from '../findings.ts';
import { signupBody } from '../data.ts';
import type { Mailbox } from '../mailbox.ts';
import { maskText } from '../mask.ts';
import { MODEL_ACTIVATION, MODEL_CREDENTIALS } from '../requirements/index.ts';
import { addToken, commandArbitraries } from './commands.ts';
import { runPlanArb, type Model, type ModelCustomer, type RunPlan } from './state.ts';
import { BudgetSpent, Story, System, type Budget, type StepRunner, type StoryStep } from './system.ts';
import { checkSessionKept, expectStatus, label, readValidation, record } from './verify.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const EXPLORE_REPORTS = join(PROJECT_ROOT, 'reports', 'explore');

// ---- settings ----

export interface ExploreSettings {
  /** Sequences to try (each with fresh customers). */
  runs: number;
  seed: number;
  /** Requests the search may send; no sequence starts or goes on once they are spent. */
  maxRequests: number;
  /** Requests the shrinking of a failure may send on top. */
  maxShrinkRequests: number;
  /** Commands per sequence, at most. */
  maxCommands: number;
  /** Wall-clock limit of the search (the shrinking gets the same again). */
  timeLimitSeconds: number;
  /** Replays one case: fast-check's counterexample path (with the seed) and the commands' replay path. */
  path?: string;
  replayPath?: string;
}

/** What `npm test` explores when nothing is set: a few seconds on the embedded mock. */
export const DEFAULT_SETTINGS: Omit<ExploreSettings, 'seed'> = {
  runs: 8,
  maxRequests: 3000,
  maxShrinkRequests: 3000,
  maxCommands: 25,
  timeLimitSeconds: 120,
};

/**
 * The seed when none is given: `npm test` explores the same sequences every time, so the suite and its
 * kill matrix never depend on luck; `npm run explore` draws a new seed for each run unless told one.
 */
export const DEFAULT_SEED = 1;

export const SETTING_VARIABLES = {
  runs: 'EXPLORE_RUNS',
  seed: 'EXPLORE_SEED',
  maxRequests: 'EXPLORE_MAX_REQUESTS',
  maxShrinkRequests: 'EXPLORE_MAX_SHRINK_REQUESTS',
  maxCommands: 'EXPLORE_MAX_COMMANDS',
  timeLimitSeconds: 'EXPLORE_TIME_LIMIT_SECONDS',
  path: 'EXPLORE_PATH',
  replayPath: 'EXPLORE_REPLAY_PATH',
} as const;

const LIMITS: Record<
  'runs' | 'maxRequests' | 'maxShrinkRequests' | 'maxCommands' | 'timeLimitSeconds',
  [number, number]
> = {
  runs: [1, 100_000],
  maxRequests: [50, 10_000_000],
  maxShrinkRequests: [0, 10_000_000],
  maxCommands: [1, 200],
  timeLimitSeconds: [1, 86_400],
};

/** Reads EXPLORE_* (set by `npm run explore`); every problem is named, one per line. */
export function settingsFromEnv(env: Record<string, string | undefined>): ExploreSettings {
  const problems: string[] = [];
  const integer = (key: keyof typeof LIMITS): number => {
    const variable = SETTING_VARIABLES[key];
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') return DEFAULT_SETTINGS[key];
    const [min, max] = LIMITS[key];
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${variable}="${raw}" must be an integer from ${min} to ${max}`);
      return DEFAULT_SETTINGS[key];
    }
    return value;
  };
  const settings: ExploreSettings = {
    runs: integer('runs'),
    maxRequests: integer('maxRequests'),
    maxShrinkRequests: integer('maxShrinkRequests'),
    maxCommands: integer('maxCommands'),
    timeLimitSeconds: integer('timeLimitSeconds'),
    seed: DEFAULT_SEED,
  };
  const rawSeed = env[SETTING_VARIABLES.seed]?.trim();
  if (rawSeed !== undefined && rawSeed !== '') {
    if (!/^-?\d+$/.test(rawSeed) || Math.abs(Number(rawSeed)) > 2 ** 31)
      problems.push(`${SETTING_VARIABLES.seed}="${rawSeed}" must be an integer between -2^31 and 2^31`);
    else settings.seed = Number(rawSeed);
  }
  settings.seed |= 0;
  const path = env[SETTING_VARIABLES.path]?.trim();
  if (path) {
    if (!/^\d+(:\d+)*$/.test(path))
      problems.push(`${SETTING_VARIABLES.path}="${path}" must look like 3:0:1 (from a report)`);
    else if (rawSeed === undefined || rawSeed === '')
      problems.push(`${SETTING_VARIABLES.path} needs ${SETTING_VARIABLES.seed} too`);
    settings.path = path;
  }
  const replayPath = env[SETTING_VARIABLES.replayPath]?.trim();
  if (replayPath) {
    if (!/^[A-Za-z0-9+/=_-]+$/.test(replayPath))
      problems.push(`${SETTING_VARIABLES.replayPath}="${replayPath}" is not a replay path`);
    settings.replayPath = replayPath;
  }
  if (problems.length > 0)
    throw new Error(`Invalid exploration settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return settings;
}

// ---- one sequence ----

/** Requests the set-up and the clean-up of one sequence may take. */
const SETUP_REQUESTS = 27;

function emptyModel(): Model {
  return { customers: [], sessions: [], tokens: [], tokenCount: 0 };
}

/** Two anonymous sessions; three customers signed up, refused before activation, activated and logged in. */
async function setUp(plan: RunPlan, model: Model, sys: System): Promise<void> {
  const begin = async (text: string, body: () => Promise<Finding[]>) => {
    sys.story.begin(text);
    const findings = await sys.step(text, body);
    sys.note(findings);
    enforce(findings);
  };
  for (let i = 0; i < plan.sessions; i++) {
    await begin(`session S${i + 1} starts with an anonymous token`, async () => {
      const response = await sys.call('GET-oauth-generate-anonymous-access-token', {
        query: { tenant: sys.config.tenant, client_id: sys.config.storefrontClientId },
      });
      const findings = expectStatus(response, 200, 'the configured storefront client');
      const body = record(response.body);
      model.sessions.push({
        label: `S${i + 1}`,
        accessToken: String(body.access_token),
        sessionId: String(body.sessionId),
      });
      return findings;
    });
  }
  for (const [index, plan_] of plan.customers.entries()) {
    const label_ = `C${index + 1}`;
    const session = model.sessions[plan_.session % model.sessions.length]!;
    const activation = plan_.activation === 'opt-in' && sys.mailbox ? 'opt-in' : 'employee';
    const withAddress = plan_.address !== null;
    let customer: ModelCustomer | undefined;
    const base = signupBody(sys.config.emailTemplate);
    await begin(
      `${label_} signs up${withAddress ? ' with an address' : ''} on session ${session.label}, is refused before activation, is activated ${activation === 'opt-in' ? 'with the emailed opt-in token' : 'by the employee'}, logs in on ${session.label} and validates its token`,
      async () => {
        const email = base.email;
        const password = base.password;
        const details = { ...plan_.profile, contactEmail: email, preferredCurrency: 'EUR' };
        const signedUpAt = new Date(Date.now() - 1000);
        const signup = await sys.call('POST-customer-create-customer-account', {
          body: {
            email,
            password,
            customerDetails: details,
            ...(plan_.address
              ? { customerAddress: { ...plan_.address.fields, tags: plan_.address.tags } }
              : {}),
          },
          token: session.accessToken,
        });
        const findings = expectStatus(signup, 201, 'a fresh customer');
        if (findings.length > 0) return findings;
        const customerNumber = String(record(signup.body).id);
        sys.created.push(customerNumber);
        customer = {
          label: label_,
          customerNumber,
          login: { email, password },
          extraLogins: [],
          profile: details,
          version: 1,
          versionExact: false,
          addresses: [],
          defaultId: null,
          addressCount: 0,
        };
        model.customers.push(customer);
        const early = await sys.call('POST-customer-authenticate-customer', {
          body: { email, password },
          token: session.accessToken,
        });
        findings.push(...expectStatus(early, 401, 'the customer is not activated yet', MODEL_ACTIVATION));
        if (activation === 'opt-in') {
          const token = await sys.emailed(email, 'opt-in', signedUpAt);
          const optin = await sys.call('GET-customer-signup-customer-optin', {
            path: { token },
            token: session.accessToken,
          });
          findings.push(...expectStatus(optin, 200, 'the emailed opt-in token', MODEL_ACTIVATION));
          if (findings.length > 0) return findings;
          addToken(model, customer, session, record(optin.body), email);
        } else {
          const patch = await sys.call('PATCH-customer-tenant-update-customer', {
            path: { customerNumber },
            body: { active: true, onHold: false },
            token: sys.employeeToken,
          });
          findings.push(...expectStatus(patch, 200, 'the employee activates the customer', MODEL_ACTIVATION));
        }
        const login = await sys.call('POST-customer-authenticate-customer', {
          body: { email, password },
          token: session.accessToken,
        });
        findings.push(...expectStatus(login, 200, 'the activated customer signs in', MODEL_CREDENTIALS));
        if (findings.length > 0) return findings;
        findings.push(...checkSessionKept(login, session));
        const token = addToken(model, customer, session, record(login.body), email);
        return [...findings, ...(await readValidation(sys, token, `after ${token.label}'s login`))];
      },
    );
    // The signup address: its id is read from the list (signup answers only the customer number).
    if (customer && plan_.address) {
      const owner = customer;
      const address = plan_.address;
      await begin(`${label_} finds its signup address ${label_}/A1 in its address list`, async () => {
        const token = model.tokens.find((t) => t.live && t.customer === owner)!;
        const response = await sys.call('GET-customer-list-customer-addresses', { token: token.access });
        const findings = expectStatus(response, 200, `${token.label} is live`);
        const items = Array.isArray(response.body) ? response.body.map(record) : [];
        const only = items.length === 1 ? items[0] : undefined;
        owner.addressCount = 1;
        if (only) {
          owner.addresses.push({
            label: `${label_}/A1`,
            id: String(only.id),
            fields: { ...address.fields },
            tags: [...new Set(address.tags)].sort(),
          });
          owner.defaultId = String(only.id);
        }
        return [
          ...findings,
          ...check(MODEL_CREDENTIALS, only !== undefined, () => ({
            operation: label(response),
            field: 'addresses',
            expected: 'exactly the signup address',
            received: `${items.length} addresses`,
          })),
        ];
      });
    }
  }
}

/** Deletes the sequence's customers as the employee; runs whatever happened, budget or not. */
async function tearDown(sys: System): Promise<void> {
  for (const customerNumber of sys.created) {
    const response = await sys.api.call('DELETE-customer-tenant-remove-customer', {
      path: { customerNumber },
      token: sys.employeeToken,
    });
    sys.budget.sent += 1;
    sys.budget.requestsLeft -= 1;
    if (response.status !== 202 && response.status !== 404)
      throw new Error(
        `${label(response)} → ${response.status}: customer ${customerNumber} of the exploration was not deleted`,
      );
  }
}

// ---- the search ----

export interface ExploreContext {
  api: ApiClient;
  config: Config;
  employeeToken: string;
  mailbox: Mailbox | undefined;
  step: StepRunner;
  /** A progress line now and then. */
  progress?: (line: string) => void;
}

export interface ExploreFailure {
  /** The shortest failing sequence, as run last. */
  steps: StoryStep[];
  /** What failed, masked. */
  error: string;
  path: string;
  replayPath?: string;
  /** Commands of the shrunk sequence (set-up not counted). */
  commands: number;
  shrinks: number;
  /** Whether the replay of the shrunk sequence failed again. */
  replayed: boolean;
}

export interface ExploreResult {
  settings: ExploreSettings;
  /** Sequences run to their end or to their failure. */
  sequences: number;
  /** Sequences cut short by the budget. */
  cutShort: number;
  requests: number;
  seconds: number;
  stoppedBy?: string;
  failure?: ExploreFailure;
}

function errorText(error: unknown): string {
  return maskText(error instanceof Error ? error.message : String(error));
}

/** Runs the search; never throws for a failing sequence: the result carries it. */
export async function explore(ctx: ExploreContext, settings: ExploreSettings): Promise<ExploreResult> {
  const started = Date.now();
  const budget: Budget = {
    requestsLeft: settings.maxRequests,
    deadline: started + settings.timeLimitSeconds * 1000,
    sent: 0,
  };
  let sequences = 0;
  let cutShort = 0;
  let stoppedBy: string | undefined;
  let phase: 'search' | 'shrink' | 'replay' = 'search';
  let lastFailure: { story: Story; error: unknown } | undefined;
  let lastProgress = 0;
  const titles = {
    search: () => `sequence ${sequences + 1}`,
    shrink: () => 'shrinking: a shorter sequence',
    replay: () => 'the shortest failing story, replayed',
  };

  const makeProperty = (replayPath: string | undefined) => {
    const commands = fc.commands(commandArbitraries({ mailbox: ctx.mailbox !== undefined }), {
      maxCommands: settings.maxCommands,
      size: 'max',
      ...(replayPath ? { replayPath } : {}),
    });
    return fc.asyncProperty(runPlanArb, commands, async (plan, cmds) => {
      if (stoppedBy !== undefined) return;
      const story = new Story();
      const sys = new System({ ...ctx, budget, story });
      const model = emptyModel();
      try {
        await ctx.step(titles[phase](), async () => {
          try {
            sys.reserve(SETUP_REQUESTS);
            await setUp(plan, model, sys);
            await fc.asyncModelRun(() => ({ model, real: sys }), cmds);
          } finally {
            await tearDown(sys);
          }
        });
        if (phase === 'search') sequences += 1;
      } catch (error) {
        if (error instanceof BudgetSpent) {
          cutShort += 1;
          stoppedBy = error.message;
          return;
        }
        lastFailure = { story, error };
        if (phase === 'search') {
          sequences += 1;
          // From here on, the shrinking spends its own budget.
          phase = 'shrink';
          budget.requestsLeft = settings.maxShrinkRequests;
          budget.deadline = Date.now() + settings.timeLimitSeconds * 1000;
        }
        throw error;
      } finally {
        if (ctx.progress && (Date.now() - lastProgress > 2000 || phase === 'search')) {
          lastProgress = Date.now();
          ctx.progress(
            `explore: ${sequences}/${settings.runs} sequences, ${budget.sent} requests, ` +
              `${phase === 'search' ? 'no failure' : 'a failure found, shrinking it'}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
          );
        }
      }
    });
  };

  const details = await fc.check(makeProperty(settings.replayPath), {
    numRuns: settings.runs,
    seed: settings.seed,
    ...(settings.path ? { path: settings.path } : {}),
  });

  const result: ExploreResult = {
    settings,
    sequences,
    cutShort,
    requests: budget.sent,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ...(stoppedBy && !details.failed ? { stoppedBy } : {}),
  };
  if (!details.failed || !lastFailure || details.counterexamplePath === null) {
    if (details.failed && details.errorInstance) throw details.errorInstance;
    return result;
  }
  const counterexample = details.counterexample as unknown[] | null;
  const replayPath = /replayPath="([^"]+)"/.exec(String(counterexample?.[1] ?? ''))?.[1];
  const shrunk = lastFailure;
  // Once more, the shortest story alone, so its exchanges stand together in the report.
  budget.requestsLeft = Math.max(budget.requestsLeft, 200);
  budget.deadline = Date.now() + 60_000;
  phase = 'replay';
  stoppedBy = undefined;
  const replay = await fc.check(makeProperty(replayPath), {
    numRuns: 1,
    seed: settings.seed,
    path: details.counterexamplePath,
    endOnFailure: true,
  });
  const replayed = replay.failed && lastFailure !== shrunk;
  const final = replayed && lastFailure ? lastFailure : shrunk;
  const cmdText = String(counterexample?.[1] ?? '');
  result.failure = {
    steps: final.story.steps,
    error: errorText(final.error),
    path: details.counterexamplePath,
    ...(replayPath ? { replayPath } : {}),
    commands: cmdText === '' ? 0 : cmdText.split(/,(?=[A-Z])/).length,
    shrinks: details.numShrinks,
    replayed,
  };
  result.requests = budget.sent;
  result.seconds = Math.round((Date.now() - started) / 100) / 10;
  return result;
}

// ---- the story ----

export function replayCommand(result: ExploreResult): string {
  const f = result.failure;
  const parts = ['npm run explore --', `--seed ${result.settings.seed}`];
  if (f) {
    parts.push(`--path ${f.path}`);
    if (f.replayPath) parts.push(`--replay-path ${f.replayPath}`);
  } else parts.push(`--runs ${result.settings.runs}`);
  return parts.join(' ');
}

/** The failure as a bug report: what was done in order, what the model expected, what came. */
export function storyMarkdown(result: ExploreResult, target: string): string {
  const f = result.failure;
  if (!f)
    return `# Exploration: no failure\n\n${result.sequences} sequences, ${result.requests} requests, ${result.seconds} s, seed ${result.settings.seed}.\n`;
  const failedAt = f.steps.findIndex((s) => s.findings.length > 0);
  const lastIndex = failedAt >= 0 ? failedAt : f.steps.length - 1;
  const headline = (f.error.split('\n')[0] ?? '').replace(/^\[[^\]]+\]\s*/, '');
  const lines = [
    `# ${f.steps[lastIndex]?.text ?? 'A sequence'}: ${headline}`,
    '',
    `Found by exploration against ${target} after ${result.sequences} sequence(s) and ${result.requests} requests ` +
      `(${result.seconds} s); shrunk ${f.shrinks} time(s) to ${f.steps.length} steps. ` +
      (f.replayed
        ? 'The shortest sequence was replayed once more and failed again.'
        : 'The replay of the shortest sequence did not fail again: the failure may depend on timing.'),
    '',
    `- seed: \`${result.settings.seed}\``,
    `- replay: \`${replayCommand(result)}\``,
    '',
    '## What was done',
    '',
  ];
  f.steps.forEach((step, index) => {
    const failed = index === lastIndex;
    lines.push(`${index + 1}. ${failed ? `**${step.text}** ← fails here` : step.text}`);
    for (const exchange of step.exchanges) lines.push(`   - \`${exchange.request}\` → ${exchange.status}`);
    for (const finding of step.findings) lines.push(`   - ✗ ${finding}`);
  });
  lines.push('', '## What the model expected, and what came', '', '```', f.error, '```', '');
  lines.push(
    '## Where the exchanges are',
    '',
    'Every request and response of the replay, masked, is attached to the test `explore.spec.ts` in the Playwright ' +
      'HTML report and in Allure, under the step "the shortest failing story, replayed" (`npm run report`).',
    '',
  );
  return `${lines.join('\n')}\n`;
}

/** Writes reports/explore/<stamp>-seed<seed>.md and last.json; returns the Markdown file's path. */
export function writeStory(result: ExploreResult, target: string): string {
  mkdirSync(EXPLORE_REPORTS, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(EXPLORE_REPORTS, `${stamp}-seed${result.settings.seed}.md`);
  writeFileSync(file, storyMarkdown(result, target));
  writeFileSync(
    join(EXPLORE_REPORTS, 'last.json'),
    `${JSON.stringify({ ...result, story: relative(PROJECT_ROOT, file), replay: replayCommand(result) }, null, 2)}\n`,
  );
  return file;
}

/** Writes last.json for a run without failure (the script reads it for its summary). */
export function writeSummary(result: ExploreResult): void {
  mkdirSync(EXPLORE_REPORTS, { recursive: true });
  writeFileSync(
    join(EXPLORE_REPORTS, 'last.json'),
    `${JSON.stringify({ ...result, replay: replayCommand(result) }, null, 2)}\n`,
  );
}
