// Bearer tokens: random opaque access and refresh tokens bound to one tenant and one kind, their
// look-up, expiry and revocation, and the HS256 `saas_token` JWT.

import { createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { BASE62, type Behaviour } from './behaviour.ts';

export type TokenKind = 'anonymous' | 'customer' | 'employee';
export type TokenUse = 'access' | 'refresh';

export interface TokenRecord {
  value: string;
  use: TokenUse;
  kind: TokenKind;
  tenant: string;
  /** Anonymous session the token belongs to ('' for employee tokens). */
  sessionId: string;
  /** Customer tokens only. */
  customerNumber?: string;
  /** Login email the customer token was obtained with. */
  email?: string;
  legalEntityId?: string;
  /** Employee tokens only. */
  clientId?: string;
  scope: string;
  issuedAt: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** Lifetime announced in `expires_in` (seconds). */
  lifetime: number;
  /** The other token of the pair (refresh of an access token, access of a refresh token). */
  partner?: string;
}

export interface TokenPair {
  access: TokenRecord;
  refresh: TokenRecord;
}

export type AccessCheck =
  { status: 'valid'; token: TokenRecord } | { status: 'expired'; token: TokenRecord } | { status: 'invalid' };

/** A random string of `length` characters drawn from `alphabet`. */
export function randomToken(length: number, alphabet: string = BASE62): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Scopes a customer token carries, as the validate operation reports them. */
export const CUSTOMER_SCOPES = [
  'customer.customer_read_own',
  'customer.customer_manage_own',
  'customer.customerprofile_view',
  'customer.customerprofile_edit',
  'customer.consent_view',
  'customer.consent_manage',
  'order.order_readascustomer',
  'order.history_view',
  'coupon.coupon_redeem',
];

export const EMPLOYEE_SCOPES = ['customer.customer_manage', 'customer.customer_read'];

export interface CustomerTokenInput {
  customerNumber: string;
  sessionId: string;
  email: string;
  legalEntityId?: string;
}

export class TokenRegistry {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly jwtSecret = randomBytes(32);

  constructor(
    private readonly behaviour: Pick<Behaviour, 'lifetimes' | 'tokens'>,
    private readonly now: () => number,
  ) {}

  private get lifetimes() {
    return this.behaviour.lifetimes;
  }

  clear(): void {
    this.tokens.clear();
  }

  private create(
    use: TokenUse,
    fields: Omit<TokenRecord, 'value' | 'use' | 'issuedAt' | 'expiresAt'>,
  ): TokenRecord {
    let value: string;
    const { accessLength, refreshLength, alphabet } = this.behaviour.tokens;
    do value = randomToken(use === 'access' ? accessLength : refreshLength, alphabet);
    while (this.tokens.has(value));
    const issuedAt = this.now();
    const record: TokenRecord = {
      ...fields,
      value,
      use,
      issuedAt,
      expiresAt: issuedAt + fields.lifetime * 1000,
    };
    this.tokens.set(value, record);
    return record;
  }

  private pair(
    fields: Omit<TokenRecord, 'value' | 'use' | 'issuedAt' | 'expiresAt' | 'lifetime'>,
    accessLifetime: number,
    refreshLifetime: number,
  ): TokenPair {
    const access = this.create('access', { ...fields, lifetime: accessLifetime });
    const refresh = this.create('refresh', { ...fields, lifetime: refreshLifetime, partner: access.value });
    access.partner = refresh.value;
    return { access, refresh };
  }

  /** A new anonymous access/refresh pair; a new session id unless one is given (refresh keeps it). */
  issueAnonymous(tenant: string, sessionId: string = randomUUID()): TokenPair {
    return this.pair(
      { kind: 'anonymous', tenant, sessionId, scope: `tenant=${tenant}` },
      this.lifetimes.anonymousAccess,
      this.lifetimes.anonymousRefresh,
    );
  }

  /** An anonymous access token alone (the deprecated refresh by access token answers no refresh token). */
  issueAnonymousAccessOnly(tenant: string, sessionId: string): TokenRecord {
    return this.create('access', {
      kind: 'anonymous',
      tenant,
      sessionId,
      scope: `tenant=${tenant}`,
      lifetime: this.lifetimes.anonymousAccess,
    });
  }

  issueCustomer(tenant: string, input: CustomerTokenInput): TokenPair {
    const fields: Omit<TokenRecord, 'value' | 'use' | 'issuedAt' | 'expiresAt' | 'lifetime'> = {
      kind: 'customer',
      tenant,
      sessionId: input.sessionId,
      customerNumber: input.customerNumber,
      email: input.email,
      scope: `${CUSTOMER_SCOPES.join(' ')} tenant=${tenant}`,
    };
    if (input.legalEntityId !== undefined) fields.legalEntityId = input.legalEntityId;
    return this.pair(fields, this.lifetimes.customerAccess, this.lifetimes.customerRefresh);
  }

  /**
   * A new access token for a refresh token that is kept (a refresh that does not rotate): the pair
   * is the new access token and the same refresh token, which now belongs to it.
   */
  renewAccess(
    refresh: TokenRecord,
    changes: Partial<Pick<TokenRecord, 'sessionId' | 'legalEntityId'>> = {},
  ): TokenPair {
    const {
      value: _value,
      use: _use,
      issuedAt: _issuedAt,
      expiresAt: _expiresAt,
      partner: _partner,
      ...fields
    } = {
      ...refresh,
      ...changes,
    };
    const lifetime =
      fields.kind === 'customer' ? this.lifetimes.customerAccess : this.lifetimes.anonymousAccess;
    const access = this.create('access', { ...fields, lifetime });
    access.partner = refresh.value;
    refresh.partner = access.value;
    if (changes.sessionId !== undefined) refresh.sessionId = changes.sessionId;
    if (changes.legalEntityId !== undefined) refresh.legalEntityId = changes.legalEntityId;
    return { access, refresh };
  }

  /** A service token; `scopes` narrows it (default: every employee scope). */
  issueEmployee(tenant: string, clientId: string, scopes: readonly string[] = EMPLOYEE_SCOPES): TokenRecord {
    return this.create('access', {
      kind: 'employee',
      tenant,
      sessionId: '',
      clientId,
      scope: [`tenant=${tenant}`, ...scopes].join(' '),
      lifetime: this.lifetimes.employeeAccess,
    });
  }

  /**
   * Makes one live token of the tenant (access or refresh) expired now, leaving every other token
   * and the clock alone. False when the tenant has no such token.
   */
  expireNow(value: string, tenant: string): boolean {
    const token = this.tokens.get(value);
    if (!token || token.tenant !== tenant) return false;
    token.expiresAt = Math.min(token.expiresAt, this.now());
    return true;
  }

  isExpired(token: TokenRecord): boolean {
    return this.now() >= token.expiresAt;
  }

  /** Whole seconds the token has left (never negative). */
  remainingSeconds(token: TokenRecord): number {
    return Math.max(0, Math.floor((token.expiresAt - this.now()) / 1000));
  }

  /** Classifies a presented access token: valid, expired, or invalid (unknown, revoked, or a refresh token). */
  checkAccess(value: string): AccessCheck {
    const token = this.tokens.get(value);
    if (!token || token.use !== 'access') return { status: 'invalid' };
    if (this.isExpired(token)) return { status: 'expired', token };
    return { status: 'valid', token };
  }

  /** A live refresh token of the tenant and kind, or undefined. */
  findRefresh(value: string, tenant: string, kind: TokenKind): TokenRecord | undefined {
    const token = this.tokens.get(value);
    if (!token || token.use !== 'refresh' || token.tenant !== tenant || token.kind !== kind) return undefined;
    if (this.isExpired(token)) return undefined;
    return token;
  }

  /** A live access token of the tenant and kind, or undefined. */
  findAccess(value: string, tenant: string, kind: TokenKind): TokenRecord | undefined {
    const check = this.checkAccess(value);
    if (check.status !== 'valid' || check.token.tenant !== tenant || check.token.kind !== kind)
      return undefined;
    return check.token;
  }

  /** Revokes one token (its partner keeps working). */
  revoke(value: string): void {
    const token = this.tokens.get(value);
    if (!token) return;
    this.tokens.delete(value);
    if (token.partner) {
      const partner = this.tokens.get(token.partner);
      if (partner) delete partner.partner;
    }
  }

  /** Revokes a token and the other token of its pair (logout). */
  revokeWithPartner(value: string): void {
    const token = this.tokens.get(value);
    if (!token) return;
    this.tokens.delete(value);
    if (token.partner) this.tokens.delete(token.partner);
  }

  /**
   * Revokes every token of a customer on a tenant. `keepAccess`, when given, names an access token
   * that survives together with its refresh token (a password change keeps the calling session).
   */
  revokeCustomer(tenant: string, customerNumber: string, keepAccess?: string): number {
    const keep = new Set<string>();
    if (keepAccess) {
      keep.add(keepAccess);
      const partner = this.tokens.get(keepAccess)?.partner;
      if (partner) keep.add(partner);
    }
    let revoked = 0;
    for (const [value, token] of this.tokens) {
      if (token.tenant === tenant && token.customerNumber === customerNumber && !keep.has(value)) {
        this.tokens.delete(value);
        revoked++;
      }
    }
    return revoked;
  }

  /** Updates the login email recorded in a customer's live tokens (after an email change). */
  renameCustomerEmail(tenant: string, customerNumber: string, email: string): void {
    for (const token of this.tokens.values()) {
      if (token.tenant === tenant && token.customerNumber === customerNumber) token.email = email;
    }
  }

  /** The `saas_token`: an HS256 JWT whose subject is the customer number. */
  saasToken(customerNumber: string, expiresAt: number): string {
    return this.signJwt({
      sub: customerNumber,
      iat: Math.floor(this.now() / 1000),
      exp: Math.floor(expiresAt / 1000),
      jti: randomUUID(),
    });
  }

  /** Signs any claims as an HS256 JWT with this server's secret. */
  signJwt(claims: Record<string, unknown>): string {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const signature = createHmac('sha256', this.jwtSecret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }
}
