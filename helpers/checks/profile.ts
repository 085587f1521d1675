// Named checks for the profile, address and security specs. One check asserts one property; its
// failure message names the operation, the field, what was expected and what was received, and,
// where it helps, the likely cause. Sources: docs/behaviour.md ("GET /me", "PATCH /me", "Addresses",
// "Tags") and the tutorial's "How to manage a customer's profile".
import type { ApiResponse } from '../api-client.ts';
import { check, enforce, type Finding, type Requirement } from '../findings.ts';
import {
  ADDRESS_DEFAULT_MOVES,
  ADDRESS_LISTED,
  ADDRESS_SINGLE_DEFAULT,
  ADDRESS_TAGS,
  ADDRESS_TAGS_UNIQUE,
} from '../requirements/addresses.ts';
import { ERROR_DETAILS_NAME_FIELD, LOGIN_LISTS_EMAIL } from '../requirements/auth.ts';
import { ERROR_BODY, ERROR_STATUS_FIELD, ERROR_TYPE_NAMED } from '../requirements/negative.ts';
import {
  ANONYMOUS_PROFILE as ANONYMOUS_PROFILE_REQ,
  FIELD_UNCHANGED,
  NO_SECRETS,
  NOTHING_LEAKED,
  PROFILE_IDENTITY,
  PROFILE_NO_ADDRESSES_WITHOUT_EXPAND,
  PROFILE_UPDATE_APPLIED,
  PROFILE_VERSION_GROWS,
  PROFILE_VERSION_INTEGER,
} from '../requirements/profile.ts';
import { STEP_SCHEMA } from '../requirements/steps.ts';
import { shown, type JsonObject } from './common.ts';

export type { JsonObject };

/** Enforces one requirement about one field: holds, else one finding built from the texts given. */
function holds(
  req: Requirement,
  ok: boolean,
  operation: string,
  field: string,
  expected: string,
  received: () => string,
  hint?: string,
): Finding[] {
  return check(req, ok, () => ({
    operation,
    field,
    expected,
    received: received(),
    ...(hint ? { hint } : {}),
  }));
}

/** The customer number and names of the anonymous profile (FACTS; docs/behaviour.md, GET /me). */
export const ANONYMOUS_PROFILE = {
  id: '00000000',
  customerNumber: '00000000',
  firstName: 'Anonymous',
  lastName: 'Anonymous',
} as const;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function label(response: ApiResponse): string {
  return `${response.operation.method} ${response.operation.path} → ${response.status}`;
}

/** The JSON object a response carries; fails naming the operation when it is something else. */
export function objectBody(response: ApiResponse): JsonObject {
  const body = response.body;
  enforce(holds(STEP_SCHEMA, isObject(body), label(response), 'body', 'a JSON object', () => typeof body));
  return isObject(body) ? body : {};
}

/** The JSON array a response carries (the address list). */
export function listBody(response: ApiResponse): JsonObject[] {
  const body = response.body;
  const items = Array.isArray(body) ? (body as unknown[]) : [];
  enforce([
    ...holds(STEP_SCHEMA, Array.isArray(body), label(response), 'body', 'a JSON array', () => typeof body),
    ...holds(STEP_SCHEMA, items.every(isObject), label(response), 'body[]', 'objects', () => shown(items)),
  ]);
  return items.filter(isObject);
}

/** A non-empty string field; fails naming the operation and field. */
export function stringField(response: ApiResponse, field: string): string {
  const value = objectBody(response)[field];
  const ok = typeof value === 'string' && value !== '';
  enforce(holds(STEP_SCHEMA, ok, label(response), field, 'a non-empty string', () => shown(value)));
  return ok ? value : '';
}

// ---- errors ----

/**
 * The error body's `type` (FACTS's types: bad_request, conflict_resource, resource_not_found) and its
 * `status` repeating the HTTP status (docs/behaviour.md, "Errors everywhere").
 */
export function ensureErrorType(
  response: ApiResponse,
  type: string,
  req: Requirement = ERROR_TYPE_NAMED,
): void {
  const body = isObject(response.body) ? response.body : {};
  if (!isObject(response.body)) {
    enforce(
      holds(ERROR_BODY, false, label(response), 'body', 'the error body', () => response.text.slice(0, 200)),
    );
  }
  enforce([
    ...holds(req, body.type === type, label(response), 'type', `"${type}"`, () => shown(body.type)),
    ...holds(
      ERROR_STATUS_FIELD,
      body.status === response.status,
      label(response),
      'status',
      `${response.status}`,
      () => shown(body.status),
    ),
  ]);
}

