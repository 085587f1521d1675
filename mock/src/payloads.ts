// Every success payload the mock answers is built here, one function per payload.

import type { AddressRecord, CustomerRecord, EmailMessage } from './store.ts';
import type { TokenPair, TokenRecord, TokenRegistry } from './tokens.ts';

export interface AnonymousTokenBody {
  token_type: 'Bearer';
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  sessionId: string;
  scope: string;
}

/**
 * Anonymous login and refresh; without a refresh token (deprecated refresh) the refresh fields are
 * left out. A refresh token that is kept (not rotated) announces the seconds it has left.
 */
export function anonymousTokenBody(
  access: TokenRecord,
  refresh?: TokenRecord,
  refreshExpiresIn = refresh?.lifetime,
): AnonymousTokenBody {
  const refreshFields = refresh
    ? { refresh_token: refresh.value, refresh_token_expires_in: refreshExpiresIn ?? refresh.lifetime }
    : {};
  return {
    token_type: 'Bearer',
    access_token: access.value,
    expires_in: access.lifetime,
    ...refreshFields,
    sessionId: access.sessionId,
    scope: access.scope,
  };
}

export function employeeTokenBody(access: TokenRecord) {
  return {
    access_token: access.value,
    token_type: 'Bearer' as const,
    expires_in: access.lifetime,
    refresh_token: '',
    refresh_token_expires_in: 0,
    session_idle_time: 120,
    scope: access.scope,
  };
}

/**
 * Customer refresh: the login payload without saas_token and initialPassword. A refresh token that
 * is kept (not rotated) announces the seconds it has left.
 */
export function refreshedCustomerTokenBody(pair: TokenPair, refreshExpiresIn = pair.refresh.lifetime) {
  return {
    access_token: pair.access.value,
    expires_in: pair.access.lifetime,
    refresh_token: pair.refresh.value,
    refresh_token_expires_in: refreshExpiresIn,
    token_type: 'Bearer' as const,
    session_id: pair.access.sessionId,
  };
}

/** Login and double opt-in confirmation. */
export function customerTokenBody(pair: TokenPair, tokens: TokenRegistry) {
  return {
    access_token: pair.access.value,
    saas_token: tokens.saasToken(pair.access.customerNumber ?? '', pair.access.expiresAt),
    expires_in: pair.access.lifetime,
    refresh_token: pair.refresh.value,
    refresh_token_expires_in: pair.refresh.lifetime,
    token_type: 'Bearer' as const,
    session_id: pair.access.sessionId,
    initialPassword: false,
  };
}

/** Social login: lifetimes as strings, as the reference types them. */
export function socialTokenBody(
  pair: TokenPair,
  tokens: TokenRegistry,
  social: { accessToken: string; idToken: string },
  tenant: string,
) {
  return {
    social_access_token: social.accessToken,
    social_id_token: social.idToken,
    refresh_token: pair.refresh.value,
    refresh_token_expires_in: String(pair.refresh.lifetime),
    session_idle_time: 3600,
    token_type: 'Bearer' as const,
    access_token: pair.access.value,
    saas_token: tokens.saasToken(pair.access.customerNumber ?? '', pair.access.expiresAt),
    expires_in: String(pair.access.lifetime),
    scope: `tenant=${tenant}`,
  };
}

export function validateTokenBody(token: TokenRecord, remaining: number) {
  const body: {
    token_type: 'Bearer';
    expires_in: number;
    scope: string;
    sessionId: string;
    email: string;
    legalEntityId?: string;
  } = {
    token_type: 'Bearer',
    expires_in: remaining,
    scope: token.scope,
    sessionId: token.sessionId,
    email: token.email ?? '',
  };
  if (token.legalEntityId !== undefined) body.legalEntityId = token.legalEntityId;
  return body;
}

export function createdIdBody(id: string) {
  return { id };
}

export function addressView(address: AddressRecord) {
  return structuredClone(address);
}

export function businessModelOf(customer: CustomerRecord): 'B2B' | 'B2C' {
  const b2b = customer.profile.b2b;
  return b2b && (b2b.companyRegistrationId || (b2b.legalEntities?.length ?? 0) > 0) ? 'B2B' : 'B2C';
}

/**
 * The customer profile as GET /me answers it. `addresses` only with expandAddresses.
 * Never a password or its hash.
 */
export function customerView(customer: CustomerRecord, options: { expandAddresses?: boolean } = {}) {
  const view: Record<string, unknown> = {
    id: customer.customerNumber,
    customerNumber: customer.customerNumber,
    ...structuredClone(customer.profile),
    accounts: customer.accounts.map((account) =>
      account.providerId ? { id: account.email, providerId: account.providerId } : { id: account.email },
    ),
    businessModel: businessModelOf(customer),
    mixins: structuredClone(customer.mixins),
    metadata: { version: customer.metadata.version, mixins: structuredClone(customer.metadata.mixins) },
  };
  if (customer.lastLogin !== null) view.lastLogin = customer.lastLogin;
  if (options.expandAddresses) view.addresses = customer.addresses.map(addressView);
  return view;
}

/** The tenant-managed (employee) view: the profile plus the account state. */
export function employeeCustomerView(customer: CustomerRecord, options: { expandAddresses?: boolean } = {}) {
  return {
    ...customerView(customer, options),
    active: customer.active,
    onHold: customer.onHold,
    metadataCreatedAt: customer.metadata.createdAt,
  };
}

export const ANONYMOUS_PROFILE = {
  id: '00000000',
  customerNumber: '00000000',
  firstName: 'Anonymous',
  lastName: 'Anonymous',
  preferredSite: 'default',
  accounts: [],
} as const;

export function anonymousProfileBody() {
  return structuredClone(ANONYMOUS_PROFILE);
}

export function outboxBody(messages: EmailMessage[]) {
  return messages.map((message) => ({ ...message }));
}
