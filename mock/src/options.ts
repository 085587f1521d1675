// Configuration of the mock tenant: defaults, and parsing of command-line flags and environment
// variables for the CLI. Flags win over environment variables; every problem found is reported,
// not only the first.

import {
  CONTRACT_VERSIONS,
  DEFAULT_EXCHANGE_CONFIGS,
  parseContractOptions,
  type ContractVersion,
} from './contract.ts';
import { isKnownFault } from './faults.ts';

export interface EmployeeClient {
  clientId: string;
  clientSecret: string;
}

export interface SeedCustomer {
  email: string;
  password: string;
}

/** Token and email-token lifetimes, in seconds. */
export interface Lifetimes {
  anonymousAccess: number;
  anonymousRefresh: number;
  customerAccess: number;
  customerRefresh: number;
  employeeAccess: number;
  /** Password-reset, email-change, profile-delete and opt-in tokens. */
  emailToken: number;
  /** Authorization codes of the mock identity provider. */
  socialCode: number;
}

export interface MockOptions {
  host: string;
  port: number;
  tenants: string[];
  storefrontClientIds: string[];
  employeeClients: EmployeeClient[];
  seedCustomers: SeedCustomer[];
  lifetimes: Lifetimes;
  /** Clock in milliseconds; tests pass a fake one to watch tokens expire. */
  now: () => number;
  logger: boolean;
  /** Names of deliberate deviations from the contract (reserved for a fault-injection layer). */
  faults: string[];
  /** Which documents' operations are served (contract.ts); `all` serves every one either documents. */
  contract: ContractVersion;
  /** Token exchange `config` ids besides the default one (no `config`). */
  exchangeConfigs: string[];
}

export const TENANT_PATTERN = /^[a-z][a-z0-9]+$/;

export function isValidTenantName(name: string): boolean {
  return name.length >= 3 && name.length <= 16 && TENANT_PATTERN.test(name);
}

export function defaultLifetimes(): Lifetimes {
  return {
    anonymousAccess: 3599,
    anonymousRefresh: 86399,
    customerAccess: 2591999,
    customerRefresh: 86399,
    employeeAccess: 14399,
    emailToken: 3600,
    socialCode: 60,
  };
}

export function defaultMockOptions(): MockOptions {
  return {
    host: '127.0.0.1',
    port: 4010,
    tenants: ['mocktenant', 'othertenant'],
    storefrontClientIds: ['mock-storefront-client'],
    employeeClients: [{ clientId: 'mock-service-client', clientSecret: 'mock-service-secret' }],
    seedCustomers: [{ email: 'seed.customer@example.com', password: 'Seed-Passw0rd!' }],
    lifetimes: defaultLifetimes(),
    now: () => Date.now(),
    logger: false,
    faults: [],
    contract: 'all',
    exchangeConfigs: [...DEFAULT_EXCHANGE_CONFIGS],
  };
}

/** Merges partial options over the defaults (lifetimes are merged field by field). */
export function resolveMockOptions(partial: Partial<MockOptions> = {}): MockOptions {
  const defaults = defaultMockOptions();
  return {
    ...defaults,
    ...partial,
    lifetimes: { ...defaults.lifetimes, ...(partial.lifetimes ?? {}) },
  };
}

const LIFETIME_FLAGS: Record<string, keyof Lifetimes> = {
  '--lifetime-anonymous-access': 'anonymousAccess',
  '--lifetime-anonymous-refresh': 'anonymousRefresh',
  '--lifetime-customer-access': 'customerAccess',
  '--lifetime-customer-refresh': 'customerRefresh',
  '--lifetime-employee-access': 'employeeAccess',
  '--lifetime-email-token': 'emailToken',
  '--lifetime-social-code': 'socialCode',
};

const VALUE_FLAGS = new Set([
  '--port',
  '--host',
  '--tenant',
  '--storefront-client-id',
  '--client-id',
  '--client-secret',
  '--seed-customer',
  '--fault',
  '--contract',
  '--exchange-configs',
  ...Object.keys(LIFETIME_FLAGS),
]);

