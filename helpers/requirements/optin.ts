// Requirements of double opt-in: the emailed token that activates a new customer, and its resend.
import { requirement } from '../findings.ts';

export const OPTIN_ACTIVATES = requirement({
  code: 'optin.activates',
  source: 'R',
  reference:
    'R: GET-customer-signup-customer-optin "creates a customer account using the token obtained through double opt-in"',
  summary: 'opening the opt-in link activates the customer, who then logs in',
});

export const OPTIN_TOKEN_REFUSED = requirement({
  code: 'optin.token-refused.400',
  source: 'B',
  reference: 'docs/behaviour.md "Opt-in": a used or unknown token → 400',
  summary: 'a used or unknown opt-in token is refused with 400',
});

export const OPTIN_RESEND_NO_ENUMERATION = requirement({
  code: 'optin.resend.no-enumeration',
  source: 'B',
  reference: 'docs/behaviour.md "Opt-in": 202 either way',
  summary: 'a resend for an email without an account answers 202 like any other',
});
