// `npm run doctor`: can the suite use the configured target, and what will a run do there? Checks,
// without sending any request that writes: the target answers, the storefront client id yields an
// anonymous token, the employee credentials yield a token (and which scopes), the seed customer can
// log in (its session is logged out again: that revokes only the token the doctor got), and the
// mailbox can be read. Then lists which tags will run and which will be skipped, and why.
// The plan it prints (what runs, what is skipped and why) is computed by helpers/selection.ts, as the
// run's own. Exit codes: 0 target tests would run (failures of optional parts are listed), 1 no target
// test would run (unreachable, no anonymous token, a configured credential refused: the run's set-up
// would stop), 2 invalid configuration.
import { loadConfig, type Config } from '../helpers/config.ts';
import { checkImapMailbox, imapOptionsFrom } from '../helpers/mailbox-imap.ts';
import { maskBodyText, maskText, maskUrl } from '../helpers/mask.ts';
import { assertMaySend, mayWrite, OPERATION_EFFECTS } from '../helpers/safety.ts';
import type { OperationId } from '../helpers/catalog.ts';
import {
  configuredCapabilities,
  describePlan,
  planRun,
  readOperationIndex,
  selectionSettings,
  verifiedCapabilities,
  type SelectionSettings,
} from '../helpers/selection.ts';
import { settingOrExit } from '../helpers/startup.ts';
import {
  describeStateless,
  formatUnreachable,
  jsonObject,
  probeSender,
  probeTarget,
  type TargetProbe,
} from '../helpers/target-probe.ts';
import {
  describeTransport,
  loadTransportOptions,
  transportFetch,
  type TransportOptions,
} from '../helpers/transport-options.ts';

let transport: TransportOptions = { extraHeaders: {} };

type Outcome = 'OK' | 'FAIL' | 'SKIP';

interface Check {
  outcome: Outcome;
  name: string;
  detail: string;
}

const REQUIRED_SCOPES = ['customer.customer_manage', 'customer.customer_read'];

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
  ms: number;
}

/** One request of the catalog, through the safety guard, bounded by the request timeout. */
async function send(
  config: Config,
  id: OperationId,
  path: string,
  init: { query?: Record<string, string>; json?: unknown; form?: Record<string, string>; token?: string },
): Promise<Answer> {
  const method = OPERATION_EFFECTS[id].method;
  assertMaySend(config, { id, method, path });
  const url = new URL(`${config.baseUrl}${path}`);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const started = Date.now();
  let response: Awaited<ReturnType<typeof transportFetch>>;
  try {
    response = await transportFetch(
      url.toString(),
      {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(config.requestTimeoutMs),
      },
      transport,
    );
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new Error(`${method} ${maskUrl(url.toString())} → no response: ${maskText(cause)}`);
  }
  const text = await response.text();
  return { status: response.status, body: jsonObject(text), text, ms: Date.now() - started };
}

function refused(what: string, answer: Answer): string {
  const preview = maskBodyText(answer.text, 'application/json');
  return `${what} answered ${answer.status}: ${preview.length > 200 ? `${preview.slice(0, 200)}…` : preview || '(empty body)'}`;
}

