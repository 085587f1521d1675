// All state of the mock, per tenant, in one object with a reset() back to the seeded start.
//
// Internal API (for route plugins; reach it as `app.store` inside a plugin, `request.server.store`
// in a handler):
//   store.tenant(name)                       TenantState | undefined (only configured tenants exist)
//   store.requireTenant(name)                TenantState, or throws 404 (test-only paths)
//   store.getCustomer(tenant, number)        CustomerRecord | undefined
//   store.findCustomerByEmail(tenant, email) CustomerRecord | undefined (any of its login emails,
//                                            case-insensitive)
//   store.isLoginTaken(tenant, email)        boolean
//   store.createCustomer(tenant, input)      CustomerRecord (a number of behaviour.ids.customerNumberDigits
//                                            digits; input.address becomes the first, default address)
//   store.deleteCustomer(tenant, number)     removes the customer, its logins, addresses, emailed
//                                            tokens and revokes all its bearer tokens
//   store.addLogin(tenant, number, email, passwordHash?)  adds a login email (accounts[]) to a
//                                            customer, optionally with its own password
//   passwordHashOf(customer, email)          the hash that login `email` signs in with
//   store.changeLogin(tenant, number, oldEmail, newEmail)  replaces one login email
//   store.touch(customer)                    adds behaviour.versionStep to metadata.version
//   store.touchAddress(address)              the same for an address
//   store.newAddressId(tenant)               behaviour.ids.addressIdLength lowercase hex characters,
//                                            unique on the tenant
//   store.createAddress(tenant, customer, input)  AddressRecord (first address becomes default)
//   store.removeAddress(tenant, customer, id)  boolean (a removed default passes to the oldest left)
//   store.sendEmail(tenant, {to, kind, token, subject})  appends to the outbox with sentAt
//   store.issueEmailToken(tenant, {kind, customerNumber, to, data?})  64-char token, expiring after
//                                            lifetimes.emailToken; also emails it
//   store.consumeEmailToken(tenant, kind, token)  EmailTokenRecord | undefined: returns it if it
//                                            exists, has that kind and has not expired; it is then
//                                            gone (unless behaviour.emailTokens.singleUse is off)
//   store.tokens                             TokenRegistry (tokens.ts): issue, check, revoke
//   store.now()                              the server clock in milliseconds
// Passwords: hashPassword / verifyPassword in passwords.ts. Customer-facing JSON views of a
// customer and of addresses are built in payloads.ts.

import { randomBytes, randomInt } from 'node:crypto';
import { notFound } from './errors.ts';
import type { Behaviour } from './behaviour.ts';
import type { MockOptions } from './options.ts';
import { hashPasswordSync } from './passwords.ts';
import { TokenRegistry, randomToken } from './tokens.ts';

export type EmailKind = 'opt-in' | 'password-reset' | 'email-change' | 'profile-delete';

export interface EmailMessage {
  to: string;
  kind: EmailKind;
  token: string;
  subject: string;
  sentAt: string;
}

export interface EmailTokenRecord {
  token: string;
  kind: EmailKind;
  customerNumber: string;
  /** Operation-specific data, e.g. { newEmail, syncContactEmail } for an email change. */
  data: Record<string, unknown>;
  expiresAt: number;
}

export interface SocialCode {
  code: string;
  email: string;
  redirectUri: string;
  codeChallenge?: string;
  expiresAt: number;
}

export interface AnonymousSession {
  id: string;
  createdAt: number;
  /** Storefront context given at anonymous login (currency, siteCode, language, targetLocation). */
  context: Record<string, string>;
}

export interface LegalEntity {
  id?: string;
  name?: string;
  contactAssignmentId?: string;
}

export interface B2BDetails {
  companyRegistrationId?: string;
  legalEntities?: LegalEntity[];
}

/** Profile fields a customer or an employee may set. */
export interface ProfileFields {
  title?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  contactEmail?: string;
  contactPhone?: string;
  company?: string;
  preferredLanguage?: string;
  preferredCurrency?: string;
  preferredSite?: string;
  b2b?: B2BDetails;
}

export const PROFILE_FIELD_NAMES = [
  'title',
  'firstName',
  'middleName',
  'lastName',
  'contactEmail',
  'contactPhone',
  'company',
  'preferredLanguage',
  'preferredCurrency',
  'preferredSite',
  'b2b',
] as const;

