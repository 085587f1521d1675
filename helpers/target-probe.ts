// A look at the target before the run: is it there, does the configured storefront key open a
// session, and does it keep state at all? A mock that replays the vendor's examples (a Prism mock of
// the OpenAPI file, say) answers every request with a valid-looking example: one session id for
// everyone, any password accepted, a SaaS token that expired years ago. Its single answers can be
// held to the contract, but no lifecycle check (refresh keeps the session, logout revokes, ...) can
// pass there. The probe sends reading requests (two anonymous logins, one login with an unknown email
// and a random password) and names the signs it saw. It also tries every configured credential, so a
// wrong key or password stops the run at its start with one line naming the setting.
//
// The result is written to reports/target-probe.json for the reports (format: `TargetProbe` below).
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from './config.ts';
import { maskText, maskUrl } from './mask.ts';
import { reportFile } from './report-files.ts';
import { transportFetch, type TransportOptions } from './transport-options.ts';

export const TARGET_PROBE_FILE = reportFile('target-probe.json');

/** reports/target-probe.json. */
export interface TargetProbe {
  /** The target's base URL, masked. */
  target: string;
  tenant: string;
  /** ISO time of the probe. */
  checkedAt: string;
  /** false for the embedded mock, which is known to keep state and is not probed. */
  probed: boolean;
  reachable: boolean;
  /** Why the target could not be reached (masked), when it could not. */
  unreachable?: string;
  /** HTTP status of the first anonymous login; absent when unreachable or not probed. */
  anonymousStatus?: number;
  /** Whether the target looks stateless (replays examples): at least one sign below. */
  stateless: boolean;
  /** The signs, one plain sentence each. */
  signs: string[];
  /**
   * Configured credentials the target refused, one line each naming the setting to fix (the anonymous
   * login: EMPORIX_TENANT and EMPORIX_STOREFRONT_CLIENT_ID; the employee token: EMPORIX_CLIENT_ID and
   * EMPORIX_CLIENT_SECRET; the existing customer: EMPORIX_CUSTOMER_EMAIL and EMPORIX_CUSTOMER_PASSWORD).
   * The run stops at its start when there is one.
   */
  refused: string[];
  /**
   * Which configured credentials those lines are about: the doctor's plan marks exactly these broken,
   * so it says "no target test will run" only where the run itself stops (helpers/selection.ts).
   */
  refusedCredentials: RefusedCredential[];
  /** What the run selects because of it, filled in by the run's plan (helpers/selection.ts). */
  selection?: string;
  /**
   * With `MAILBOX=mock` and writes allowed: which optional identity-provider paths of the `/_mock/` protocol the target
   * serves (docs/mock-protocol.md). The tests that need a path the target does not serve are skipped
   * with the reason instead of failing. Absent when not probed (the embedded mock serves both).
   */
  mockPaths?: MockPaths;
}

/** The optional identity-provider paths of the `/_mock/` protocol, and whether the target serves each. */
export interface MockPaths {
  /** `POST /_mock/{tenant}/idp/authorize`: authorization codes for social login. */
  idpAuthorize: boolean;
  /** `POST /_mock/{tenant}/external-idp/token`: subject tokens for the token exchange. */
  externalIdp: boolean;
}

export const MOCK_PATH_ROUTES: Readonly<Record<keyof MockPaths, string>> = {
  idpAuthorize: 'POST /_mock/{tenant}/idp/authorize',
  externalIdp: 'POST /_mock/{tenant}/external-idp/token',
};

/**
 * Asks for each optional identity-provider path with an empty JSON body: a server that serves the path
 * refuses that body (400), while 404 or 405 means it is not there. A transport failure counts as not
 * served; the run's own checks say what the target does.
 */
async function probeMockPaths(
  config: Pick<Config, 'baseUrl' | 'tenant'>,
  send: ProbeSend,
): Promise<MockPaths> {
  const served = async (route: string): Promise<boolean> => {
    const path = route.replace(/^POST /, '').replace('{tenant}', encodeURIComponent(config.tenant));
    try {
      const answer = await send(`${config.baseUrl}${path}`, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: '{}',
      });
      return answer.status !== 404 && answer.status !== 405;
    } catch {
      return false;
    }
  };
  return {
    idpAuthorize: await served(MOCK_PATH_ROUTES.idpAuthorize),
    externalIdp: await served(MOCK_PATH_ROUTES.externalIdp),
  };
}

/** A configured credential the run's start refuses: the storefront key, the employee's, the customer's. */
type RefusedCredential = 'anonymous' | 'employee' | 'customer';

/** A response as the probe needs it. */
interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export type ProbeSend = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<Answer>;

