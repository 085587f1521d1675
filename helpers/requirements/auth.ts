// Requirements of the tutorial's chapter "How to manage customer authentication": tokens, their
// lifetimes, sessions, refresh, validation, logout and the employee (service) token.
import { requirement } from '../findings.ts';

// ---- lifetimes ----

export const LIFETIME_INTEGER = requirement({
  code: 'token.lifetime.integer',
  source: 'R',
  reference:
    'R: AnonymousTokenResponse / CustomerTokenResponse expires_in, refresh_token_expires_in (integer)',
  summary: 'a token lifetime is a whole number',
});

export const LIFETIME_SECONDS = requirement({
  code: 'token.lifetime.seconds',
  source: 'T',
  reference: 'Tutorial, "Refreshing an anonymous token": "valid for 24 hours (86399 seconds)"',
  summary: 'a token lifetime counts seconds: between 60 s and 400 days, never milliseconds or minutes',
});

export const LIFETIME_STABLE = requirement({
  code: 'token.lifetime.stable',
  source: 'B',
  reference: 'docs/behaviour.md "Lifetimes"',
  summary:
    "every answer of one kind gives the lifetime the tenant's first answer of that kind gave (a few seconds less at most)",
});

export const LIFETIME_KEPT_ON_REFRESH = requirement({
  code: 'token.lifetime.kept-on-refresh',
  source: 'B',
  reference: 'docs/behaviour.md "Lifetimes"; Tutorial sample responses of login and refresh',
  summary: 'a refresh issues tokens with the lifetimes of the login it continues',
});

export const LIFETIME_TUTORIAL_VALUE = requirement({
  code: 'token.lifetime.tutorial-value',
  source: 'F',
  reference:
    'FACTS "Login lifetimes": the tutorial\'s one hour, 24 hours, 30 days and the OAuth example\'s 4 hours as the default expectation',
  summary: "lifetimes are the tutorial's defaults (3599, 86399, 2591999 s; 14399 s for service tokens)",
});

export const VALIDATE_REMAINING_NOT_ABOVE_ISSUED = requirement({
  code: 'token.validate.remaining-not-above-issued',
  source: 'T',
  reference: 'Tutorial, "Validating a token": retrieves the expiration time (2591974 after a 2591999 login)',
  summary: "validateauthtoken's expires_in is the remaining lifetime: never above the lifetime issued",
});

// ---- token answers ----

export const TOKEN_TYPE_BEARER = requirement({
  code: 'token.type.bearer',
  source: 'T',
  reference: 'Tutorial sample responses "token_type": "Bearer"; RFC 6749 §5.1 (any letter case)',
  summary: 'token_type is Bearer',
});

export const SCOPE_NAMES_TENANT = requirement({
  code: 'token.scope.names-tenant',
  source: 'T',
  reference: 'Tutorial sample responses "scope": "... tenant={tenant}"',
  summary: 'the scope of a token names its tenant as tenant={tenant}',
});

export const TOKEN_ACCEPTED = requirement({
  code: 'token.accepted',
  source: 'T',
  reference:
    'Tutorial, "Requesting an anonymous token", "Logging in a customer": the token authorizes requests',
  summary: 'an issued access token is accepted (GET /me answers 200)',
});

export const TOKEN_REFRESH_NEW_ACCESS = requirement({
  code: 'token.refresh.new-access-token',
  source: 'T',
  reference: 'Tutorial, "Refreshing an anonymous token", "Refreshing a customer token"',
  summary: 'a refresh hands out a new access token',
});

export const SAAS_TOKEN_JWT = requirement({
  code: 'token.saas.jwt',
  source: 'F',
  reference: 'FACTS "saas_token": an HS256 JWT with sub = customer number and exp',
  summary:
    'saas_token is a JWT whose payload names the customer (sub) and expires in the future (exp, seconds)',
});

export const INITIAL_PASSWORD_FALSE = requirement({
  code: 'login.initial-password.false',
  source: 'T',
  reference: 'Tutorial, "Logging in a customer": "initialPassword": false',
  summary: 'a customer who chose their own password logs in with initialPassword false',
});

