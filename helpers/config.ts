// The suite's configuration: read from the environment and `.env` (the environment wins), checked
// once, and returned typed. Every problem is collected and reported together, one line each, so a
// user fixes a broken `.env` in one pass. Defaults are the embedded mock's (see .env.example).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'dotenv';
import { registerSecrets, type Secret } from './mask.ts';

export type Profile = 'strict' | 'documented';

/**
 * The vendor documents the suite holds the target to (docs/contract-versions.md): `2025-12` the
 * tutorial and references of December 2025, `2026-08` those the vendor publishes now.
 */
export type ContractVersion = '2025-12' | '2026-08';
export const CONTRACT_VERSIONS: readonly ContractVersion[] = ['2025-12', '2026-08'];
/** What the vendor documents now. */
export const DEFAULT_CONTRACT: ContractVersion = '2026-08';

/** Parses EMPORIX_CONTRACT (unset or blank: the default); a problem goes to `problems`. */
export function parseContract(raw: string | undefined, problems: string[]): ContractVersion {
  const value = raw?.trim() ?? '';
  if (value === '') return DEFAULT_CONTRACT;
  if ((CONTRACT_VERSIONS as readonly string[]).includes(value)) return value as ContractVersion;
  problems.push(
    `EMPORIX_CONTRACT="${value}" is not a contract version: use ${CONTRACT_VERSIONS.join(' or ')} (default ${DEFAULT_CONTRACT}, the vendor's current documents)`,
  );
  return DEFAULT_CONTRACT;
}

export type Target = 'embedded-mock' | 'remote';
export type MailboxKind = 'mock' | 'imap' | 'none';

/** A real mailbox read over IMAP (MAILBOX=imap). */
export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 993); false means plain or STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  /** The folder the messages arrive in, `INBOX` by default. */
  readonly mailbox: string;
}

/** How an emailed message's kind (opt-in, password reset, ...) is recognised. */
export type MailKindRules = 'ignore' | ReadonlyArray<readonly [kind: string, pattern: RegExp]>;

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
  /** Present when `mailbox` is `imap`. */
  readonly imap?: ImapSettings;
  /** Finds the token in an emailed message's text; capture group 1 is the token. */
  readonly mailTokenPattern: RegExp;
  /** Keywords that tell an emailed message's kind, or `ignore`: the newest message to the address counts. */
  readonly mailKindRules: MailKindRules;
  /** How long a test waits for an email. */
  readonly mailTimeoutMs: number;
  /** How long one request may take before it counts as failed. */
  readonly requestTimeoutMs: number;
  /** How often an idempotent request is repeated after 429, 502, 503 or 504 (helpers/retry.ts). */
  readonly maxRetries: number;
  /** This run's id: `{run}` in the email template and the name of the cleanup ledger. Shared by all workers. */
  readonly runId: string;
  /** Template of the email addresses a run creates: `{run}` a run id, `{n}` a counter. */
  readonly emailTemplate: string;
  readonly mockPort: number;
  /** How findings weigh (helpers/findings.ts): `strict` on the embedded mock, `documented` elsewhere. */
  readonly profile: Profile;
  /** The vendor documents the target is held to (EMPORIX_CONTRACT). */
  readonly contract: ContractVersion;
  /** A subject token (an external identity provider's JWT) for token exchange, when configured. */
  readonly subjectToken?: string;
  /** A shell command printing a fresh subject token, when configured (EMPORIX_SUBJECT_TOKEN_COMMAND). */
  readonly subjectTokenCommand?: string;
}

export type Env = Record<string, string | undefined>;

/** The variable that carries the run id from the Playwright main process to its workers. */
export const RUN_ID_VARIABLE = 'EMPORIX_RUN_ID';
const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/**
 * This run's id. The first call in a process tree creates it and stores it in the environment, so
 * the Playwright workers (started after the config is loaded) and the final sweep see the same id.
 */
