// Requirements of the tutorial's "How to manage a customer's profile" (profile, deletion, accounts)
// and of what no answer may reveal.
import { requirement } from '../findings.ts';

export const PROFILE_IDENTITY = requirement({
  code: 'profile.identity',
  source: 'T',
  reference:
    'Tutorial, "Retrieving a customer profile" (id and customerNumber); "Creating a new customer": the ID',
  summary: 'the profile carries the customer number signup answered, as id and customerNumber',
});

export const PROFILE_UPDATE_APPLIED = requirement({
  code: 'profile.update.applied',
  source: 'T',
  reference: 'Tutorial, "Updating a customer profile"',
  summary: 'a PATCH /me is read back with the values sent',
});

export const PROFILE_VERSION_INTEGER = requirement({
  code: 'profile.version.integer',
  source: 'R',
  reference: 'R: DefaultDtoMetadata.version (integer)',
  summary: 'metadata.version is an integer',
});

export const PROFILE_VERSION_GROWS = requirement({
  code: 'profile.version.grows',
  source: 'B',
  reference: 'docs/behaviour.md "PATCH /me": every change adds 1 to metadata.version',
  summary: 'metadata.version grows with every change (the project reads +1; a tenant may jump)',
});

export const PROFILE_VERSION_PLUS_ONE = requirement({
  code: 'profile.version.plus-one',
  source: 'B',
  reference: 'docs/behaviour.md "PATCH /me"',
  summary: 'one change adds exactly 1 to metadata.version',
});

export const PROFILE_STALE_VERSION = requirement({
  code: 'profile.version.stale-refused',
  source: 'B',
  reference: 'docs/behaviour.md "PATCH /me"; docs/discrepancies.md row 41 (R documents no 409 here)',
  summary: 'a PATCH /me naming a stale metadata.version is refused (409 or 400) and changes nothing',
});

export const PROFILE_INVALID_REFUSED = requirement({
  code: 'profile.update.invalid-refused',
  source: 'R',
  reference: 'R: PATCH-customer-update-customer 400; CustomerUpdateDto types',
  summary: 'a PATCH /me with a mistyped field is refused with 400 and changes nothing',
});

export const ANONYMOUS_PROFILE = requirement({
  code: 'profile.anonymous',
  source: 'F',
  reference: 'FACTS "Profile and addresses": the anonymous profile (Anonymous, 00000000, no accounts)',
  summary: 'GET /me with an anonymous token answers the anonymous profile',
});

export const PROFILE_NO_ADDRESSES_WITHOUT_EXPAND = requirement({
  code: 'profile.expand.addresses-only-when-asked',
  source: 'B',
  reference: 'docs/behaviour.md "GET /me"',
  summary: 'without expand=addresses the profile carries no addresses',
});

export const PROFILE_EXPAND_ADDRESSES = requirement({
  code: 'profile.expand.addresses',
  source: 'T',
  reference: 'Tutorial, "Retrieving a customer profile": /me?expand=addresses,mixin:*',
  summary: "with expand=addresses the profile carries the customer's addresses",
});

export const PROFILE_EXPAND_MIXINS = requirement({
  code: 'profile.expand.mixins',
  source: 'T',
  reference:
    'Tutorial, "Retrieving a customer profile": expand=addresses,mixin:* answers "mixins": {} objects',
  summary: 'with expand=mixin:* the profile and its addresses carry mixins objects',
});

export const PROFILE_B2B_AND_SITE = requirement({
  code: 'profile.update.b2b-and-site',
  source: 'T',
  reference: 'Tutorial, "Updating a customer profile": company, b2b and preferredSite',
  summary: 'B2B information and preferredSite sent with PATCH /me are read back',
});

export const DELETE_ME_ANSWER = requirement({
  code: 'profile.delete.202-or-204',
  source: 'T',
  reference: 'Tutorial, "Deleting a customer profile": 202 when confirmation is required, 204 when immediate',
  summary: 'DELETE /me answers 202 (confirmation emailed) or 204 (deleted at once)',
});

export const DELETE_ME_CONFIRMATION_EMAILED = requirement({
  code: 'profile.delete.confirmation-emailed',
  source: 'B',
  reference: 'docs/behaviour.md "DELETE /me": the confirmation token is emailed',
  summary: 'after a 202 the customer receives a confirmation token by email',
});

export const DELETE_ME_GONE = requirement({
  code: 'profile.delete.gone',
  source: 'T',
  reference:
    'Tutorial, "Deleting a customer profile": permanently removes the profile and all associated accounts',
  summary: 'a deleted profile is gone: its logins are refused and the employee no longer finds it',
});

export const ASSIGN_ACCOUNT = requirement({
  code: 'account.assign',
  source: 'T',
  reference: 'Tutorial, "Assigning an account to a customer profile": 201 with the customer id',
  summary: 'assigning an account answers the customer id, and the new login reads the same profile',
});

export const FIELD_UNCHANGED = requirement({
  code: 'profile.refused-change.nothing-changed',
  source: 'B',
  reference: 'docs/behaviour.md "PATCH /me": a refused change changes nothing',
  summary: 'a refused or read-only change leaves the field as it was',
});

export const NO_SECRETS = requirement({
  code: 'security.no-secrets',
  source: 'B',
  reference: 'docs/behaviour.md "Never a password or hash"; OWASP API3',
  summary: 'no answer carries a password, hash, salt or secret, nor echoes a password sent',
});

export const NOTHING_LEAKED = requirement({
  code: 'security.refusal-reveals-nothing',
  source: 'B',
  reference: 'docs/behaviour.md "Addresses"; OWASP API1',
  summary: "refusing another customer's resource does not reveal that customer's data",
});

export const DELETE_ME_WRONG_TOKEN = requirement({
  code: 'profile.delete.wrong-token.400',
  source: 'B',
  reference: 'docs/behaviour.md "DELETE /me": wrong token → 400 (R lists 400 without saying when)',
  summary: 'a confirmation token that was never emailed is refused with 400 and the profile stays',
});

export const ASSIGN_TAKEN = requirement({
  code: 'account.assign.taken-409',
  source: 'R',
  reference: 'R: POST-customer-assign-customer-account 409',
  summary: 'assigning an email that is already a login answers 409',
});