/** A 400 names what was wrong: `details` lists at least one item naming the field (docs/behaviour.md). */
export function ensureErrorDetailsName(response: ApiResponse, field: string): void {
  const details = objectBody(response).details;
  const named =
    Array.isArray(details) &&
    details.some(
      (d: unknown) =>
        isObject(d) &&
        [d.field, d.message].some(
          (text) => typeof text === 'string' && text.includes(field.split('.')[0] ?? ''),
        ),
    );
  enforce(
    holds(ERROR_DETAILS_NAME_FIELD, named, label(response), 'details', `an item naming "${field}"`, () =>
      shown(details),
    ),
  );
}

// ---- profile ----

/** id and customerNumber are the same string, the one signup answered (tutorial, "Retrieving a customer profile"). */
export function ensureProfileIdentity(profile: JsonObject, customerNumber: string, what = 'GET /me'): void {
  enforce([
    ...holds(
      PROFILE_IDENTITY,
      profile.customerNumber === customerNumber,
      what,
      'customerNumber',
      customerNumber,
      () => shown(profile.customerNumber),
    ),
    ...holds(
      PROFILE_IDENTITY,
      profile.id === customerNumber,
      what,
      'id',
      `${customerNumber} (= customerNumber)`,
      () => shown(profile.id),
    ),
  ]);
}

/** The logins of a profile, lower-cased (`accounts[].id`). */
export function loginsOf(profile: JsonObject): string[] {
  const accounts = Array.isArray(profile.accounts) ? (profile.accounts as unknown[]) : [];
  return accounts
    .map((a) => (isObject(a) && typeof a.id === 'string' ? a.id.toLowerCase() : ''))
    .filter((id) => id !== '');
}

/** `accounts[].id` lists the login email (emails compare case-insensitively). */
export function ensureLoginListed(profile: JsonObject, email: string, what = 'GET /me'): void {
  const logins = loginsOf(profile);
  enforce(
    holds(
      LOGIN_LISTS_EMAIL,
      logins.includes(email.toLowerCase()),
      what,
      'accounts[].id',
      `a list with ${email}`,
      () => shown(logins),
    ),
  );
}

/** Each named field carries the value sent (signup or PATCH); fields the server adds are not looked at. */
export function ensureProfileFieldsMatch(
  profile: JsonObject,
  expected: JsonObject,
  what: string,
  req: Requirement = PROFILE_UPDATE_APPLIED,
): void {
  const findings: Finding[] = [];
  for (const [field, value] of Object.entries(expected)) {
    if (value === undefined || field === 'metadata') continue;
    const received = profile[field];
    const same =
      typeof value === 'string' && typeof received === 'string' && field.toLowerCase().includes('email')
        ? value.toLowerCase() === received.toLowerCase()
        : JSON.stringify(received) === JSON.stringify(value);
    findings.push(...holds(req, same, what, field, shown(value), () => shown(received)));
  }
  enforce(findings);
}

/** The profile's `metadata.version`, an integer (R: DefaultDtoMetadata.version). */
export function versionOf(profile: JsonObject, what = 'GET /me'): number {
  const metadata = profile.metadata;
  const version = isObject(metadata) ? metadata.version : undefined;
  enforce(
    holds(PROFILE_VERSION_INTEGER, Number.isInteger(version), what, 'metadata.version', 'an integer', () =>
      shown(version),
    ),
  );
  return Number.isInteger(version) ? (version as number) : Number.NaN;
}

/** Every change makes `metadata.version` grow (docs/behaviour.md, PATCH /me). */
export function ensureVersionIncreased(before: number, after: number, what: string): void {
  enforce(
    holds(
      PROFILE_VERSION_GROWS,
      after >= before + 1,
      what,
      'metadata.version',
      `at least ${before + 1}`,
      () => `${after}`,
      after === before ? 'the change was not counted, or not applied' : 'the version went backwards',
    ),
  );
}

/** The anonymous profile (FACTS; docs/behaviour.md, GET /me with an anonymous token). */
export function ensureAnonymousProfile(profile: JsonObject): void {
  const what = 'GET /me with an anonymous token';
  const findings: Finding[] = [];
  for (const [field, value] of Object.entries(ANONYMOUS_PROFILE)) {
    findings.push(
      ...holds(ANONYMOUS_PROFILE_REQ, profile[field] === value, what, field, value, () =>
        shown(profile[field]),
      ),
    );
  }
  const accounts = profile.accounts;
  findings.push(
    ...holds(
      ANONYMOUS_PROFILE_REQ,
      Array.isArray(accounts) && accounts.length === 0,
      what,
      'accounts',
      'an empty list',
      () => shown(accounts),
    ),
  );
  enforce(findings);
}

