// Named checks for the profile, address and security specs. One check asserts one property; its
// failure message names the operation, the field, what was expected and what was received, and,
// where it helps, the likely cause. Sources: docs/behaviour.md ("GET /me", "PATCH /me", "Addresses",
// "Tags") and the tutorial's "How to manage a customer's profile".
import { expect } from '../../fixtures/index.ts';
import type { ApiResponse } from '../api-client.ts';

export type JsonObject = Record<string, unknown>;

/** The customer number and names of the anonymous profile (docs/behaviour.md, GET /me). */
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
  expect(isObject(body), `${label(response)}: expected a JSON object body, received ${typeof body}`).toBe(
    true,
  );
  return body as JsonObject;
}

/** The JSON array a response carries (the address list). */
export function listBody(response: ApiResponse): JsonObject[] {
  const body = response.body;
  expect(Array.isArray(body), `${label(response)}: expected a JSON array body, received ${typeof body}`).toBe(
    true,
  );
  const items = body as unknown[];
  items.forEach((item, i) =>
    expect(isObject(item), `${label(response)}: item ${i} should be an object, received ${typeof item}`).toBe(
      true,
    ),
  );
  return items as JsonObject[];
}

/** A non-empty string field; fails naming the operation and field. */
export function stringField(response: ApiResponse, field: string): string {
  const value = objectBody(response)[field];
  expect(
    typeof value === 'string' && value !== '',
    `${label(response)}: "${field}" should be a non-empty string, received ${JSON.stringify(value)}`,
  ).toBe(true);
  return value as string;
}

// ---- errors ----

/** The documented error body type, e.g. `resource_not_found` for 404 (docs/behaviour.md, "Errors everywhere"). */
export function ensureErrorType(response: ApiResponse, type: string): void {
  const body = objectBody(response);
  expect(body.type, `${label(response)}: error "type" should be "${type}"`).toBe(type);
  expect(body.status, `${label(response)}: error "status" should repeat the HTTP status`).toBe(
    response.status,
  );
}

/** A 400 names what was wrong: `details` lists at least one item naming the field (docs/behaviour.md). */
export function ensureErrorDetailsName(response: ApiResponse, field: string): void {
  const details = objectBody(response).details;
  expect(
    Array.isArray(details) && details.length > 0,
    `${label(response)}: a validation error should list "details" naming the field "${field}", received ${JSON.stringify(details)}`,
  ).toBe(true);
  const named = (details as unknown[]).some(
    (d) =>
      isObject(d) &&
      [d.field, d.message].some(
        (text) => typeof text === 'string' && text.includes(field.split('.')[0] ?? ''),
      ),
  );
  expect(
    named,
    `${label(response)}: no item of "details" names the field "${field}": ${JSON.stringify(details)}`,
  ).toBe(true);
}

// ---- profile ----

/** id and customerNumber are the same string, the one signup answered (tutorial, "Retrieving a customer profile"). */
export function ensureProfileIdentity(profile: JsonObject, customerNumber: string, what = 'GET /me'): void {
  expect(profile.customerNumber, `${what}: customerNumber should be the id signup answered`).toBe(
    customerNumber,
  );
  expect(profile.id, `${what}: id should equal customerNumber`).toBe(customerNumber);
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
  expect(loginsOf(profile), `${what}: accounts[].id should list the login email ${email}`).toContain(
    email.toLowerCase(),
  );
}

/** Each named field carries the value sent (signup or PATCH); fields the server adds are not looked at. */
export function ensureProfileFieldsMatch(profile: JsonObject, expected: JsonObject, what: string): void {
  for (const [field, value] of Object.entries(expected)) {
    if (value === undefined || field === 'metadata') continue;
    const received = profile[field];
    const same =
      typeof value === 'string' && typeof received === 'string' && field.toLowerCase().includes('email')
        ? value.toLowerCase() === received.toLowerCase()
        : JSON.stringify(received) === JSON.stringify(value);
    expect(
      same,
      `${what}: "${field}" should be ${JSON.stringify(value)}, received ${JSON.stringify(received)}`,
    ).toBe(true);
  }
}