/** The one message for a target that does not answer at all. */
export function formatUnreachable(baseUrl: string, cause: string): string {
  return `target unreachable: ${maskUrl(baseUrl)} (EMPORIX_API_URL): ${maskText(cause)}`;
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:4118` */
export function transportCause(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  const first = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  return cause === undefined ? first(error) : `${first(error)}: ${first(cause)}`;
}

/** A body as the probe and the doctor read it: the JSON object it holds, else an empty one. */
export function jsonObject(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {};
  }
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** Sends with the transport options, bounded by the request timeout; the body parsed when it is JSON. */
export function probeSender(timeoutMs: number, transport: TransportOptions): ProbeSend {
  return async (url, init) => {
    const response = await transportFetch(
      url,
      { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) },
      transport,
    );
    return { status: response.status, body: jsonObject(await response.text()) };
  };
}

/** The `exp` of a JWT, in seconds since the epoch, or undefined when the value is no JWT with one. */
export function jwtExpiry(token: unknown): number | undefined {
  if (typeof token !== 'string') return undefined;
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Probes a remote target: the anonymous login twice, a login with unknown credentials, and the
 * configured employee and customer credentials (reading requests only; the customer's session is
 * logged out again). Never throws: an unreachable target is a result.
 */
export async function probeTarget(
  config: Pick<
    Config,
    'baseUrl' | 'tenant' | 'storefrontClientId' | 'requestTimeoutMs' | 'employee' | 'customer'
  > &
    Partial<Pick<Config, 'mailbox' | 'allowDestructive'>>,
  send: ProbeSend,
  now: Date = new Date(),
): Promise<TargetProbe> {
  const base: TargetProbe = {
    target: maskUrl(config.baseUrl),
    tenant: config.tenant,
    checkedAt: now.toISOString(),
    probed: true,
    reachable: false,
    stateless: false,
    signs: [],
    refused: [],
    refusedCredentials: [],
  };
  const anonymousUrl = `${config.baseUrl}/customerlogin/auth/anonymous/login?${new URLSearchParams({
    tenant: config.tenant,
    client_id: config.storefrontClientId,
  })}`;
  const anonymousLogin = () => send(anonymousUrl, { method: 'GET', headers: { Accept: 'application/json' } });

  let first: Answer;
  try {
    first = await anonymousLogin();
  } catch (error) {
    return { ...base, unreachable: transportCause(error, config.requestTimeoutMs) };
  }
  const result: TargetProbe = { ...base, reachable: true, anonymousStatus: first.status };
  // Only the status counts as refused: a body off contract is for the conformance specs to report.
  if (first.status !== 200) {
    return {
      ...result,
      refused: [
        `the anonymous login on ${maskUrl(config.baseUrl)} answered HTTP ${first.status}: check EMPORIX_TENANT ` +
          `("${config.tenant}") and EMPORIX_STOREFRONT_CLIENT_ID (the storefront API key)`,
      ],
      refusedCredentials: ['anonymous'],
    };
  }
  const anonymousToken = first.body.access_token;
  if (typeof anonymousToken !== 'string' || anonymousToken === '') return result;
  const credentials = await checkCredentials(config, send, anonymousToken);

  const signs: string[] = [];
  try {
    const second = await anonymousLogin();
    const a = first.body.sessionId;
    if (second.status === 200 && typeof a === 'string' && a !== '' && a === second.body.sessionId) {
      signs.push(`two anonymous logins answered the same session id (${a})`);
    }
    const token = first.body.access_token;
    if (typeof token === 'string' && token !== '') {
      const login = await send(`${config.baseUrl}/customer/${encodeURIComponent(config.tenant)}/login`, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({
          email: `probe-${randomBytes(4).toString('hex')}@example.invalid`,
          password: `Probe-${randomBytes(8).toString('hex')}`,
        }),
      });
      if (login.status >= 200 && login.status < 300) {
        signs.push(`a login with an unknown email and a random password was accepted (HTTP ${login.status})`);
        const exp = jwtExpiry(login.body.saas_token);
        if (exp !== undefined && exp * 1000 < now.getTime() - 24 * 3600 * 1000) {
          signs.push(`the login's saas_token expired on ${new Date(exp * 1000).toISOString().slice(0, 10)}`);
        }
      }
    }
  } catch {
    // A target that answers the first login but not the others is not judged stateless here: the
    // run's own checks will say what it does.
  }
  // A target that accepts any password accepts a wrong one too: its refusals are what count here.
  return {
    ...result,
    // Only where writing requests may be sent: the paths count as writing (they issue codes and tokens),
    // and the tests that need them write too, so a read-only run neither asks nor needs them.
    ...(config.mailbox === 'mock' && config.allowDestructive
      ? { mockPaths: await probeMockPaths(config, send) }
      : {}),
    stateless: signs.length > 0,
    signs,
    refused: credentials.map((c) => c.line),
    refusedCredentials: credentials.map((c) => c.credential),
  };
}