/** Without `expand=addresses` the profile carries no `addresses` (docs/behaviour.md, GET /me). */
export function ensureNoAddressesWithoutExpand(profile: JsonObject): void {
  enforce(
    holds(
      PROFILE_NO_ADDRESSES_WITHOUT_EXPAND,
      profile.addresses === undefined,
      'GET /me without expand',
      'addresses',
      'absent (it appears only with expand=addresses)',
      () => shown(profile.addresses),
    ),
  );
}

/** Values a customer must not be able to change stay as they were. */
export function ensureFieldUnchanged(
  field: string,
  before: unknown,
  after: unknown,
  what: string,
  req: Requirement = FIELD_UNCHANGED,
): void {
  enforce(
    holds(
      req,
      JSON.stringify(after) === JSON.stringify(before),
      what,
      field,
      `unchanged, ${shown(before)}`,
      () => shown(after),
    ),
  );
}

// ---- secrets ----

/** Field names that would carry a credential. */
const SECRET_NAME = /pass(word|wd)?|pwd|hash|salt|secret/i;
/** Values shaped like stored password hashes (bcrypt, argon2, scrypt, pbkdf2, crypt(3)). */
const HASH_VALUE = /^\$(2[abxy]?|argon2(id|i|d)?|scrypt|pbkdf2[-\w]*|[156])\$/;

/** JSON pointers of fields named like a secret, and of values shaped like a password hash. */
export function findSecretFields(value: unknown, pointer = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => findSecretFields(item, `${pointer}/${i}`));
  if (typeof value === 'string')
    return HASH_VALUE.test(value) ? [`${pointer} (value shaped like a password hash)`] : [];
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const here = `${pointer}/${key}`;
    return [...(SECRET_NAME.test(key) ? [here] : []), ...findSecretFields(item, here)];
  });
}

/** The whole body carries no password, hash, salt or secret, at any depth (docs/behaviour.md: "Never a password or hash"). */
export function ensureNoSecretFields(response: ApiResponse): void {
  const found = findSecretFields(response.body);
  enforce(
    holds(
      NO_SECRETS,
      found.length === 0,
      label(response),
      'body',
      'no field named like a credential or holding a hash',
      () => found.join(', '),
    ),
  );
}

/** A secret the test sent never comes back, in any field or message. */
export function ensureSecretNotEchoed(response: ApiResponse, secret: string, what: string): void {
  enforce(
    holds(
      NO_SECRETS,
      !response.text.includes(secret),
      label(response),
      'body',
      `no echo of the ${what} sent`,
      () => `the ${what} among ${response.text.length} characters of body`,
    ),
  );
}

/** A refusal of another customer's resource does not reveal that customer's data. */
export function ensureNothingLeaked(response: ApiResponse, values: Record<string, string>): void {
  const findings: Finding[] = [];
  for (const [what, value] of Object.entries(values)) {
    findings.push(
      ...holds(
        NOTHING_LEAKED,
        !response.text.toLowerCase().includes(value.toLowerCase()),
        label(response),
        'body',
        `nothing of the other customer's ${what}`,
        () => `the other customer's ${what}`,
      ),
    );
  }
  enforce(findings);
}

// ---- addresses ----

/** The address with this id in a list; fails when the list does not hold it. */
export function ensureAddressListed(list: JsonObject[], id: string, what = 'GET /me/addresses'): JsonObject {
  const found = list.find((a) => a.id === id);
  enforce(
    holds(
      ADDRESS_LISTED,
      found !== undefined,
      what,
      'id',
      `a list with the address ${id}`,
      () => list.map((a) => String(a.id)).join(', ') || '(none)',
    ),
  );
  return found ?? {};
}

/** The address with this id is not listed (after deletion, or another customer's). */
export function ensureAddressNotListed(list: JsonObject[], id: string, what: string, req: Requirement): void {
  enforce(
    holds(req, !list.some((a) => a.id === id), what, 'id', `a list without the address ${id}`, () =>
      list.map((a) => String(a.id)).join(', '),
    ),
  );
}

/** Each field sent comes back as sent (`country` in upper case); `tags` compare as sets. */
export function ensureAddressFieldsMatch(address: JsonObject, sent: JsonObject, what: string): void {
  const findings: Finding[] = [];
  for (const [field, value] of Object.entries(sent)) {
    if (value === undefined || field === 'isDefault' || field === 'metadata') continue;
    if (field === 'tags') {
      ensureSameTags(address.tags, value as string[], what);
      continue;
    }
    const expected = field === 'country' && typeof value === 'string' ? value.toUpperCase() : value;
    findings.push(
      ...holds(
        ADDRESS_LISTED,
        JSON.stringify(address[field]) === JSON.stringify(expected),
        what,
        field,
        shown(expected),
        () => shown(address[field]),
      ),
    );
  }
  enforce(findings);
}

