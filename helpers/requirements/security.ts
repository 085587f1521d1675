// Requirements the security spec checks beyond the chapters: object-level authorization, fields a
// customer must not set, where a bearer token may travel.
import { requirement } from '../findings.ts';

export const FOREIGN_ADDRESS_REFUSED = requirement({
  code: 'security.foreign-address.refused',
  source: 'R',
  reference: "R: the /me/addresses/{addressId} operations' 403 and 404",
  summary: "another customer's address id is refused with 404 or 403",
});

export const FOREIGN_ADDRESS_UNCHANGED = requirement({
  code: 'security.foreign-address.unchanged',
  source: 'T',
  reference: "Tutorial, the address sections: /me/addresses are the calling customer's own addresses",
  summary: "another customer's attempt leaves the owner's address as it was",
});

export const READ_ONLY_FIELDS = requirement({
  code: 'security.read-only-fields',
  source: 'B',
  reference:
    'docs/behaviour.md "PATCH /me": fields outside CustomerUpdateDto are refused or ignored; OWASP API3',
  summary:
    'PATCH /me with active, onHold, id, customerNumber, accounts or password changes none of them (400 or ignored)',
});

export const BEARER_IN_HEADER_ONLY = requirement({
  code: 'security.bearer-in-header',
  source: 'R',
  reference: 'R: securitySchemes (bearer in the Authorization header), 401_unauthorized; RFC 6750 §2',
  summary: 'a token in the query string, under another scheme or altered is refused with 401',
});

export const BEARER_SCHEME_CASE = requirement({
  code: 'security.bearer-scheme-case-insensitive',
  source: 'B',
  reference: 'RFC 7235 §2.1 (auth-scheme names are case-insensitive); docs/behaviour.md "Refusals"',
  summary: 'a lowercase "bearer" scheme is accepted like "Bearer"',
});
