// Requirements of the contract versions' new behaviour (docs/contract-versions.md): token exchange,
// anonymous login's session context and PATCH /me's contactEmail rule, all from the customer-managed
// reference of August 2026 (contract 2026-08).
import { requirement } from '../findings.ts';

export const EXCHANGE_TOKEN_WORKS = requirement({
  code: 'exchange.token.works',
  source: 'R',
  reference: 'R 2026-08: POST-customer-exchange-authtoken 200 ("A customer token is returned")',
  summary: 'The customer token token exchange returns reads the customer profile (GET /me 200).',
});

export const EXCHANGE_TOKEN_SAME_CUSTOMER = requirement({
  code: 'exchange.token.identity',
  source: 'B',
  reference: 'docs/contract-versions.md, "Token exchange": the token is the subject email\'s customer',
  summary: "The exchanged token's profile is the customer whose email the subject token names.",
});

export const EXCHANGE_TOKEN_BOUND = requirement({
  code: 'exchange.token.tenant-bound',
  source: 'R',
  reference:
    'R 2026-08: POST-customer-exchange-authtoken 200, whose scope names one tenant (tenant=<name>); GET-customer-retrieve-customer-profile 401',
  summary: 'The exchanged customer token is refused by another tenant, like a login token.',
});

export const EXCHANGE_TOKEN_VALIDATES = requirement({
  code: 'exchange.token.validates',
  source: 'R',
  reference: 'R: GET-customer-validate-token 200 for a customer token',
  summary: 'validateauthtoken accepts the exchanged customer token.',
});

export const SESSION_CONTEXT_ACCEPTED = requirement({
  code: 'anonymous.session-context.accepted',
  source: 'R',
  reference:
    'R 2026-08: GET-oauth-generate-anonymous-access-token, optional currency, siteCode, language, targetLocation',
  summary: 'Anonymous login accepts the optional session-context parameters and answers 200.',
});

export const CONTACT_EMAIL_NOT_UNSET = requirement({
  code: 'profile.contact-email.not-unset',
  source: 'R',
  reference: 'R 2026-08: PATCH-customer-update-customer, CustomerPatchDto.contactEmail ("cannot be unset")',
  summary: 'PATCH /me refuses to unset contactEmail and the profile keeps it.',
});