export const USAGE = `Usage: npm run mock -- [options]

Starts the Emporix customer mock tenant.

Options (flags win over environment variables):
  --port <n>                      port to listen on, 0 picks a free one   [MOCK_PORT, default 4010]
  --host <host>                   interface to listen on                  [MOCK_HOST, default 127.0.0.1]
  --tenant <name[,name]>          tenant(s), repeatable                   [EMPORIX_TENANT, EMPORIX_OTHER_TENANT]
  --storefront-client-id <id>     storefront client id(s), repeatable     [EMPORIX_STOREFRONT_CLIENT_ID]
  --client-id <id>                employee client id                      [EMPORIX_CLIENT_ID]
  --client-secret <secret>        employee client secret                  [EMPORIX_CLIENT_SECRET]
  --seed-customer <email:pass>    active customer on every tenant, repeatable
                                                                          [EMPORIX_CUSTOMER_EMAIL, EMPORIX_CUSTOMER_PASSWORD]
  --lifetime-anonymous-access <s> anonymous access token lifetime (3599)
  --lifetime-anonymous-refresh <s> anonymous refresh token lifetime (86399)
  --lifetime-customer-access <s>  customer access token lifetime (2591999)
  --lifetime-customer-refresh <s> customer refresh token lifetime (86399)
  --lifetime-employee-access <s>  employee token lifetime (14399)
  --lifetime-email-token <s>      emailed token lifetime (3600)
  --lifetime-social-code <s>      identity provider code lifetime (60)
  --contract <version>            operations served: ${CONTRACT_VERSIONS.join('|')}
                                  (2025-12: no token exchange; 2026-08: no DELETE /me nor
                                  POST /me/accounts/internal; all: both)  [MOCK_CONTRACT, default all]
  --exchange-configs <id[,id]>    token exchange config ids besides the default
                                                                          [MOCK_EXCHANGE_CONFIGS, default ${DEFAULT_EXCHANGE_CONFIGS.join(',')}]
  --fault <name>                  deliberate deviation, repeatable        [MOCK_FAULT, comma list]
  --list-faults                   print the faults and benign variants --fault accepts
  --help                          print this text
`;

export type ParseResult =
  { ok: true; options: MockOptions; help: boolean; listFaults: boolean } | { ok: false; errors: string[] };

type Env = Record<string, string | undefined>;

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function parsePort(raw: string, source: string, errors: string[]): number | undefined {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    errors.push(`${source}: port must be an integer from 0 to 65535, got '${raw}'`);
    return undefined;
  }
  return Number(raw);
}

function parseSeed(raw: string, source: string, errors: string[]): SeedCustomer | undefined {
  const colon = raw.indexOf(':');
  const email = colon > 0 ? raw.slice(0, colon) : '';
  const password = colon > 0 ? raw.slice(colon + 1) : '';
  if (!/^[^\s@:]+@[^\s@]+\.[^\s@]+$/.test(email) || password.length < 6) {
    // The password is not echoed.
    errors.push(
      `${source}: expected email:password with a valid email and a password of at least 6 characters, got '${email || raw.split(':')[0]}:***'`,
    );
    return undefined;
  }
  return { email, password };
}

/**
 * Reads the CLI arguments (without the node and script entries) and the environment.
 * Returns the resolved options, or every problem found.
 */
