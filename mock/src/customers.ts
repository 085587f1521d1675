// Rules on customer profiles shared by signup, the employee PATCH and PATCH /me.

import { conflict, invalidField } from './errors.ts';
import { PROFILE_FIELD_NAMES, type CustomerRecord, type ProfileFields } from './store.ts';

export interface ProfileInput extends ProfileFields {
  metadata?: { version?: number; mixins?: Record<string, unknown> };
  mixins?: Record<string, unknown>;
}

/** Only the profile fields of an input (drops metadata, mixins and anything else). */
export function pickProfile(input: ProfileInput): ProfileFields {
  const profile: Record<string, unknown> = {};
  for (const name of PROFILE_FIELD_NAMES) {
    if (input[name] !== undefined) profile[name] = structuredClone(input[name]);
  }
  return profile as ProfileFields;
}

/**
 * A B2B company registration id requires firstName, lastName and company (400 otherwise).
 * `prefix` names where the fields sit in the request (e.g. 'customerDetails.').
 */
export function checkB2bRequirements(profile: ProfileFields, prefix = ''): void {
  if (!profile.b2b?.companyRegistrationId) return;
  for (const field of ['firstName', 'lastName', 'company'] as const) {
    const value = profile[field];
    if (typeof value !== 'string' || value.trim() === '') {
      throw invalidField(
        `${prefix}${field}`,
        'missing_value',
        `${prefix}${field} is required when b2b.companyRegistrationId is given`,
      );
    }
  }
}

/** When the request names metadata.version it must be the current one (409 otherwise). */
export function checkVersion(customer: CustomerRecord, input: ProfileInput): void {
  const version = input.metadata?.version;
  if (version !== undefined && version !== customer.metadata.version) {
    throw conflict(
      `Customer ${customer.customerNumber} has version ${customer.metadata.version}, the request named version ${version}.`,
    );
  }
}

/**
 * Applies profile fields and mixins of a validated patch (after checkVersion) and checks the B2B
 * rule on the result. Does not touch the version: the caller calls store.touch(customer).
 */
export function applyProfilePatch(customer: CustomerRecord, input: ProfileInput, prefix = ''): void {
  const next: ProfileFields = { ...structuredClone(customer.profile), ...pickProfile(input) };
  checkB2bRequirements(next, prefix);
  customer.profile = next;
  if (input.mixins) Object.assign(customer.mixins, structuredClone(input.mixins));
  if (input.metadata?.mixins) Object.assign(customer.metadata.mixins, structuredClone(input.metadata.mixins));
}