export const ADDRESS_FIELD_NAMES = [
  'contactName',
  'companyName',
  'street',
  'streetNumber',
  'streetAppendix',
  'extraLine1',
  'extraLine2',
  'extraLine3',
  'extraLine4',
  'zipCode',
  'city',
  'country',
  'state',
  'contactPhone',
] as const;

export type AddressFieldName = (typeof ADDRESS_FIELD_NAMES)[number];

export type AddressFields = Partial<Record<AddressFieldName, string>> & {
  tags?: string[];
  mixins?: Record<string, unknown>;
};

export interface AddressRecord extends AddressFields {
  id: string;
  isDefault: boolean;
  tags: string[];
  metadata: { version: number; mixins: Record<string, unknown> };
}

export interface LoginAccount {
  /** The login email, as the customer typed it. */
  email: string;
  /** Set for accounts created through social login. */
  providerId?: string;
  /** The login's own password (an account assigned with accounts/internal); else the customer's. */
  passwordHash?: string;
}

export interface CustomerRecord {
  customerNumber: string;
  profile: ProfileFields;
  mixins: Record<string, unknown>;
  metadata: { version: number; mixins: Record<string, unknown>; createdAt: string; modifiedAt: string };
  active: boolean;
  onHold: boolean;
  accounts: LoginAccount[];
  /** scrypt hash (passwords.ts); null for customers created by social login. */
  passwordHash: string | null;
  addresses: AddressRecord[];
  lastLogin: string | null;
}

export interface CustomerInput {
  loginEmail: string;
  passwordHash: string | null;
  profile?: ProfileFields;
  mixins?: Record<string, unknown>;
  address?: AddressFields;
  active?: boolean;
  onHold?: boolean;
  providerId?: string;
  /** Seeded customers get fixed numbers so that they survive a reset unchanged. */
  customerNumber?: string;
}

export interface TenantState {
  name: string;
  customers: Map<string, CustomerRecord>;
  /** Lowercase login email -> customer number. */
  logins: Map<string, string>;
  /** Numbers of deleted customers; never handed out again. */
  retiredNumbers: Set<string>;
  addressIds: Set<string>;
  sessions: Map<string, AnonymousSession>;
  outbox: EmailMessage[];
  emailTokens: Map<string, EmailTokenRecord>;
  socialCodes: Map<string, SocialCode>;
}

interface SeedEntry {
  email: string;
  passwordHash: string;
}

function emptyTenant(name: string): TenantState {
  return {
    name,
    customers: new Map(),
    logins: new Map(),
    retiredNumbers: new Set(),
    addressIds: new Set(),
    sessions: new Map(),
    outbox: [],
    emailTokens: new Map(),
    socialCodes: new Map(),
  };
}

export class MockStore {
  readonly tokens: TokenRegistry;
  readonly now: () => number;
  private tenants = new Map<string, TenantState>();
  private readonly seeds: SeedEntry[];
  private readonly behaviour: Behaviour;

  constructor(private readonly options: MockOptions) {
    this.now = options.now;
    this.behaviour = options.behaviour;
    this.tokens = new TokenRegistry(options.behaviour, options.now);
    // Hashed once: reset() reuses the hashes.
    this.seeds = options.seedCustomers.map((seed) => ({
      email: seed.email,
      passwordHash: hashPasswordSync(seed.password),
    }));
    this.reset();
  }

  /** Drops every customer, token, session, email and code, then seeds the configured customers. */
  reset(): void {
    this.tokens.clear();
    this.tenants = new Map(this.options.tenants.map((name) => [name, emptyTenant(name)]));
    for (const tenant of this.tenants.values()) {
      this.seeds.forEach((seed, index) => {
        this.createCustomer(tenant.name, {
          customerNumber: String(10000001 + index),
          loginEmail: seed.email,
          passwordHash: seed.passwordHash,
          active: true,
          profile: {
            title: 'MR',
            firstName: 'Seed',
            lastName: `Customer${index === 0 ? '' : ` ${index + 1}`}`,
            contactEmail: seed.email,
            preferredLanguage: 'en_US',
            preferredCurrency: 'EUR',
            preferredSite: 'main',
          },
          address: {
            contactName: 'Seed Customer',
            street: 'Platz der Republik',
            streetNumber: '1',
            zipCode: '11011',
            city: 'Berlin',
            country: 'DE',
            tags: ['BILLING', 'SHIPPING'],
          },
        });
      });
    }
  }

  tenantNames(): string[] {
    return [...this.tenants.keys()];
  }