export function parseMockOptions(argv: readonly string[], env: Env): ParseResult {
  const errors: string[] = [];
  const options = defaultMockOptions();
  let help = false;
  let listFaults = false;

  // Environment first; flags override below.
  if (env.MOCK_PORT !== undefined && env.MOCK_PORT !== '') {
    const port = parsePort(env.MOCK_PORT, 'MOCK_PORT', errors);
    if (port !== undefined) options.port = port;
  }
  if (env.MOCK_HOST) options.host = env.MOCK_HOST;
  // Each variable replaces one of the two default tenants (the second one serves cross-tenant checks).
  const envTenant = env.EMPORIX_TENANT?.trim();
  const envOtherTenant = env.EMPORIX_OTHER_TENANT?.trim();
  if (envTenant || envOtherTenant) {
    options.tenants = [...new Set([envTenant || options.tenants[0]!, envOtherTenant || options.tenants[1]!])];
    for (const [name, value] of [
      ['EMPORIX_TENANT', envTenant],
      ['EMPORIX_OTHER_TENANT', envOtherTenant],
    ] as const) {
      if (value && !isValidTenantName(value)) {
        errors.push(`${name}: tenant must match ^[a-z][a-z0-9]+$ with 3 to 16 characters, got '${value}'`);
      }
    }
  }
  if (env.EMPORIX_STOREFRONT_CLIENT_ID) options.storefrontClientIds = [env.EMPORIX_STOREFRONT_CLIENT_ID];
  const employee = { ...options.employeeClients[0]! };
  if (env.EMPORIX_CLIENT_ID) employee.clientId = env.EMPORIX_CLIENT_ID;
  if (env.EMPORIX_CLIENT_SECRET) employee.clientSecret = env.EMPORIX_CLIENT_SECRET;
  if (env.EMPORIX_CUSTOMER_EMAIL || env.EMPORIX_CUSTOMER_PASSWORD) {
    const seed = parseSeed(
      `${env.EMPORIX_CUSTOMER_EMAIL ?? options.seedCustomers[0]!.email}:${env.EMPORIX_CUSTOMER_PASSWORD ?? options.seedCustomers[0]!.password}`,
      'EMPORIX_CUSTOMER_EMAIL/EMPORIX_CUSTOMER_PASSWORD',
      errors,
    );
    if (seed) options.seedCustomers = [seed];
  }
  if (env.MOCK_FAULT) options.faults = splitList(env.MOCK_FAULT);

  // Flags.
  const flagTenants: string[] = [];
  const flagClients: string[] = [];
  const flagSeeds: SeedCustomer[] = [];
  const flagFaults: string[] = [];
  const contractValues: Record<string, string | undefined> = {
    '--contract': env.MOCK_CONTRACT,
    '--exchange-configs': env.MOCK_EXCHANGE_CONFIGS,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--list-faults') {
      listFaults = true;
      continue;
    }
    let flag = arg;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      flag = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    }
    if (!VALUE_FLAGS.has(flag)) {
      errors.push(`unknown option '${arg}' (see --help)`);
      continue;
    }
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        errors.push(`${flag}: a value is required`);
        continue;
      }
      i++;
    }
    const lifetime = LIFETIME_FLAGS[flag];
    if (lifetime) {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
        errors.push(`${flag}: lifetime must be a non-negative integer number of seconds, got '${value}'`);
      } else {
        options.lifetimes[lifetime] = Number(value);
      }
      continue;
    }
    switch (flag) {
      case '--port': {
        const port = parsePort(value, '--port', errors);
        if (port !== undefined) options.port = port;
        break;
      }
      case '--host':
        if (value.trim() === '') errors.push('--host: must not be empty');
        else options.host = value;
        break;
      case '--tenant':
        for (const tenant of splitList(value)) {
          if (!isValidTenantName(tenant)) {
            errors.push(
              `--tenant: tenant must match ^[a-z][a-z0-9]+$ with 3 to 16 characters, got '${tenant}'`,
            );
          } else {
            flagTenants.push(tenant);
          }
        }
        break;
      case '--storefront-client-id':
        flagClients.push(...splitList(value));
        break;
      case '--client-id':
        employee.clientId = value;
        break;
      case '--client-secret':
        employee.clientSecret = value;
        break;
      case '--seed-customer': {
        const seed = parseSeed(value, '--seed-customer', errors);
        if (seed) flagSeeds.push(seed);
        break;
      }
      case '--fault':
        flagFaults.push(...splitList(value));
        break;
      case '--contract':
      case '--exchange-configs':
        contractValues[flag] = value;
        break;
    }
  }
  if (flagTenants.length > 0) options.tenants = [...new Set(flagTenants)];
  if (flagClients.length > 0) options.storefrontClientIds = [...new Set(flagClients)];
  if (flagSeeds.length > 0) options.seedCustomers = flagSeeds;
  if (flagFaults.length > 0) options.faults = flagFaults;
  options.faults = [...new Set(options.faults)];
  for (const name of options.faults) {
    if (!isKnownFault(name)) errors.push(`--fault/MOCK_FAULT: unknown fault '${name}' (see --list-faults)`);
  }
  parseContractOptions(contractValues, options, errors);
  if (employee.clientId === '' || employee.clientSecret === '') {
    errors.push('employee client id and secret must both be non-empty');
  }
  options.employeeClients = [employee];

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, options, help, listFaults };
}
