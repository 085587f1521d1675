// The mock's external identity provider for token exchange (POST /customer/{tenant}/exchangeauthtoken):
// it signs subject access tokens (RS256 JWTs, as an OpenID provider such as Keycloak issues them) with
// a key pair the mock makes on first use, and the exchange verifies them with the same key.
//
// Each tenant trusts one issuer, `https://external-idp.mock.invalid/{tenant}` (a realm per tenant):
// a subject token made for another tenant, or naming any other `iss`, is from an unknown issuer.
// The key lives as long as the app (a reset of the store keeps it), one per app.

import { createHash, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { MockStore } from './store.ts';

export interface SubjectClaims {
  iss: string;
  sub: string;
  email: string;
  iat: number;
  exp: number;
  jti: string;
}

export type SubjectCheck =
  | { ok: true; claims: Record<string, unknown>; email: string }
  | { ok: false; reason: 'malformed' | 'signature' | 'issuer' | 'expired' | 'subject' };

interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

const keys = new WeakMap<MockStore, KeyPair>();

function keyPairOf(store: MockStore): KeyPair {
  let pair = keys.get(store);
  if (!pair) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pair = { privateKey, publicKey, kid: randomUUID() };
    keys.set(store, pair);
  }
  return pair;
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The one issuer a tenant's exchange trusts. */
export function issuerOf(tenant: string): string {
  return `https://external-idp.mock.invalid/${tenant}`;
}

/** A stable subject id for an email at an issuer, shaped like the UUIDs identity providers use. */
export function subjectOf(issuer: string, email: string): string {
  const hex = createHash('sha256').update(`${issuer}|${email.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Signs any claims as an RS256 JWT with the provider's key. */
export function signSubjectToken(store: MockStore, claims: Record<string, unknown>): string {
  const { privateKey, kid } = keyPairOf(store);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Issues a subject token for `email`; a negative lifetime gives a token that has already expired. */
export function issueSubjectToken(
  store: MockStore,
  input: { tenant: string; email: string; expiresInSeconds: number; issuer?: string },
): string {
  const iat = Math.floor(store.now() / 1000);
  const iss = input.issuer ?? issuerOf(input.tenant);
  const claims: SubjectClaims = {
    iss,
    sub: subjectOf(iss, input.email),
    email: input.email,
    iat,
    exp: iat + input.expiresInSeconds,
    jti: randomUUID(),
  };
  return signSubjectToken(store, { ...claims });
}

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!BASE64URL.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Header and claims of a JWT without checking its signature; undefined when it is not a JWT. */
export function decodeJwt(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown>; signature: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [headerPart = '', payloadPart = '', signature = ''] = parts;
  const header = decodePart(headerPart);
  const claims = decodePart(payloadPart);
  if (!header || !claims || !BASE64URL.test(signature)) return undefined;
  return { header, claims, signature };
}

/**
 * Checks a subject token for the tenant's exchange: a JWT, RS256-signed with the provider's key,
 * from the tenant's issuer, not expired, naming an email (the `email` claim, else a `sub` that is
 * an email address). Checked in that order; the first failure is the reason.
 */
export function verifySubjectToken(store: MockStore, tenant: string, token: string): SubjectCheck {
  const decoded = decodeJwt(token);
  if (!decoded) return { ok: false, reason: 'malformed' };
  const { header, claims, signature } = decoded;
  if (header.alg !== 'RS256') return { ok: false, reason: 'signature' };
  const signed = token.slice(0, token.lastIndexOf('.'));
  const { publicKey } = keyPairOf(store);
  if (!verify('RSA-SHA256', Buffer.from(signed), publicKey, Buffer.from(signature, 'base64url')))
    return { ok: false, reason: 'signature' };
  if (claims.iss !== issuerOf(tenant)) return { ok: false, reason: 'issuer' };
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp))
    return { ok: false, reason: 'malformed' };
  if (store.now() >= claims.exp * 1000) return { ok: false, reason: 'expired' };
  const email =
    typeof claims.email === 'string' && EMAIL_PATTERN.test(claims.email)
      ? claims.email
      : typeof claims.sub === 'string' && EMAIL_PATTERN.test(claims.sub)
        ? claims.sub
        : undefined;
  if (email === undefined) return { ok: false, reason: 'subject' };
  return { ok: true, claims, email };
}