  tenant(name: string): TenantState | undefined {
    return this.tenants.get(name);
  }

  requireTenant(name: string): TenantState {
    const tenant = this.tenants.get(name);
    if (!tenant) throw notFound(`Tenant ${name} is not served by this mock.`);
    return tenant;
  }

  getCustomer(tenant: string, customerNumber: string): CustomerRecord | undefined {
    return this.tenants.get(tenant)?.customers.get(customerNumber);
  }

  findCustomerByEmail(tenant: string, email: string): CustomerRecord | undefined {
    const state = this.tenants.get(tenant);
    const number = state?.logins.get(email.toLowerCase());
    return number === undefined ? undefined : state?.customers.get(number);
  }

  isLoginTaken(tenant: string, email: string): boolean {
    return this.tenants.get(tenant)?.logins.has(email.toLowerCase()) ?? false;
  }

  private newCustomerNumber(state: TenantState): string {
    const digits = this.behaviour.ids.customerNumberDigits;
    let number: string;
    do number = String(randomInt(10 ** (digits - 1), 10 ** digits));
    while (state.customers.has(number) || state.retiredNumbers.has(number));
    return number;
  }

  newAddressId(tenant: string): string {
    const state = this.requireTenant(tenant);
    const length = this.behaviour.ids.addressIdLength;
    let id: string;
    do
      id = randomBytes(Math.ceil(length / 2))
        .toString('hex')
        .slice(0, length);
    while (state.addressIds.has(id));
    state.addressIds.add(id);
    return id;
  }

  createCustomer(tenant: string, input: CustomerInput): CustomerRecord {
    const state = this.requireTenant(tenant);
    const nowIso = new Date(this.now()).toISOString();
    const account: LoginAccount = { email: input.loginEmail };
    if (input.providerId !== undefined) account.providerId = input.providerId;
    const customer: CustomerRecord = {
      customerNumber: input.customerNumber ?? this.newCustomerNumber(state),
      profile: structuredClone(input.profile ?? {}),
      mixins: structuredClone(input.mixins ?? {}),
      metadata: { version: 1, mixins: {}, createdAt: nowIso, modifiedAt: nowIso },
      active: input.active ?? false,
      onHold: input.onHold ?? false,
      accounts: [account],
      passwordHash: input.passwordHash,
      addresses: [],
      lastLogin: null,
    };
    state.customers.set(customer.customerNumber, customer);
    state.logins.set(input.loginEmail.toLowerCase(), customer.customerNumber);
    if (input.address) this.createAddress(tenant, customer, input.address);
    return customer;
  }

  createAddress(
    tenant: string,
    customer: CustomerRecord,
    input: AddressFields & { isDefault?: boolean },
  ): AddressRecord {
    const { isDefault, tags, mixins, ...fields } = structuredClone(input);
    const makeDefault = customer.addresses.length === 0 || isDefault === true;
    if (makeDefault) for (const other of customer.addresses) other.isDefault = false;
    const address: AddressRecord = {
      ...fields,
      id: this.newAddressId(tenant),
      isDefault: makeDefault,
      tags: [...new Set(tags ?? [])],
      metadata: { version: 1, mixins: {} },
    };
    if (mixins !== undefined) address.mixins = mixins;
    customer.addresses.push(address);
    return address;
  }

  /** Removes one address; when it was the default, the oldest remaining address becomes the default. */
  removeAddress(tenant: string, customer: CustomerRecord, addressId: string): boolean {
    const index = customer.addresses.findIndex((address) => address.id === addressId);
    if (index < 0) return false;
    const [removed] = customer.addresses.splice(index, 1);
    this.tenants.get(tenant)?.addressIds.delete(addressId);
    const first = customer.addresses[0];
    if (removed?.isDefault && first) first.isDefault = true;
    return true;
  }

  deleteCustomer(tenant: string, customerNumber: string): boolean {
    const state = this.tenants.get(tenant);
    const customer = state?.customers.get(customerNumber);
    if (!state || !customer) return false;
    state.customers.delete(customerNumber);
    state.retiredNumbers.add(customerNumber);
    for (const account of customer.accounts) state.logins.delete(account.email.toLowerCase());
    for (const address of customer.addresses) state.addressIds.delete(address.id);
    for (const [token, record] of state.emailTokens) {
      if (record.customerNumber === customerNumber) state.emailTokens.delete(token);
    }
    this.tokens.revokeCustomer(tenant, customerNumber);
    return true;
  }

