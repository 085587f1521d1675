// The suite's configuration: read from the environment and `.env` (the environment wins), checked
// once, and returned typed. Every problem is collected and reported together, one line each, so a
// user fixes a broken `.env` in one pass. Defaults are the embedded mock's (see .env.example).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';

export type Target = 'embedded-mock' | 'remote';
export type MailboxKind = 'mock' | 'none';

export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface CustomerLogin {
  readonly email: string;
  readonly password: string;
}

export interface Config {
  /** `embedded-mock` when EMPORIX_API_URL is empty or unset: the suite starts the mock itself. */
  readonly target: Target;
  /** Origin (and optional path prefix) of the API, without a trailing slash. */
  readonly baseUrl: string;
  readonly tenant: string;
  readonly otherTenant: string;
  readonly storefrontClientId: string;
  /** Employee (service) API key; absent when no credentials are configured. */
  readonly employee?: Credentials;
  /** An existing active customer for read-only tests; absent when not configured. */
  readonly customer?: CustomerLogin;
  /** Whether tests may create, change and delete data (always true for the embedded mock). */
  readonly allowDestructive: boolean;
  readonly mailbox: MailboxKind;
  /** Template of the email addresses a run creates: `{run}` a run id, `{n}` a counter. */
  readonly emailTemplate: string;
  readonly mockPort: number;
}

export type Env = Record<string, string | undefined>;

export interface LoadConfigOptions {
  /** The dotenv file to read beneath the environment; `null` reads none (unit tests). */
  envFile?: string | null;
}

/** All configuration problems at once; `problems` holds one line per problem. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}); fix .env or the environment:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_ENV_FILE = resolve(PROJECT_ROOT, '.env');

const TENANT_PATTERN = /^[a-z][a-z0-9]+$/;

/** The embedded mock's defaults, as listed in .env.example and docs/behaviour.md. */
export const MOCK_DEFAULTS = {
  tenant: 'mocktenant',
  otherTenant: 'othertenant',
  storefrontClientId: 'mock-storefront-client',
  clientId: 'mock-service-client',
  clientSecret: 'mock-service-secret',
  customerEmail: 'seed.customer@example.com',
  customerPassword: 'Seed-Passw0rd!',
  emailTemplate: 'qa+{run}-{n}@example.com',
  mockPort: 4010,
} as const;