/** The ids of the addresses marked `isDefault: true`. */
export function defaultAddressIds(list: JsonObject[]): string[] {
  return list.filter((a) => a.isDefault === true).map((a) => String(a.id));
}

/** While a customer has addresses, exactly one is the default (docs/behaviour.md, "Addresses"). */
export function ensureSingleDefaultAddress(list: JsonObject[], what = 'GET /me/addresses'): void {
  const defaults = defaultAddressIds(list);
  enforce(
    holds(
      ADDRESS_SINGLE_DEFAULT,
      defaults.length === 1,
      what,
      'isDefault',
      'exactly one address with isDefault: true',
      () => `${defaults.length} (${defaults.join(', ') || 'none'})`,
      defaults.length > 1 ? 'marking a new default did not clear the previous one' : undefined,
    ),
  );
}

/** The given address is the default (T), and the only one (B). */
export function ensureDefaultAddress(list: JsonObject[], id: string, what = 'GET /me/addresses'): void {
  enforce(
    holds(
      ADDRESS_DEFAULT_MOVES,
      defaultAddressIds(list).includes(id),
      what,
      'isDefault',
      `address ${id} the default`,
      () => defaultAddressIds(list).join(', ') || 'none',
    ),
  );
  ensureSingleDefaultAddress(list, what);
}

function tagsOf(value: unknown, what: string): string[] {
  enforce(holds(STEP_SCHEMA, Array.isArray(value), what, 'tags', 'an array of strings', () => shown(value)));
  return Array.isArray(value) ? (value as string[]) : [];
}

/** The tags hold no duplicates. */
export function ensureNoDuplicateTags(tags: unknown, what: string): void {
  const list = tagsOf(tags, what);
  const duplicates = list.filter((tag, i) => list.indexOf(tag) !== i);
  enforce(
    holds(
      ADDRESS_TAGS_UNIQUE,
      duplicates.length === 0,
      what,
      'tags',
      'each tag once',
      () => `duplicated: ${duplicates.join(', ')}`,
    ),
  );
}

/** The same tags in any order (duplicates aside). */
export function ensureSameTags(tags: unknown, expected: readonly string[], what: string): void {
  const list = [...new Set(tagsOf(tags, what))].sort();
  const wanted = [...new Set(expected)].sort();
  enforce(
    holds(ADDRESS_TAGS, JSON.stringify(list) === JSON.stringify(wanted), what, 'tags', shown(wanted), () =>
      shown(list),
    ),
  );
}

/**
 * Checks on the tags a tag operation (`what`) answered: each of `tags` is in the `list` (`inList`
 * true) or none is (false); a finding lists the ones that are not, after `off` ("dropped: ...").
 */
function tagsIn(what: string, list: readonly string[]) {
  return (tags: readonly string[], inList: boolean, expected: string, off: string, hint?: string) => {
    const wrong = tags.filter((tag) => list.includes(tag) !== inList);
    return holds(
      ADDRESS_TAGS,
      wrong.length === 0,
      what,
      'tags',
      expected,
      () => `${off}: ${wrong.join(', ')}`,
      hint,
    );
  };
}

/** POST tags merges: the tags before, plus the added ones, each once (tutorial "Adding tags"). */
export function ensureTagsMerged(before: readonly string[], added: readonly string[], after: unknown): void {
  const what = 'POST /me/addresses/{addressId}/tags';
  const list = tagsOf(after, what);
  const has = tagsIn(what, list);
  enforce([
    ...has(before, true, 'the tags it had before, kept', 'dropped', 'replaced instead of merged'),
    ...has(added, true, 'the added tags', 'missing'),
  ]);
  ensureNoDuplicateTags(list, what);
  ensureSameTags(list, [...before, ...added], what);
}

/** DELETE tags removes exactly the named tags (R: DELETE-customer-remove-address-tags). */
export function ensureTagsRemoved(
  before: readonly string[],
  removed: readonly string[],
  after: unknown,
): void {
  const what = 'DELETE /me/addresses/{addressId}/tags';
  const list = tagsOf(after, what);
  const expected = before.filter((tag) => !removed.includes(tag));
  const has = tagsIn(what, list);
  enforce([
    ...has(removed, false, 'the named tags removed', 'still present'),
    ...has(expected, true, 'the other tags kept', 'removed too'),
  ]);
  ensureSameTags(list, expected, what);
}
