// What the exploration model predicts, each prediction with its source (helpers/findings.ts): the
// vendor's documents (T tutorial, R customer-managed reference, TM tenant-managed reference) are the
// contract; B is the project's own reading (docs/behaviour.md), enforced on our mock and only warned
// about on a real tenant in the `documented` profile.
import { requirement } from '../findings.ts';

/** The status the model predicts for a request the documents describe. */
export const MODEL_STATUS = requirement({
  code: 'model.status.documented',
  source: 'R',
  reference: 'R: the success and refusal statuses of each customer-managed operation',
  summary: 'a request answers the status the documents give for the state it was sent in',
});

/** The status the model predicts where only the project's reading fixes it (409, 400 choices). */
export const MODEL_STATUS_READING = requirement({
  code: 'model.status.reading',
  source: 'B',
  reference: 'docs/behaviour.md, "Operations, statuses, state"',
  summary: 'a request answers the status the project reads for the state it was sent in',
});

export const MODEL_PROFILE_READ_BACK = requirement({
  code: 'model.profile.read-back',
  source: 'T',
  reference: 'Tutorial, "Updating a customer profile" and "Retrieving a customer profile"',
  summary: 'GET /me shows every profile field as the last accepted writes left it',
});

export const MODEL_PROFILE_OWN = requirement({
  code: 'model.profile.own',
  source: 'R',
  reference: "R: GET-customer-retrieve-customer-profile (the caller's profile)",
  summary: "a customer token reads its own customer's profile, never another's",
});

export const MODEL_PROFILE_VERSION = requirement({
  code: 'model.profile.version',
  source: 'B',
  reference: 'docs/behaviour.md, PATCH /me: "Every change adds 1 to metadata.version"',
  summary: 'metadata.version grows by one per accepted PATCH /me and never goes back',
});

export const MODEL_EMPLOYEE_VIEW = requirement({
  code: 'model.profile.employee-view',
  source: 'TM',
  reference: 'TM: GET-customer-tenant-retrieve-customer',
  summary: "the employee's view of a customer shows the same profile the customer reads, and its activation",
});

export const MODEL_ADDRESS_READ_BACK = requirement({
  code: 'model.address.read-back',
  source: 'T',
  reference: 'Tutorial, "Retrieving customer addresses" and "Retrieving a specific customer address"',
  summary: 'the address list, the single address and GET /me?expand=addresses show every address as written',
});

export const MODEL_ADDRESS_DELETED = requirement({
  code: 'model.address.deleted',
  source: 'T',
  reference: 'Tutorial, "Deleting a customer address"',
  summary: 'a deleted address is gone from every view and answers 404',
});

export const MODEL_ADDRESS_TAGS = requirement({
  code: 'model.address.tags',
  source: 'B',
  reference: 'docs/behaviour.md, "Tags": POST merges without duplicates, DELETE removes only the named tags',
  summary: 'a tag change reaches the named address only, merged or removed as asked',
});

export const MODEL_ADDRESS_DEFAULT = requirement({
  code: 'model.address.default',
  source: 'B',
  reference:
    'docs/behaviour.md, "Addresses": the first address and isDefault:true make the default; at most one',
  summary: 'a customer with addresses has exactly one default, the one last marked (or the first)',
});

export const MODEL_ISOLATION = requirement({
  code: 'model.isolation',
  source: 'R',
  reference: "R: the /me operations act on the caller's own data; another customer's address id answers 404",
  summary: "one customer's requests never read or change another customer's data",
});

export const MODEL_LOGOUT_REVOKES = requirement({
  code: 'model.token.logout',
  source: 'T',
  reference: 'Tutorial, "Logging out the customer"',
  summary: 'a logged-out access token no longer works; tokens of other logins keep working',
});

export const MODEL_SESSION_KEPT = requirement({
  code: 'model.token.session',
  source: 'T',
  reference: 'Tutorial, "Logging in a customer" and "Refreshing a customer token" (the same session)',
  summary: 'login and refresh keep the anonymous session id they were given',
});

export const MODEL_TOKEN_VALIDATES = requirement({
  code: 'model.token.validate',
  source: 'B',
  reference: 'docs/behaviour.md, "Validate": the token\'s session and its customer\'s login email',
  summary: "validateauthtoken reports the token's session and its customer's current login email",
});

export const MODEL_CREDENTIALS = requirement({
  code: 'model.credentials',
  source: 'T',
  reference:
    'Tutorial, "Changing a password", "Requesting and confirming an email change", "Assigning an account"',
  summary:
    'after a password, email or account change exactly the current logins sign in, to the same customer',
});

export const MODEL_PASSWORD_CHANGE_SESSIONS = requirement({
  code: 'model.credentials.sessions',
  source: 'B',
  reference: 'docs/behaviour.md, "Password change": revokes every other token of the customer',
  summary: "a password change ends the customer's other sessions and keeps the calling one",
});

export const MODEL_ACTIVATION = requirement({
  code: 'model.activation',
  source: 'T',
  reference: 'Tutorial, "Activating customer account as an employee"; the double opt-in',
  summary: 'a customer signs in only once activated, by an employee or with the emailed opt-in token',
});
