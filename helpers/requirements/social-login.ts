// Requirements of social login: the authorization code a storefront exchanges for a customer token.
import { requirement } from '../findings.ts';

export const SOCIAL_CODE_REFUSED = requirement({
  code: 'social-login.code-refused.400',
  source: 'B',
  reference:
    'docs/behaviour.md "Social login" after RFC 6749 §4.1.2-4.1.3 and RFC 7636 §4.6 (R lists 400 without saying when)',
  summary: 'a used, unknown or mismatched code, redirect_uri or verifier is refused with 400 naming it',
});

export const SOCIAL_SAME_CUSTOMER = requirement({
  code: 'social-login.same-customer',
  source: 'B',
  reference: 'docs/behaviour.md "Social login"',
  summary: 'a second social login of the same email signs in the customer the first one created',
});