// ---- sessions ----

export const SESSION_ID_UUID = requirement({
  code: 'session.id.uuid',
  source: 'F',
  reference: 'FACTS "Tokens": sessionId is a UUID; docs/discrepancies.md #5',
  summary: 'a session id is a UUID',
});

export const SESSION_NEW_PER_ANONYMOUS_LOGIN = requirement({
  code: 'session.id.new-per-anonymous-login',
  source: 'T',
  reference: 'Tutorial, "Requesting an anonymous token": an anonymous user session is created',
  summary: 'each anonymous login starts another session',
});

export const SESSION_KEPT_ON_ANONYMOUS_REFRESH = requirement({
  code: 'session.id.kept-on-anonymous-refresh',
  source: 'T',
  reference: 'Tutorial, "Refreshing an anonymous token": to maintain the same session ID',
  summary: 'refreshing an anonymous token keeps its session id',
});

export const SESSION_KEPT_ON_LOGIN = requirement({
  code: 'session.id.kept-on-login',
  source: 'F',
  reference: 'FACTS "Tokens": the customer session keeps the anonymous session id',
  summary: 'the customer session keeps the session id of the anonymous session it logged in from',
});

export const SESSION_KEPT_ON_REFRESH = requirement({
  code: 'session.id.kept-on-refresh',
  source: 'F',
  reference: 'FACTS "Tokens": session_id in login, refresh and exchange responses',
  summary: 'refreshing a customer token keeps the session id of the login',
});

export const VALIDATE_NAMES_TOKEN = requirement({
  code: 'token.validate.names-token',
  source: 'T',
  reference: 'Tutorial, "Validating a token": scopes, expiration time and the associated session',
  summary: "validateauthtoken names the token's email, session, type and scope",
});

// ---- refusals ----

export const UNAUTHORIZED_FAULT = requirement({
  code: 'refusal.unauthorized.fault',
  source: 'R',
  reference: 'R: components/responses/401_unauthorized {fault:{faultstring,detail:{errorcode}}}',
  summary: 'an unknown, revoked or missing token is refused with 401 and the fault body',
});

export const TOKEN_REVOKED_ON_LOGOUT = requirement({
  code: 'logout.revokes-access-token',
  source: 'T',
  reference: 'Tutorial, "Logging out the customer": the token cannot be used for further requests',
  summary: 'after logout the access token is refused (401)',
});

export const VALIDATE_REFUSES_REVOKED = requirement({
  code: 'token.validate.refuses-revoked-or-expired',
  source: 'T',
  reference: 'Tutorial, "Validating a token": the token has not expired or been revoked',
  summary: 'validateauthtoken refuses a revoked or expired token with 401',
});

export const VALIDATE_UNAUTHORIZED_BODY = requirement({
  code: 'token.validate.unauthorized-fault-body',
  source: 'B',
  reference: 'docs/behaviour.md "Refusals" (R: GET-customer-validate-token 401 documents no body)',
  summary: "validateauthtoken's 401 carries the fault body like every other 401",
});

export const FAULT_ERRORCODE = requirement({
  code: 'refusal.fault.errorcode',
  source: 'F',
  reference: 'FACTS "Everywhere": faultstring "Invalid ApiKey", errorcode oauth.v2.InvalidApiKey',
  summary: "a refusal's faultstring and errorcode name the cause as the vendor's pages show",
});

export const ANONYMOUS_LOGIN_UNKNOWN_CLIENT = requirement({
  code: 'anonymous-login.unknown-client.refused',
  source: 'B',
  reference: 'docs/behaviour.md "Anonymous token" (R documents 200 only)',
  summary: 'an anonymous login for an unknown client id or tenant is refused with 401',
});

export const ANONYMOUS_MISSING_PARAMETER = requirement({
  code: 'anonymous-login.missing-parameter.400',
  source: 'B',
  reference: 'docs/behaviour.md "Anonymous token" (R documents 200 only)',
  summary: 'an anonymous login or refresh without a required parameter is refused with 400',
});