/** The profile's `metadata.version`, an integer (docs/behaviour.md, PATCH /me). */
export function versionOf(profile: JsonObject, what = 'GET /me'): number {
  const metadata = profile.metadata;
  const version = isObject(metadata) ? metadata.version : undefined;
  expect(
    Number.isInteger(version),
    `${what}: metadata.version should be an integer, received ${JSON.stringify(version)}`,
  ).toBe(true);
  return version as number;
}

/** Every change adds at least 1 to `metadata.version` (docs/behaviour.md, PATCH /me). */
export function ensureVersionIncreased(before: number, after: number, what: string): void {
  expect(
    after,
    `${what}: metadata.version should grow after a change (was ${before}, now ${after}); ` +
      (after === before ? 'the change was not counted, or not applied' : 'the version went backwards'),
  ).toBeGreaterThanOrEqual(before + 1);
}

/** The anonymous profile (docs/behaviour.md, GET /me with an anonymous token). */
export function ensureAnonymousProfile(profile: JsonObject): void {
  for (const [field, value] of Object.entries(ANONYMOUS_PROFILE)) {
    expect(profile[field], `GET /me with an anonymous token: "${field}" of the anonymous profile`).toBe(
      value,
    );
  }
  expect(profile.accounts, 'GET /me with an anonymous token: "accounts" should be an empty list').toEqual([]);
}

/** Without `expand=addresses` the profile carries no `addresses` (docs/behaviour.md, GET /me). */
export function ensureNoAddressesWithoutExpand(profile: JsonObject): void {
  expect(
    profile.addresses,
    'GET /me without expand: "addresses" should be absent (it appears only with expand=addresses)',
  ).toBeUndefined();
}

/** Values a customer must not be able to change stay as they were (security, PATCH /me). */
export function ensureFieldUnchanged(field: string, before: unknown, after: unknown, what: string): void {
  expect(
    after,
    `${what}: "${field}" changed from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
  ).toEqual(before);
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
  expect(
    found,
    `${label(response)}: the body carries fields named like a credential or holding a hash: ${found.join(', ')}`,
  ).toEqual([]);
}

/** A secret the test sent never comes back, in any field or message. */
export function ensureSecretNotEchoed(response: ApiResponse, secret: string, what: string): void {
  expect(
    response.text.includes(secret),
    `${label(response)}: the answer echoes the ${what} it was sent (${response.text.length} characters of body)`,
  ).toBe(false);
}

/** A refusal of another customer's resource does not reveal that customer's data. */
export function ensureNothingLeaked(response: ApiResponse, values: Record<string, string>): void {
  for (const [what, value] of Object.entries(values)) {
    expect(
      response.text.toLowerCase().includes(value.toLowerCase()),
      `${label(response)}: the refusal reveals the other customer's ${what}`,
    ).toBe(false);
  }
}

// ---- addresses ----

/** The address with this id in a list; fails when the list does not hold it. */
export function ensureAddressListed(list: JsonObject[], id: string, what = 'GET /me/addresses'): JsonObject {
  const found = list.find((a) => a.id === id);
  expect(
    found,
    `${what}: the list should contain the address ${id}; ids listed: ${list.map((a) => a.id).join(', ') || '(none)'}`,
  ).toBeDefined();
  return found as JsonObject;
}

/** The address with this id is not listed (after deletion, or another customer's). */
export function ensureAddressNotListed(list: JsonObject[], id: string, what: string): void {
  expect(
    list.map((a) => a.id),
    `${what}: the list should not contain the address ${id}`,
  ).not.toContain(id);
}