/** Logs in with the configured employee and customer credentials; one line per refused one. */
async function checkCredentials(
  config: Pick<Config, 'baseUrl' | 'tenant' | 'employee' | 'customer'>,
  send: ProbeSend,
  anonymousToken: string,
): Promise<{ credential: RefusedCredential; line: string }[]> {
  const refused: { credential: RefusedCredential; line: string }[] = [];
  const json = { Accept: 'application/json', 'Content-Type': 'application/json' };
  try {
    if (config.employee) {
      const answer = await send(`${config.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: config.employee.clientId,
          client_secret: config.employee.clientSecret,
          scope: `tenant=${config.tenant}`,
        }).toString(),
      });
      if (answer.status !== 200) {
        refused.push({
          credential: 'employee',
          line:
            `the employee token was refused (HTTP ${answer.status}): check EMPORIX_CLIENT_ID and EMPORIX_CLIENT_SECRET ` +
            `(a service API key of tenant ${config.tenant})`,
        });
      }
    }
    if (config.customer) {
      const path = `${config.baseUrl}/customer/${encodeURIComponent(config.tenant)}/login`;
      const answer = await send(path, {
        method: 'POST',
        headers: { ...json, Authorization: `Bearer ${anonymousToken}` },
        body: JSON.stringify({ email: config.customer.email, password: config.customer.password }),
      });
      const token = answer.body.access_token;
      if (answer.status !== 200) {
        refused.push({
          credential: 'customer',
          line:
            `the existing customer ${config.customer.email} cannot log in (HTTP ${answer.status}): check ` +
            `EMPORIX_CUSTOMER_PASSWORD (and that EMPORIX_CUSTOMER_EMAIL is an active customer of tenant ${config.tenant})`,
        });
      } else if (typeof token === 'string') {
        // Ends only the session the probe opened.
        await send(
          `${config.baseUrl}/customer/${encodeURIComponent(config.tenant)}/logout?${new URLSearchParams({ accessToken: token })}`,
          { method: 'GET', headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } },
        ).catch(() => undefined);
      }
    }
  } catch {
    // No answer to these: the run's set-up checks them again and names what happened.
  }
  return refused;
}

/** What the embedded mock's probe file says: known to keep state, not probed. */
export function embeddedMockProbe(
  config: Pick<Config, 'baseUrl' | 'tenant'>,
  now: Date = new Date(),
): TargetProbe {
  return {
    target: maskUrl(config.baseUrl),
    tenant: config.tenant,
    checkedAt: now.toISOString(),
    probed: false,
    reachable: true,
    stateless: false,
    signs: [],
    refused: [],
    refusedCredentials: [],
  };
}

/** One plain paragraph for the start of the run and the report. */
export function describeStateless(probe: TargetProbe): string {
  return (
    `The target looks stateless (it replays examples): ${probe.signs.join('; ')}. ` +
    `Lifecycle checks (sessions kept, tokens revoked, data changed) cannot pass there; only the ` +
    `per-exchange @contract selection gives it a meaningful verdict.`
  );
}

export function writeProbe(probe: TargetProbe, file: string = TARGET_PROBE_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(probe, null, 2)}\n`, 'utf8');
}

/** The probe of the current run, if one was written. */
function readProbe(file: string = TARGET_PROBE_FILE): TargetProbe | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TargetProbe;
  } catch {
    return undefined;
  }
}

/** Where playwright.config.ts keeps the run's probe for its workers (and its reporters, in its own process). */
const PROBE_VARIABLE = 'EMPORIX_TARGET_PROBE';

/**
 * The probe of the target a report describes: the run's own, held in the environment of the process
 * that made it, else reports/target-probe.json; either only when it names the same target and tenant
 * (another command may have written the file meanwhile, e.g. a `--list` against another target).
 */
export function probeOfTarget(
  config: Pick<Config, 'baseUrl' | 'tenant'>,
  env: Record<string, string | undefined> = process.env,
  file: string = TARGET_PROBE_FILE,
): TargetProbe | undefined {
  let probe: TargetProbe | undefined;
  try {
    probe = env[PROBE_VARIABLE] ? (JSON.parse(env[PROBE_VARIABLE]) as TargetProbe) : readProbe(file);
  } catch {
    probe = readProbe(file);
  }
  return probe?.target === maskUrl(config.baseUrl) && probe.tenant === config.tenant ? probe : undefined;
}