export const ANONYMOUS_REFRESH_UNKNOWN = requirement({
  code: 'anonymous-refresh.unknown-token.refused',
  source: 'B',
  reference: 'docs/behaviour.md "Anonymous token" (R documents 200 only)',
  summary: 'an unknown anonymous refresh token is refused with 401',
});

export const REFRESH_TOKEN_ROTATED = requirement({
  code: 'token.refresh.used-refused',
  source: 'B',
  reference: 'docs/behaviour.md "Refresh"; FACTS: rotation (one client)',
  summary: 'a refresh token that was used once is refused with 401',
});

export const REFRESH_TOKEN_NEW_WORKS = requirement({
  code: 'token.refresh.new-refresh-token-works',
  source: 'F',
  reference: 'FACTS "Tokens": the refresh token is rotated on every refresh',
  summary: 'the refresh token a refresh hands out buys the next refresh',
});

export const REFRESH_PREVIOUS_ACCESS_KEPT = requirement({
  code: 'token.refresh.previous-access-kept',
  source: 'B',
  reference: 'docs/behaviour.md "Refresh": the previous access token keeps working until it expires',
  summary: 'the access token issued before a refresh keeps working',
});

export const REFRESH_UNKNOWN_TOKEN = requirement({
  code: 'token.refresh.unknown-refused',
  source: 'R',
  reference: 'R: GET-customer-refresh-authtoken 401',
  summary: 'refreshauthtoken refuses an unknown refresh token with 401',
});

export const REFRESH_MISSING_TOKEN = requirement({
  code: 'token.refresh.missing-400',
  source: 'R',
  reference: 'R: GET-customer-refresh-authtoken refreshToken (required), 400',
  summary: 'refreshauthtoken without refreshToken answers 400',
});

export const REFRESH_FOREIGN_LEGAL_ENTITY = requirement({
  code: 'token.refresh.foreign-legal-entity',
  source: 'B',
  reference: 'docs/behaviour.md "Refresh"; FACTS: the customer must belong to legalEntityId',
  summary: 'a legalEntityId the customer does not belong to is refused with 400 naming the field',
});

export const REFRESH_WITH_LEGAL_ENTITY = requirement({
  code: 'token.refresh.own-legal-entity',
  source: 'T',
  reference: 'Tutorial, "Refreshing a customer token": refreshauthtoken?refreshToken=…&legalEntityId=…',
  summary: 'refreshing with a legalEntityId the customer belongs to issues a token',
});

export const LOGOUT_REVOKES_REFRESH = requirement({
  code: 'logout.revokes-refresh-token',
  source: 'B',
  reference: 'docs/behaviour.md "Logout"',
  summary: "logout also revokes the session's refresh token",
});

export const LOGOUT_MISSING_TOKEN = requirement({
  code: 'logout.missing-access-token.400',
  source: 'R',
  reference: 'R: GET-customer-logout-customer accessToken (required), 400',
  summary: 'logout without accessToken answers 400 and revokes nothing',
});

export const LOGOUT_FOREIGN_TOKEN = requirement({
  code: 'logout.foreign-token.refused',
  source: 'B',
  reference: 'docs/behaviour.md "Logout" (R does not say which token a logout may name)',
  summary: "logout naming another session's token is refused with 400",
});

export const LOGOUT_FOREIGN_TOKEN_KEPT = requirement({
  code: 'logout.foreign-token.kept',
  source: 'B',
  reference: 'docs/behaviour.md "Logout"',
  summary: "a logout naming another session's token revokes neither token",
});

// ---- signup, activation, login ----

export const SIGNUP_DUPLICATE = requirement({
  code: 'signup.duplicate.409',
  source: 'R',
  reference: 'R: POST-customer-create-customer-account 409',
  summary: 'signing up an email that is already a login answers 409',
});

export const SIGNUP_DUPLICATE_BODY = requirement({
  code: 'signup.duplicate.body',
  source: 'F',
  reference:
    'FACTS "Everywhere": 409 conflict_resource "Duplicate account \'{email}\' for tenant \'{tenant}\'."',
  summary: "the duplicate-signup refusal has type conflict_resource and the vendor's message",
});

