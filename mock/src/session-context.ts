// Anonymous login's optional session-context parameters (2026-08 reference): `currency`, `siteCode`,
// `language`, `targetLocation`. All are strings and all are kept with the anonymous session
// (store.createSession). Only `currency` has a format in the reference, a three-letter currency
// code, so only `currency` is refused when malformed; the other three name entries of other
// services (site settings, countries) the mock does not have, and any string is accepted.

import type { FastifyRequest } from 'fastify';
import { invalidField } from './errors.ts';

const CURRENCY = /^[A-Za-z]{3}$/;

/** Route preHandler hook of anonymous login (after the query schema made every value a string). */
export async function checkSessionContext(request: FastifyRequest): Promise<void> {
  const { currency } = request.query as { currency?: string };
  if (currency !== undefined && !CURRENCY.test(currency)) {
    throw invalidField('currency', 'invalid_format', 'currency must be a three-letter currency code');
  }
}