export function currentRunId(env: Env = process.env): string {
  const existing = env[RUN_ID_VARIABLE]?.trim();
  if (existing) return existing;
  const id = `${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  env[RUN_ID_VARIABLE] = id;
  return id;
}

/** Default MAILBOX_TOKEN_PATTERN: 64 letters and digits standing alone, the shape of the emailed tokens. */
export const DEFAULT_MAIL_TOKEN_PATTERN = '(?<![A-Za-z0-9])([A-Za-z0-9]{64})(?![A-Za-z0-9])';

/**
 * Default MAILBOX_KINDS: the first kind whose keywords appear in the subject (else the text) wins,
 * so the more specific kinds come first.
 */
export const DEFAULT_MAIL_KINDS =
  'email-change=(e-?mail|login).{0,20}chang|chang.{0,20}(e-?mail|login)|new e-?mail;' +
  'password-reset=password;' +
  'profile-delete=delet|remov|clos.{0,10}account;' +
  'opt-in=opt-?in|activat|confirm|verif|welcome|registration';

const MAIL_KINDS = ['opt-in', 'password-reset', 'email-change', 'profile-delete'];

/** Parses MAILBOX_KINDS (`kind=regex;kind=regex` or `ignore`); problems go to `problems`. */
export function parseMailKindRules(raw: string, problems: string[]): MailKindRules {
  if (raw.trim().toLowerCase() === 'ignore') return 'ignore';
  const rules: [string, RegExp][] = [];
  for (const part of raw.split(';')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const kind = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    if (eq < 0 || !MAIL_KINDS.includes(kind)) {
      problems.push(
        `MAILBOX_KINDS part "${part.trim()}" must be kind=regex with kind one of ${MAIL_KINDS.join(', ')} (or the whole value "ignore")`,
      );
      continue;
    }
    try {
      rules.push([kind, new RegExp(part.slice(eq + 1).trim(), 'i')]);
    } catch (error) {
      problems.push(
        `MAILBOX_KINDS pattern for ${kind} is not a regular expression: ${(error as Error).message}`,
      );
    }
  }
  return rules;
}

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

  /** A whole number from `min` to `max`; the default when unset, a problem when malformed. */
  const integer = (name: string, fallback: number, min: number, max: number, what: string): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name}="${raw}" is not ${what}: an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };

  // Port first: the embedded mock's URL depends on it.
  const mockPort = integer('MOCK_PORT', MOCK_DEFAULTS.mockPort, 1, 65535, 'a port');

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
  const rawProfile = get('EMPORIX_PROFILE');
  let profile: Profile = target === 'embedded-mock' ? 'strict' : 'documented';
  if (rawProfile === 'strict' || rawProfile === 'documented') profile = rawProfile;
  else if (rawProfile !== undefined) {
    problems.push(`EMPORIX_PROFILE="${rawProfile}" must be strict or documented`);
  }

  const contract = parseContract(get('EMPORIX_CONTRACT'), problems);
  const subjectToken = get('EMPORIX_SUBJECT_TOKEN');
  const subjectTokenCommand = get('EMPORIX_SUBJECT_TOKEN_COMMAND');
  if (subjectToken !== undefined && subjectTokenCommand !== undefined) {
    problems.push('EMPORIX_SUBJECT_TOKEN and EMPORIX_SUBJECT_TOKEN_COMMAND are both set: set one of them');
  }

  let mailbox: MailboxKind = mock ? 'mock' : 'none';
  const rawMailbox = get('MAILBOX');
  if (rawMailbox !== undefined) {
    if (rawMailbox === 'mock' || rawMailbox === 'imap' || rawMailbox === 'none') mailbox = rawMailbox;
    else problems.push(`MAILBOX="${rawMailbox}" is unknown: use mock, imap or none (or leave it empty)`);
  }
  let imap: ImapSettings | undefined;
  if (mailbox === 'imap') {
    const host = get('IMAP_HOST');
    const user = get('IMAP_USER');
    const imapPassword = merged.IMAP_PASSWORD ?? '';
    const missing = [
      host === undefined ? 'IMAP_HOST' : '',
      user === undefined ? 'IMAP_USER' : '',
      imapPassword === '' ? 'IMAP_PASSWORD' : '',
    ].filter((n) => n !== '');
    if (missing.length > 0) problems.push(`MAILBOX=imap needs ${missing.join(', ')}`);
    const secure = parseBoolean(get('IMAP_SECURE') ?? 'true', 'IMAP_SECURE', problems);
    const port = integer('IMAP_PORT', secure ? 993 : 143, 1, 65535, 'a port');
    imap = {
      host: host ?? '',
      port,
      secure,
      user: user ?? '',
      password: imapPassword,
      mailbox: get('IMAP_MAILBOX') ?? 'INBOX',
    };
  }

  const rawTokenPattern = get('MAILBOX_TOKEN_PATTERN') ?? DEFAULT_MAIL_TOKEN_PATTERN;
  let mailTokenPattern = new RegExp(DEFAULT_MAIL_TOKEN_PATTERN);
  try {
    mailTokenPattern = new RegExp(rawTokenPattern);
    // Counts the capture groups by matching the empty alternative: `(?:x)|` has one entry per group.
    const groups = new RegExp(`${rawTokenPattern}|`).exec('')?.length ?? 1;
    if (groups - 1 !== 1) {
      problems.push(
        `MAILBOX_TOKEN_PATTERN="${rawTokenPattern}" has ${groups - 1} capture groups: exactly one must capture the token (use (?:...) for the others)`,
      );
    }
  } catch (error) {
    problems.push(
      `MAILBOX_TOKEN_PATTERN="${rawTokenPattern}" is not a regular expression: ${(error as Error).message}`,
    );
  }
  const mailKindRules = parseMailKindRules(get('MAILBOX_KINDS') ?? DEFAULT_MAIL_KINDS, problems);
  const mailTimeoutMs = integer('MAILBOX_TIMEOUT_SECONDS', 10, 1, 3600, 'a number of seconds') * 1000;
  const requestTimeoutMs =
    integer('EMPORIX_REQUEST_TIMEOUT_SECONDS', 15, 1, 600, 'a number of seconds') * 1000;
  const maxRetries = integer('EMPORIX_MAX_RETRIES', 2, 0, 10, 'a number of retries');

  const rawRunId = get(RUN_ID_VARIABLE);
  if (rawRunId !== undefined && !RUN_ID_PATTERN.test(rawRunId)) {
    problems.push(
      `${RUN_ID_VARIABLE}="${rawRunId}" must be 1 to 32 lowercase letters, digits and dashes (it goes into email addresses and file names)`,
    );
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

  // The process's environment carries the run id to the workers (and to helpers/data.ts), also when
  // it came from .env; a unit test's env stays its own.
  const runId = rawRunId ?? currentRunId(env === process.env ? process.env : merged);
  if (env === process.env) process.env[RUN_ID_VARIABLE] = runId;

  const config: Config = {
    target,
    baseUrl,
    tenant,
    otherTenant,
    storefrontClientId,
    ...(clientId !== '' ? { employee: { clientId, clientSecret } } : {}),
    ...(email !== '' ? { customer: { email, password } } : {}),
    allowDestructive: mock || destructive,
    mailbox,
    ...(imap ? { imap } : {}),
    mailTokenPattern,
    mailKindRules,
    mailTimeoutMs,
    requestTimeoutMs,
    maxRetries,
    runId,
    emailTemplate,
    mockPort,
    profile,
    contract,
    ...(subjectToken !== undefined ? { subjectToken } : {}),
    ...(subjectTokenCommand !== undefined ? { subjectTokenCommand } : {}),
  };
  // The run's own credentials are secrets from the start: masked in every report even before a request
  // carries them (helpers/mask.ts). A unit test's made-up environment registers nothing.
  if (env === process.env) registerSecrets(configuredSecrets(config));
  return config;
}

/** The secrets a configuration holds: client secret, customer and IMAP passwords, subject token. */
export function configuredSecrets(
  config: Pick<Config, 'employee' | 'customer' | 'imap' | 'subjectToken'>,
): Secret[] {
  return [
    ...(config.employee ? [{ value: config.employee.clientSecret, cls: 'sec' as const }] : []),
    ...(config.customer ? [{ value: config.customer.password, cls: 'pwd' as const }] : []),
    ...(config.imap ? [{ value: config.imap.password, cls: 'pwd' as const }] : []),
    ...(config.subjectToken !== undefined ? [{ value: config.subjectToken, cls: 'tok' as const }] : []),
  ].filter((secret) => secret.value !== '');
}

/**
 * The contract version alone, for tools that need no target (the drift report): EMPORIX_CONTRACT
 * from the environment, else `.env`. Throws a ConfigError when it is malformed.
 */
export function loadContract(env: Env = process.env, options: LoadConfigOptions = {}): ContractVersion {
  const envFile = options.envFile === undefined ? DEFAULT_ENV_FILE : options.envFile;
  const merged: Env = { ...(envFile ? readEnvFile(envFile) : {}), ...definedOnly(env) };
  const problems: string[] = [];
  const contract = parseContract(merged.EMPORIX_CONTRACT, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return contract;
}

function pushIf(problems: string[], problem: string | undefined): void {
  if (problem !== undefined) problems.push(problem);
}

function definedOnly(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

/** The problem lines loadConfig reports for `env` (no .env file read), or none: for tests of settings. */
export function configProblems(env: Env): readonly string[] {
  try {
    loadConfig(env, { envFile: null });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
