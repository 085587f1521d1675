// Checks for refused requests: each asserts one property of a refusal and names the operation, the
// case, what was expected and what came back. The status list and body shapes come from
// docs/behaviour.md ("Token kinds", "Errors everywhere") and docs/discrepancies.md (rows 20, 21, 40, 43, 46).
import type { TestInfo } from '@playwright/test';
import { expect } from '../../fixtures/matchers.ts';
import { bodyPreview, operationLabel, type ApiResponse } from '../api-client.ts';
import type { RawResponse } from '../raw.ts';

/** Error types are lowercase with underscores, except the documented 403 `Forbidden` (discrepancies row 21). */
const LOWERCASE_TYPE = /^[a-z][a-z0-9_]*$/;

function label(response: ApiResponse, why: string): string {
  return `${operationLabel(response.operation)} (${why})`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** 401 with the gateway fault body `{fault:{faultstring,detail:{errorcode}}}` (behaviour.md, "Refusals"). */
export function ensureRefusedWithFault(response: ApiResponse, why: string): void {
  expect(
    response,
    `${label(response, why)}: a missing, malformed or unknown token is refused with 401`,
  ).toHaveStatus(401, why);
  expect(response).toMatchSchema('fault');
}

/**
 * 401 (fault body) or 403 (error body): both are documented refusals of a token of the wrong kind or
 * of another tenant (behaviour.md, "Refusals"; discrepancies row 40). The body must match the schema of
 * the status received.
 */
export function ensureRefused(response: ApiResponse, why: string): void {
  expect(response, `${label(response, why)}: expected a refusal`).toHaveStatus([401, 403], why);
  if (response.status === 401) {
    expect(response).toMatchSchema('fault');
  } else {
    expect(response).toMatchSchema('error');
    ensureErrorStatusField(response, why);
  }
}

/** The `status` member of an error body repeats the HTTP status (behaviour.md, "Errors everywhere"). */
export function ensureErrorStatusField(response: ApiResponse, why: string): void {
  const body = isRecord(response.body) ? response.body : {};
  expect(
    body.status,
    `${label(response, why)}: error body "status" should repeat the HTTP status ${response.status}, ` +
      `received ${JSON.stringify(body.status)}`,
  ).toBe(response.status);
}

/** Error `type` is lowercase with underscores (behaviour.md "Errors everywhere"; `Forbidden` only on 403). */
export function ensureLowercaseErrorType(response: ApiResponse, why: string): void {
  const body = isRecord(response.body) ? response.body : {};
  const type = body.type;
  expect(
    typeof type === 'string' && LOWERCASE_TYPE.test(type),
    `${label(response, why)}: error "type" should be lowercase with underscores (e.g. bad_request), ` +
      `received ${JSON.stringify(type)}`,
  ).toBe(true);
}

/** 400 with the documented error body: never a 5xx, never 415 (discrepancies row 46). */
export function ensureBadRequest(response: ApiResponse, why: string): void {
  expect(response, `${label(response, why)}: invalid client input is a 400`).toHaveStatus(400, why);
  expect(response).toMatchSchema('error');
  ensureErrorStatusField(response, why);
  ensureLowercaseErrorType(response, why);
}

/**
 * A `{tenant}` that is not a tenant name: 400 with the error body, where the reference documents a
 * 400 for the operation (its own 400 example is "Invalid tenant"); where it documents none, a 401 or
 * 403 refusal is accepted as well (discrepancies row 54).
 */
export function ensureMalformedTenantRefused(
  response: ApiResponse,
  referenceDocuments400: boolean,
  why: string,
): void {
  if (referenceDocuments400) {
    ensureBadRequest(response, why);
    return;
  }
  expect(
    response,
    `${label(response, why)}: the reference lists no 400 here; expected 400, or a 401/403 refusal`,
  ).toHaveStatus([400, 401, 403], why);
  if (response.status === 400) ensureBadRequest(response, why);
  else ensureRefused(response, why);
}

/** 404 `resource_not_found` with the error body (behaviour.md: unknown address or customer). */
export function ensureNotFound(response: ApiResponse, why: string): void {
  expect(response, `${label(response, why)}: an unknown id is a 404`).toHaveStatus(404, why);
  expect(response).toMatchSchema('error');
  ensureErrorStatusField(response, why);
  const body = isRecord(response.body) ? response.body : {};
  expect(
    body.type,
    `${label(response, why)}: 404 "type" should be resource_not_found, received ${JSON.stringify(body.type)}`,
  ).toBe('resource_not_found');
}

/** The names an error body's `details[].field` lists. */
export function detailFields(response: ApiResponse): string[] {
  const body = isRecord(response.body) ? response.body : {};
  const details = Array.isArray(body.details) ? body.details : [];
  return details
    .map((item: unknown) => (isRecord(item) && typeof item.field === 'string' ? item.field : undefined))
    .filter((field): field is string => field !== undefined);
}

function namesField(fields: readonly string[], field: string): boolean {
  // A server may prefix the body ("body.email") or nest ("customerDetails.firstName"): compare the path end.
  return fields.some((f) => f === field || f.endsWith(`.${field}`) || f.endsWith(`/${field}`));
}

/** `details[]` names the field the request got wrong (behaviour.md, Signup: `details[{field,type,message}]`). */
export function ensureDetailsNameField(response: ApiResponse, field: string, why: string): void {
  const fields = detailFields(response);
  expect(
    namesField(fields, field),
    `${label(response, why)}: details[].field should name "${field}", received ` +
      `${fields.length ? JSON.stringify(fields) : 'no details'}; body: ${bodyPreview(response.text)}`,
  ).toBe(true);
}

/**
 * Advisory: where the docs do not promise `details`, a 400 that lists details but not the field is
 * recorded as a warning (the report shows it), never a failure.
 */
export function noteDetailsMissingField(
  response: ApiResponse,
  field: string,
  why: string,
  testInfo: TestInfo,
): void {
  const fields = detailFields(response);
  if (fields.length > 0 && !namesField(fields, field)) {
    testInfo.annotations.push({
      type: 'warning',
      description: `${label(response, why)}: details list ${JSON.stringify(fields)} but not "${field}"`,
    });
  }
}

/** Two answers that must not differ (no account enumeration): same status, same body text. */
export function ensureSameAnswer(a: ApiResponse, b: ApiResponse, why: string): void {
  expect(
    b.status,
    `${operationLabel(a.operation)}: ${why}: statuses differ (${a.status} vs ${b.status}); ` +
      'the answer tells whether the account exists',
  ).toBe(a.status);
  expect(
    documentedErrorFields(b.body),
    `${operationLabel(a.operation)}: ${why}: bodies differ in their documented fields ` +
      `(${bodyPreview(a.text)} vs ${bodyPreview(b.text)}); the answer tells whether the account exists`,
  ).toEqual(documentedErrorFields(a.body));
}

/**
 * The members of an answer that the documents define: the 401 fault's `faultstring` and `errorcode`,
 * or the error body's `status`, `type`, `message` and `details`. Members the documents do not list
 * (a request id, a timestamp) are left out, so comparing two answers never fails a server for them.
 */
export function documentedErrorFields(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const fault = record.fault;
  if (fault !== null && typeof fault === 'object' && !Array.isArray(fault)) {
    const { faultstring, detail } = fault as Record<string, unknown>;
    const errorcode =
      detail !== null && typeof detail === 'object'
        ? (detail as Record<string, unknown>).errorcode
        : undefined;
    return { fault: { faultstring, errorcode } };
  }
  const { status, type, message, details } = record;
  return { status, type, message, details };
}

/**
 * An answer outside the catalog (unknown route, wrong method): one of the expected statuses, an
 * `application/json` body, in the documented error shape (behaviour.md, "Errors everywhere").
 */
export function ensureJsonErrorOutsideCatalog(
  response: RawResponse,
  expected: readonly number[],
  why: string,
): void {
  const preview = bodyPreview(response.text, response.headers['content-type']);
  expect(
    expected.includes(response.status),
    `${response.label} (${why}): expected status ${expected.join(' or ')}, received ${response.status}; body: ${preview}`,
  ).toBe(true);
  const contentType = response.headers['content-type'] ?? '';
  expect(
    /^application\/json\s*(;.*)?$/i.test(contentType),
    `${response.label} (${why}): Content-Type should be application/json, received "${contentType || '(none)'}"`,
  ).toBe(true);
  expect(
    response.body,
    `${response.label} (${why}): the body should be JSON, received ${preview}`,
  ).toBeDefined();
  expect(response.body).toMatchSchema('error');
}