export const SIGNUP_DUPLICATE_CASE = requirement({
  code: 'signup.duplicate.case-insensitive',
  source: 'B',
  reference: 'docs/behaviour.md "Signup"',
  summary: 'emails compare case-insensitively: the same email in other letter case is a duplicate (409)',
});

export const SIGNUP_INPUT_DOCUMENTED = requirement({
  code: 'signup.invalid.400',
  source: 'R',
  reference:
    'R: POST-customer-create-customer-account 400; SignupDto (types, required fields, contactEmail = email)',
  summary:
    'a signup the reference rules out (missing or mistyped field, contactEmail other than email) answers 400',
});

export const SIGNUP_INPUT_OWN_RULES = requirement({
  code: 'signup.invalid.own-rules',
  source: 'B',
  reference: 'docs/behaviour.md "Signup": password of 6+ characters, email format, no unknown fields',
  summary: "a signup breaking the project's stricter rules answers 400",
});

export const ERROR_DETAILS_NAME_FIELD = requirement({
  code: 'error.details.name-field',
  source: 'B',
  reference: 'docs/behaviour.md "Errors everywhere": details[{field,type,message}]',
  summary: 'a 400 lists details naming the field the request got wrong',
});

export const CUSTOMER_INACTIVE_UNTIL_ACTIVATED = requirement({
  code: 'signup.inactive-until-activated',
  source: 'T',
  reference: 'Tutorial, "Activating customer account as an employee"',
  summary: 'a new customer is inactive until an employee activates it',
});

export const LOGIN_REFUSED = requirement({
  code: 'login.refused.401',
  source: 'R',
  reference: 'R: POST-customer-authenticate-customer 401; Tutorial: logging in only after activation',
  summary: 'a login with a wrong password, an unknown email or an inactive account is refused with 401',
});

export const LOGIN_NO_ENUMERATION = requirement({
  code: 'login.no-enumeration',
  source: 'B',
  reference: 'docs/behaviour.md "Login": 401 fault, no hint which',
  summary: 'a wrong password and an unknown email are answered alike',
});

export const LOGIN_MISSING_FIELD = requirement({
  code: 'login.missing-field.400',
  source: 'R',
  reference: 'R: POST-customer-authenticate-customer 400; email and password required',
  summary: 'a login without email or password answers 400',
});

export const LOGIN_LISTS_EMAIL = requirement({
  code: 'profile.accounts.list-login',
  source: 'T',
  reference: 'Tutorial, "Retrieving a customer profile": accounts[] with the login email',
  summary: "the customer's profile lists the login email in accounts[].id",
});

// ---- employee (service) token ----

export const SERVICE_TOKEN_NO_REFRESH = requirement({
  code: 'service-token.no-refresh',
  source: 'F',
  reference: 'FACTS "Service/employee token": refresh_token "" and refresh_token_expires_in 0',
  summary: 'a service token comes without a refresh token',
});

export const SERVICE_TOKEN_REFUSED = requirement({
  code: 'service-token.wrong-key.refused',
  source: 'B',
  reference: 'docs/behaviour.md "Employee token" (O documents 200 only)',
  summary: 'a wrong client secret or client id is refused with 401 "Invalid ApiKey"',
});

export const SERVICE_TOKEN_GRANT_TYPE = requirement({
  code: 'service-token.grant-type.400',
  source: 'B',
  reference: 'docs/behaviour.md "Employee token" (O documents 200 only)',
  summary: 'a grant type other than client_credentials is refused with 400',
});

export const ASSIGN_NEEDS_SCOPE = requirement({
  code: 'account.assign.needs-scope',
  source: 'T',
  reference:
    'Tutorial, "Assigning an account to a customer profile": requires customer.customer_update or customer.customer_manage',
  summary: 'assigning an account with a token lacking both scopes is refused (401 or 403)',
});

export const ANONYMOUS_ACCESS_WITHIN_REFRESH = requirement({
  code: 'token.lifetime.anonymous-access-within-refresh',
  source: 'T',
  reference:
    'Tutorial, "Requesting an anonymous token": refresh the access token when it is about to expire; the refresh token lives 24 hours',
  summary: 'an anonymous access token does not outlive the refresh token that renews it',
});
