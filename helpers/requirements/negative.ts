// Requirements of refused requests: wrong tokens, bad input, unknown ids and routes, tenant names.
import { requirement } from '../findings.ts';

export const REFUSED_WRONG_TOKEN = requirement({
  code: 'refusal.wrong-token',
  source: 'R',
  reference: "R: every guarded operation's 401 and 403 (401_unauthorized, 403_forbidden)",
  summary:
    'a valid token of a kind the operation does not accept, or of another tenant, is refused with 401 or 403',
});

export const AUTHORIZATION_PARAMETER_REFUSED = requirement({
  code: 'refusal.authorization-parameter',
  source: 'R',
  reference:
    'R (2026-08): POST-customer-exchange-authtoken: security [], Authorization a required header parameter, "needs to be authorized with an anonymous token"; its 400 (400_bad_request) and 401 (401_unauthorized)',
  summary:
    'where the reference declares the token as a required header parameter, a missing, empty or non-Bearer Authorization header is refused with 400 or 401',
});

export const AUTHORIZATION_PARAMETER_401 = requirement({
  code: 'refusal.authorization-parameter.401',
  source: 'B',
  reference: 'docs/behaviour.md "Refusals"; docs/discrepancies.md: the token as a header parameter',
  summary:
    'there too, a missing, empty or non-Bearer Authorization header is refused as on every guarded operation: 401 with the fault body',
});

export const ERROR_BODY = requirement({
  code: 'error.body',
  source: 'R',
  reference:
    'R: components/responses/400_bad_request, 403_forbidden, 404 (ErrorMessage: the types of status, type, message, details; it requires none of them)',
  summary: 'a 400, 403 or 404 carries the error body',
});

export const ERROR_STATUS_FIELD = requirement({
  code: 'error.status-field',
  source: 'B',
  reference: 'docs/behaviour.md "Errors everywhere"',
  summary: 'the error body\'s "status" repeats the HTTP status',
});

export const ERROR_TYPE_LOWERCASE = requirement({
  code: 'error.type.lowercase',
  source: 'F',
  reference: 'FACTS "Everywhere": types are lower case with underscores (403 Forbidden aside)',
  summary: 'the error body\'s "type" is lower case with underscores',
});

export const INPUT_REFUSED_400 = requirement({
  code: 'input.invalid.400',
  source: 'R',
  reference: "R: the operation's 400 (400_bad_request); its request schema",
  summary:
    'a body the request schema refuses (malformed JSON, not an object, a required field missing, a wrong type) answers 400',
});

export const INPUT_REFUSED_400_BEYOND = requirement({
  code: 'input.invalid.400.beyond-reference',
  source: 'B',
  reference:
    'docs/behaviour.md "Errors everywhere"; docs/discrepancies.md: a field the reference does not require, a 400 the reference does not list',
  summary:
    'a body the project refuses where the reference leaves it open (a field only the project requires left out; any bad body of an operation whose reference lists no 400) answers 400',
});

export const TENANT_MALFORMED_REFUSED = requirement({
  code: 'tenant.malformed.refused',
  source: 'R',
  reference:
    'R: components/parameters/tenant (^[a-z][a-z0-9]+$, 3–16); 400_bad_request example "Invalid tenant"',
  summary: 'a malformed tenant name in the path is refused (400, 401 or 403), never served',
});

export const TENANT_MALFORMED_REFUSED_BEYOND = requirement({
  code: 'tenant.malformed.refused.beyond-reference',
  source: 'B',
  reference:
    'docs/behaviour.md "Errors everywhere"; docs/discrepancies.md: operations whose reference declares {tenant} without a pattern',
  summary:
    'where the reference declares the tenant name without a pattern, a malformed tenant name in the path is still refused (400, 401 or 403)',
});

export const TENANT_MALFORMED_400_FIRST = requirement({
  code: 'tenant.malformed.checked-before-token',
  source: 'B',
  reference: 'docs/behaviour.md "Errors everywhere"; docs/discrepancies.md row 54',
  summary: 'where the reference lists a 400, a malformed tenant name is answered 400 even with a valid token',
});

export const UNKNOWN_ID_404 = requirement({
  code: 'resource.unknown.404',
  source: 'R',
  reference: "R/TM: the operation's 404",
  summary: 'an unknown address or customer id answers 404',
});

export const NOT_FOUND_TYPE = requirement({
  code: 'resource.unknown.type',
  source: 'F',
  reference: 'FACTS "Everywhere": 404 type resource_not_found (TM\'s own 404 example shows another type)',
  summary: 'a customer-managed 404 has type resource_not_found; a tenant-managed 404 names some type',
});

export const UNKNOWN_ROUTE_STATUS = requirement({
  code: 'route.unknown.404-or-405',
  source: 'F',
  reference: 'FACTS "Everywhere": unknown paths answer 404, a wrong method on a known path 405',
  summary: 'an unknown route or a wrong method answers 404 or 405',
});

export const UNKNOWN_ROUTE_BODY = requirement({
  code: 'route.unknown.error-body',
  source: 'B',
  reference: 'docs/behaviour.md "Errors everywhere" (a gateway may answer with its own fault body)',
  summary: 'an unknown route or a wrong method answers the JSON error body',
});

export const NO_ENUMERATION = requirement({
  code: 'answer.no-enumeration',
  source: 'B',
  reference: 'docs/behaviour.md "Credentials", "Login": no hint whether an account exists',
  summary: 'two answers that would reveal whether an account exists do not differ',
});

export const ERROR_TYPE_NAMED = requirement({
  code: 'error.type.vendor-name',
  source: 'F',
  reference: 'FACTS "Everywhere": types bad_request, conflict_resource, resource_not_found',
  summary: "an error's type is the name the vendor's pages give that refusal",
});