/** Each field sent comes back as sent (`country` in upper case); `tags` compare as sets. */
export function ensureAddressFieldsMatch(address: JsonObject, sent: JsonObject, what: string): void {
  for (const [field, value] of Object.entries(sent)) {
    if (value === undefined || field === 'isDefault' || field === 'metadata') continue;
    if (field === 'tags') {
      ensureSameTags(address.tags, value as string[], what);
      continue;
    }
    const expected = field === 'country' && typeof value === 'string' ? value.toUpperCase() : value;
    expect(address[field], `${what}: address field "${field}"`).toEqual(expected);
  }
}

/** The ids of the addresses marked `isDefault: true`. */
export function defaultAddressIds(list: JsonObject[]): string[] {
  return list.filter((a) => a.isDefault === true).map((a) => String(a.id));
}

/** While a customer has addresses, exactly one is the default (docs/behaviour.md, "Addresses"). */
export function ensureSingleDefaultAddress(list: JsonObject[], what = 'GET /me/addresses'): void {
  const defaults = defaultAddressIds(list);
  expect(
    defaults.length,
    `${what}: exactly one address should be isDefault: true, found ${defaults.length} (${defaults.join(', ') || 'none'})` +
      (defaults.length > 1 ? '; marking a new default did not clear the previous one' : ''),
  ).toBe(1);
}

/** The given address is the (single) default. */
export function ensureDefaultAddress(list: JsonObject[], id: string, what = 'GET /me/addresses'): void {
  ensureSingleDefaultAddress(list, what);
  expect(defaultAddressIds(list)[0], `${what}: the default address should be ${id}`).toBe(id);
}

function tagsOf(value: unknown, what: string): string[] {
  expect(
    Array.isArray(value),
    `${what}: "tags" should be an array of strings, received ${JSON.stringify(value)}`,
  ).toBe(true);
  return value as string[];
}

/** The tags hold no duplicates. */
export function ensureNoDuplicateTags(tags: unknown, what: string): void {
  const list = tagsOf(tags, what);
  const duplicates = list.filter((tag, i) => list.indexOf(tag) !== i);
  expect(
    duplicates,
    `${what}: "tags" should hold each tag once, duplicated: ${duplicates.join(', ')}`,
  ).toEqual([]);
}

/** The same tags in any order. */
export function ensureSameTags(tags: unknown, expected: readonly string[], what: string): void {
  const list = tagsOf(tags, what);
  expect([...list].sort(), `${what}: "tags" (in any order)`).toEqual([...new Set(expected)].sort());
}

/** POST tags merges: the tags before, plus the added ones, each once (docs/behaviour.md, "Tags"). */
export function ensureTagsMerged(before: readonly string[], added: readonly string[], after: unknown): void {
  const what = 'POST /me/addresses/{addressId}/tags';
  const list = tagsOf(after, what);
  const lost = before.filter((tag) => !list.includes(tag));
  expect(lost, `${what}: tags the address had before were dropped (replaced instead of merged)`).toEqual([]);
  const missing = added.filter((tag) => !list.includes(tag));
  expect(missing, `${what}: added tags missing afterwards (tags not applied)`).toEqual([]);
  ensureNoDuplicateTags(list, what);
  ensureSameTags(list, [...before, ...added], what);
}

/** DELETE tags removes exactly the named tags (docs/behaviour.md, "Tags"). */
export function ensureTagsRemoved(
  before: readonly string[],
  removed: readonly string[],
  after: unknown,
): void {
  const what = 'DELETE /me/addresses/{addressId}/tags';
  const list = tagsOf(after, what);
  const kept = removed.filter((tag) => list.includes(tag));
  expect(kept, `${what}: named tags still present afterwards`).toEqual([]);
  const expected = before.filter((tag) => !removed.includes(tag));
  const lost = expected.filter((tag) => !list.includes(tag));
  expect(lost, `${what}: tags that were not named were removed too`).toEqual([]);
  ensureSameTags(list, expected, what);
}