function readEnvFile(path: string): Env {
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** Checks a tenant name against the documented rule; returns the problem or undefined. */
export function checkTenantName(name: string, variable: string): string | undefined {
  if (name.length < 3 || name.length > 16 || !TENANT_PATTERN.test(name)) {
    return `${variable}="${name}" is not a tenant name: lowercase, starting with a letter, 3 to 16 letters and digits (^[a-z][a-z0-9]+$)`;
  }
  return undefined;
}

function parseBoolean(raw: string | undefined, variable: string, problems: string[]): boolean {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0' || value === 'no') return false;
  if (value === 'true' || value === '1' || value === 'yes') return true;
  problems.push(`${variable}="${raw}" is not a boolean: use true or false`);
  return false;
}

/**
 * Reads and checks the configuration. `.env` (by default the project's) fills only the variables
 * the environment leaves unset. Throws a ConfigError naming every problem.
 */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const envFile = options.envFile === undefined ? DEFAULT_ENV_FILE : options.envFile;
  const merged: Env = { ...(envFile ? readEnvFile(envFile) : {}), ...definedOnly(env) };
  const problems: string[] = [];
  /** Unset and blank are the same for plain settings. */
  const get = (name: string): string | undefined => {
    const value = merged[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  // Port first: the embedded mock's URL depends on it.
  let mockPort: number = MOCK_DEFAULTS.mockPort;
  const rawPort = get('MOCK_PORT');
  if (rawPort !== undefined) {
    const port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || !Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push(`MOCK_PORT="${rawPort}" is not a port: an integer from 1 to 65535`);
    } else {
      mockPort = port;
    }
  }

  const rawUrl = get('EMPORIX_API_URL');
  const target: Target = rawUrl === undefined ? 'embedded-mock' : 'remote';
  let baseUrl = `http://127.0.0.1:${mockPort}`;
  if (rawUrl !== undefined) {
    baseUrl = rawUrl.replace(/\/+$/, '');
    let parsed: URL | undefined;
    try {
      parsed = new URL(rawUrl);
    } catch {
      problems.push(`EMPORIX_API_URL="${rawUrl}" is not a URL: expected e.g. https://api.emporix.io`);
    }
    if (parsed) {
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        problems.push(`EMPORIX_API_URL="${rawUrl}" must use http or https, not ${parsed.protocol}`);
      } else if (
        parsed.search !== '' ||
        parsed.hash !== '' ||
        parsed.username !== '' ||
        parsed.password !== ''
      ) {
        problems.push(
          `EMPORIX_API_URL="${rawUrl}" must be a plain base URL, without credentials, query or fragment`,
        );
      }
    }
  }
  const mock = target === 'embedded-mock';

  // Tenant and storefront key: the mock's defaults apply to the mock only; a real tenant must be named.
  const tenant = get('EMPORIX_TENANT') ?? (mock ? MOCK_DEFAULTS.tenant : '');
  if (tenant === '') problems.push('EMPORIX_TENANT is required when EMPORIX_API_URL is set');
  else pushIf(problems, checkTenantName(tenant, 'EMPORIX_TENANT'));

  const otherTenant = get('EMPORIX_OTHER_TENANT') ?? MOCK_DEFAULTS.otherTenant;
  pushIf(problems, checkTenantName(otherTenant, 'EMPORIX_OTHER_TENANT'));
  if (tenant !== '' && otherTenant === tenant) {
    problems.push(`EMPORIX_OTHER_TENANT must differ from EMPORIX_TENANT (both are "${tenant}")`);
  }

  const storefrontClientId =
    get('EMPORIX_STOREFRONT_CLIENT_ID') ?? (mock ? MOCK_DEFAULTS.storefrontClientId : '');
  if (storefrontClientId === '') {
    problems.push('EMPORIX_STOREFRONT_CLIENT_ID is required when EMPORIX_API_URL is set');
  }

  // Pairs: a variable set to blank means "none"; unset means the mock's default (mock only).
  const pair = (a: string, b: string, defaultA: string, defaultB: string): [string, string] => {
    const ra = merged[a];
    const rb = merged[b];
    const va = ra === undefined ? (mock ? defaultA : '') : ra.trim();
    const vb = rb === undefined ? (mock ? defaultB : '') : rb.trim();
    if ((va === '') !== (vb === '')) {
      const [set, unset] = va === '' ? [b, a] : [a, b];
      problems.push(`${set} is set but ${unset} is empty: set both, or leave both empty`);
    }
    return [va, vb];
  };
  const [clientId, clientSecret] = pair(
    'EMPORIX_CLIENT_ID',
    'EMPORIX_CLIENT_SECRET',
    MOCK_DEFAULTS.clientId,
    MOCK_DEFAULTS.clientSecret,
  );
  const [email, password] = pair(
    'EMPORIX_CUSTOMER_EMAIL',
    'EMPORIX_CUSTOMER_PASSWORD',
    MOCK_DEFAULTS.customerEmail,
    MOCK_DEFAULTS.customerPassword,
  );
  if (email !== '' && !/^[^@\s]+@[^@\s]+$/.test(email)) {
    problems.push(`EMPORIX_CUSTOMER_EMAIL="${email}" is not an email address`);
  }

  const destructive = parseBoolean(merged.EMPORIX_ALLOW_DESTRUCTIVE, 'EMPORIX_ALLOW_DESTRUCTIVE', problems);

  let mailbox: MailboxKind = mock ? 'mock' : 'none';
  const rawMailbox = get('MAILBOX');
  if (rawMailbox !== undefined) {
    if (rawMailbox === 'mock' || rawMailbox === 'none') mailbox = rawMailbox;
    else problems.push(`MAILBOX="${rawMailbox}" is unknown: use mock or none (or leave it empty)`);
  }

  const emailTemplate = get('EMPORIX_EMAIL_TEMPLATE') ?? MOCK_DEFAULTS.emailTemplate;
  if (!emailTemplate.includes('{n}')) {
    problems.push(`EMPORIX_EMAIL_TEMPLATE="${emailTemplate}" lacks {n}: every created address must differ`);
  }
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(emailTemplate.replaceAll('{run}', 'r').replaceAll('{n}', '1'))) {
    problems.push(
      `EMPORIX_EMAIL_TEMPLATE="${emailTemplate}" does not give an email address, e.g. qa+{run}-{n}@example.com`,
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    target,
    baseUrl,
    tenant,
    otherTenant,
    storefrontClientId,
    ...(clientId !== '' ? { employee: { clientId, clientSecret } } : {}),
    ...(email !== '' ? { customer: { email, password } } : {}),
    allowDestructive: mock || destructive,
    mailbox,
    emailTemplate,
    mockPort,
  };
}

function pushIf(problems: string[], problem: string | undefined): void {
  if (problem !== undefined) problems.push(problem);
}

function definedOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}