  addLogin(tenant: string, customerNumber: string, email: string, passwordHash?: string): void {
    const state = this.requireTenant(tenant);
    const customer = state.customers.get(customerNumber);
    if (!customer) throw notFound(`Customer ${customerNumber} not found.`);
    customer.accounts.push(passwordHash === undefined ? { email } : { email, passwordHash });
    state.logins.set(email.toLowerCase(), customerNumber);
  }

  changeLogin(tenant: string, customerNumber: string, oldEmail: string, newEmail: string): void {
    const state = this.requireTenant(tenant);
    const customer = state.customers.get(customerNumber);
    if (!customer) throw notFound(`Customer ${customerNumber} not found.`);
    const account = customer.accounts.find((a) => a.email.toLowerCase() === oldEmail.toLowerCase());
    if (account) {
      state.logins.delete(account.email.toLowerCase());
      account.email = newEmail;
    } else {
      customer.accounts.push({ email: newEmail });
    }
    state.logins.set(newEmail.toLowerCase(), customerNumber);
    this.tokens.renameCustomerEmail(tenant, customerNumber, newEmail);
  }

  /** Records a change to the customer: metadata.version grows by the behaviour's step. */
  touch(customer: CustomerRecord): void {
    customer.metadata.version += this.behaviour.versionStep;
    customer.metadata.modifiedAt = new Date(this.now()).toISOString();
  }

  /** Records a change to an address: metadata.version grows by the behaviour's step. */
  touchAddress(address: AddressRecord): void {
    address.metadata.version += this.behaviour.versionStep;
  }

  createSession(tenant: string, id: string, context: Record<string, string>): AnonymousSession {
    const session: AnonymousSession = { id, createdAt: this.now(), context };
    this.requireTenant(tenant).sessions.set(id, session);
    return session;
  }

  sendEmail(tenant: string, message: Omit<EmailMessage, 'sentAt'>): EmailMessage {
    const sent: EmailMessage = { ...message, sentAt: new Date(this.now()).toISOString() };
    this.requireTenant(tenant).outbox.push(sent);
    return sent;
  }

  /** Messages of a tenant, oldest first; `to` is compared case-insensitively. */
  outbox(tenant: string, to?: string): EmailMessage[] {
    const messages = this.requireTenant(tenant).outbox;
    if (to === undefined) return [...messages];
    const wanted = to.toLowerCase();
    return messages.filter((message) => message.to.toLowerCase() === wanted);
  }

  /** Creates a single-use emailed token and sends it to `to`. */
  issueEmailToken(
    tenant: string,
    input: { kind: EmailKind; customerNumber: string; to: string; data?: Record<string, unknown> },
  ): EmailTokenRecord {
    const state = this.requireTenant(tenant);
    let token: string;
    do token = randomToken(64);
    while (state.emailTokens.has(token));
    const record: EmailTokenRecord = {
      token,
      kind: input.kind,
      customerNumber: input.customerNumber,
      data: input.data ?? {},
      expiresAt: this.now() + this.behaviour.lifetimes.emailToken * 1000,
    };
    state.emailTokens.set(token, record);
    this.sendEmail(tenant, { to: input.to, kind: input.kind, token, subject: EMAIL_SUBJECTS[input.kind] });
    return record;
  }

  /**
   * Returns the token record if it exists, has the kind and is not expired; a single-use token is
   * then gone (even when it had expired).
   */
  consumeEmailToken(tenant: string, kind: EmailKind, token: string): EmailTokenRecord | undefined {
    const state = this.tenants.get(tenant);
    const record = state?.emailTokens.get(token);
    if (!state || !record || record.kind !== kind) return undefined;
    if (this.behaviour.emailTokens.singleUse) state.emailTokens.delete(token);
    if (this.now() >= record.expiresAt) return undefined;
    if (!state.customers.has(record.customerNumber)) return undefined;
    return record;
  }
}

/** The password hash login `email` of the customer signs in with (its own, else the customer's). */
export function passwordHashOf(customer: CustomerRecord, email: string): string | null {
  const wanted = email.toLowerCase();
  const account = customer.accounts.find((a) => a.email.toLowerCase() === wanted);
  return account?.passwordHash ?? customer.passwordHash;
}

export const EMAIL_SUBJECTS: Record<EmailKind, string> = {
  'opt-in': 'Confirm your account',
  'password-reset': 'Reset your password',
  'email-change': 'Confirm your new email address',
  'profile-delete': 'Confirm the deletion of your account',
};
