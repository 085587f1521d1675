// Steps of the token exchange for the mock's tests: a subject token from the mock's external
// identity provider, and the exchange itself.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { TENANT, bearer, expectStatus, jsonObject, type JsonObject } from './helpers.ts';

export interface SubjectOptions {
  expiresInSeconds?: number;
  issuer?: string;
  tenant?: string;
}

export function subjectTokenRaw(
  app: FastifyInstance,
  payload: unknown,
  tenant = TENANT,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/_mock/${tenant}/external-idp/token`,
    ...(payload === undefined ? {} : { payload: payload as JsonObject }),
  });
}

/** A subject access token for `email` from the mock's external identity provider. */
export async function subjectToken(
  app: FastifyInstance,
  email: string,
  options: SubjectOptions = {},
): Promise<string> {
  const { tenant, ...rest } = options;
  const res = await subjectTokenRaw(app, { email, ...rest }, tenant);
  expectStatus(res, 200, 'external-idp token');
  const token = jsonObject(res, 'external-idp token').token;
  if (typeof token !== 'string') throw new Error(`external-idp token: no token in ${res.body}`);
  return token;
}

export function exchange(
  app: FastifyInstance,
  authorization: string | undefined,
  subjectAccessToken: string | undefined,
  options: { config?: string; tenant?: string } = {},
): Promise<LightMyRequestResponse> {
  const query: Record<string, string> = {};
  if (subjectAccessToken !== undefined) query.subjectAccessToken = subjectAccessToken;
  if (options.config !== undefined) query.config = options.config;
  return app.inject({
    method: 'POST',
    url: `/customer/${options.tenant ?? TENANT}/exchangeauthtoken`,
    query,
    ...(authorization === undefined ? {} : { headers: bearer(authorization) }),
  });
}

/** The claims of a JWT (no signature check). */
export function claimsOf(jwt: string): JsonObject {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JsonObject;
}

export function headerOf(jwt: string): JsonObject {
  const header = jwt.split('.')[0] ?? '';
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as JsonObject;
}

/** The same JWT with its signature changed in the middle (still base64url, no longer valid). */
export function withBadSignature(jwt: string): string {
  const dot = jwt.lastIndexOf('.');
  const signature = jwt.slice(dot + 1);
  const middle = Math.floor(signature.length / 2);
  const flipped = signature[middle] === 'A' ? 'B' : 'A';
  return `${jwt.slice(0, dot + 1)}${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
}

/** The JWT with other claims in its payload and its original signature. */
export function withClaims(jwt: string, claims: JsonObject): string {
  const [header = '', , signature = ''] = jwt.split('.');
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}