export async function runDoctor(
  config: Config,
  print: (line: string) => void,
  settings: SelectionSettings = { selection: 'auto', operations: [] },
): Promise<number> {
  const checks: Check[] = [];
  const add = (outcome: Outcome, name: string, detail: string) => {
    checks.push({ outcome, name, detail });
    print(`  ${outcome.padEnd(4)}  ${name}: ${detail}`);
  };
  /** A check that failed because the target refused `request`; `fix` says what to look at. */
  const addRefused = (name: string, request: string, answer: Answer, fix: string) =>
    add('FAIL', name, `${refused(request, answer)} — ${fix}`);
  const writes = mayWrite(config);
  print(
    `Target ${config.baseUrl}, tenant ${config.tenant} (${config.target === 'embedded-mock' ? 'the embedded mock' : 'remote'}), ` +
      `${writes ? 'destructive tests allowed' : 'read-only: EMPORIX_ALLOW_DESTRUCTIVE is not true'}, run id ${config.runId}`,
  );
  for (const line of describeTransport(transport)) print(`  ${line}`);

  // 1. Reachable, and 2. an anonymous token: the one request every test starts from.
  let anonymousToken: string | undefined;
  try {
    const answer = await send(
      config,
      'GET-oauth-generate-anonymous-access-token',
      '/customerlogin/auth/anonymous/login',
      {
        query: { tenant: config.tenant, client_id: config.storefrontClientId },
      },
    );
    add('OK', 'target reachable', `answered HTTP ${answer.status} in ${answer.ms} ms`);
    if (answer.status === 200 && typeof answer.body.access_token === 'string') {
      anonymousToken = answer.body.access_token;
      add(
        'OK',
        'anonymous token',
        `storefront client id yields one (expires_in ${String(answer.body.expires_in)})`,
      );
    } else {
      addRefused(
        'anonymous token',
        'GET /customerlogin/auth/anonymous/login',
        answer,
        'check EMPORIX_TENANT and EMPORIX_STOREFRONT_CLIENT_ID',
      );
    }
  } catch (error) {
    add(
      'FAIL',
      'target reachable',
      `${formatUnreachable(config.baseUrl, (error as Error).message.replace(/^.*→ no response: /, ''))}${config.target === 'embedded-mock' ? ' — the embedded mock runs only during `npx playwright test`; start it with `npm run mock` to check it here' : ''}`,
    );
  }

  /**
   * A check of configured credentials: skipped when they are not set (`unset` says which settings) or
   * when there is no anonymous token; a request that gets no answer fails it.
   */
  const checkCredentials = async <T>(
    name: string,
    credentials: T | undefined,
    unset: string,
    noToken: string,
    run: (credentials: T, anonymousToken: string) => Promise<void>,
  ) => {
    if (credentials === undefined) add('SKIP', name, unset);
    else if (anonymousToken === undefined) add('SKIP', name, noToken);
    else await run(credentials, anonymousToken).catch((error: Error) => add('FAIL', name, error.message));
  };

  // 3. Employee token and its scopes.
  let employee = false;
  await checkCredentials(
    'employee token',
    config.employee,
    'EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET are not set',
    'the target cannot be used (see above)',
    async ({ clientId, clientSecret }) => {
      const answer = await send(config, 'POST-oauth-request-client-credentials', '/oauth/token', {
        form: {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope: `tenant=${config.tenant}`,
        },
      });
      if (answer.status === 200 && typeof answer.body.access_token === 'string') {
        const scopes = String(answer.body.scope ?? '')
          .split(/\s+/)
          .filter(Boolean);
        const missing = REQUIRED_SCOPES.filter((s) => !scopes.includes(s));
        employee = missing.length === 0;
        add(
          missing.length === 0 ? 'OK' : 'FAIL',
          'employee token',
          `scopes ${scopes.join(' ') || '(none listed)'}` +
            (missing.length ? ` — missing ${missing.join(', ')}: activation and cleanup need them` : ''),
        );
      } else {
        addRefused(
          'employee token',
          'POST /oauth/token',
          answer,
          'check EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET',
        );
      }
    },
  );

  // 4. The seed customer logs in (read-only runs use it); the doctor's own session is ended again.
  let seed = false;
  await checkCredentials(
    'seed customer login',
    config.customer,
    'EMPORIX_CUSTOMER_EMAIL and EMPORIX_CUSTOMER_PASSWORD are not set',
    'no anonymous token to log in with',
    async ({ email, password }, token) => {
      const path = `/customer/${config.tenant}/login`;
      const answer = await send(config, 'POST-customer-authenticate-customer', path, {
        json: { email, password },
        token,
      });
      if (answer.status === 200 && typeof answer.body.access_token === 'string') {
        seed = true;
        add('OK', 'seed customer login', `${email} logs in`);
        const accessToken = answer.body.access_token;
        await send(config, 'GET-customer-logout-customer', `/customer/${config.tenant}/logout`, {
          query: { accessToken },
          token: accessToken,
        }).catch(() => undefined);
      } else {
        addRefused(
          'seed customer login',
          `POST ${path}`,
          answer,
          `is ${email} an active customer with that password?`,
        );
      }
    },
  );

  // 5. The mailbox.
  let mailbox = false;
  if (config.mailbox === 'none') {
    add('SKIP', 'mailbox', 'MAILBOX=none');
  } else if (config.mailbox === 'mock') {
    try {
      const answer = await send(config, 'GET-mock-outbox', `/_mock/${config.tenant}/outbox`, {
        query: { to: `doctor+${config.runId}@example.com` },
      });
      mailbox = answer.status === 200 && Array.isArray(JSON.parse(answer.text || 'null'));
      if (mailbox) add('OK', 'mailbox', 'the mock outbox answers');
      else
        addRefused(
          'mailbox',
          `GET /_mock/${config.tenant}/outbox`,
          answer,
          'the target serves no mock outbox: use MAILBOX=imap or none',
        );
    } catch (error) {
      add('FAIL', 'mailbox', (error as Error).message);
    }
  } else {
    const options = imapOptionsFrom(config);
    try {
      const count = await checkImapMailbox(options);
      mailbox = true;
      add(
        'OK',
        'mailbox',
        `IMAP ${options.imap.user}@${options.imap.host}:${options.imap.port} opens ${options.imap.mailbox} (${count} messages)`,
      );
    } catch (error) {
      const e = error as Error & { responseText?: string; code?: string };
      add(
        'FAIL',
        'mailbox',
        `IMAP ${options.imap.user}@${options.imap.host}:${options.imap.port} folder ${options.imap.mailbox}: ${maskText(e.responseText ?? e.code ?? e.message)}`,
      );
    }
  }

  // 6. Does the target keep state? The run probes the same way (helpers/target-probe.ts).
  let probe: TargetProbe | undefined;
  if (anonymousToken !== undefined && config.target === 'remote') {
    probe = await probeTarget(config, probeSender(config.requestTimeoutMs, transport));
    add(
      probe.stateless ? 'FAIL' : 'OK',
      'target keeps state',
      probe.stateless
        ? describeStateless(probe)
        : 'two anonymous logins got two sessions; an unknown login was refused',
    );
  }

  // The plan: the same computation the run makes (helpers/selection.ts), with what was verified here
  // in place of what is merely configured. A credential is `broken` where the run's own start refuses
  // it (the probe's refusals; the embedded mock is not probed, so there the checks above count).
  const verified = verifiedCapabilities(config, configuredCapabilities(config, probe), {
    refused: probe
      ? probe.refusedCredentials
      : [
          ...(config.employee && !employee ? ['employee' as const] : []),
          ...(config.customer && !seed ? ['customer' as const] : []),
        ],
    mailboxReadable: mailbox,
  });
  if (anonymousToken === undefined) {
    print('No target test would run: the target cannot be used (see above); the run stops at its start.');
    return 1;
  }
  const plan = planRun(config, verified, settings, readOperationIndex());
  for (const line of describePlan(plan)) print(line);

  const failed = checks.filter((c) => c.outcome === 'FAIL').length;
  if (!plan.willRunTargetTests) return 1;
  print(`Usable${failed ? `, with ${failed} failing check${failed === 1 ? '' : 's'}` : ''}.`);
  return 0;
}

async function main(): Promise<void> {
  const config = settingOrExit(() => loadConfig());
  transport = settingOrExit(() => loadTransportOptions());
  const settings = settingOrExit(() => selectionSettings());
  const code = await runDoctor(config, (line) => process.stdout.write(`${line}\n`), settings);
  process.exit(code);
}

await main();
