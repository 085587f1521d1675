// PATCH /me's body is CustomerPatchDto in the 2026-08 reference: `contactEmail` can be changed but
// never unset. The December 2025 reference types it as a plain string (CustomerUpdateDto) and says
// nothing about unsetting; the newer rule is stricter and does not conflict, so the mock applies it
// under every contract. `null` (the JSON merge patch way to remove a member) and an empty or blank
// string are refused with 400 before the body is validated, so the message names the rule.

import type { FastifyRequest } from 'fastify';
import { invalidField } from './errors.ts';

/** Whether a PATCH body would remove the contact email: `null`, `""` or only blanks. */
export function unsetsContactEmail(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  if (!('contactEmail' in body)) return false;
  const value = (body as { contactEmail: unknown }).contactEmail;
  return value === null || (typeof value === 'string' && value.trim() === '');
}

/** Route preValidation hook of PATCH /me: 400 for a body that unsets `contactEmail`. */
export async function refuseContactEmailUnset(request: FastifyRequest): Promise<void> {
  if (unsetsContactEmail(request.body)) {
    throw invalidField('contactEmail', 'invalid_value', 'contactEmail can be changed but not unset');
  }
}
