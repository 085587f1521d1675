// Checks for refused requests: each evaluates one requirement (helpers/requirements/negative.ts,
// auth.ts) of a refusal and returns findings naming the operation, the case, what was expected and
// what came back; the `ensure…` functions hand them to `enforce`, which weighs them by source.
import { bodyPreview, operationLabel, type ApiResponse } from '../api-client.ts';
import { check, enforce, warn, type Finding, type Requirement } from '../findings.ts';
import { tenantPatternDeclared, type OperationInfo } from '../catalog.ts';
import type { RawResponse } from '../raw.ts';
import { ADDED_STATUS_BODY_SCHEMA } from '../requirements/exchange.ts';
import {
  ERROR_DETAILS_NAME_FIELD,
  FAULT_ERRORCODE,
  UNAUTHORIZED_FAULT,
  VALIDATE_UNAUTHORIZED_BODY,
} from '../requirements/auth.ts';
import {
  AUTHORIZATION_PARAMETER_401,
  AUTHORIZATION_PARAMETER_REFUSED,
  ERROR_BODY,
  ERROR_STATUS_FIELD,
  ERROR_TYPE_LOWERCASE,
  INPUT_REFUSED_400,
  INPUT_REFUSED_400_BEYOND,
  NO_ENUMERATION,
  NOT_FOUND_TYPE,
  REFUSED_WRONG_TOKEN,
  TENANT_MALFORMED_400_FIRST,
  TENANT_MALFORMED_REFUSED,
  TENANT_MALFORMED_REFUSED_BEYOND,
  UNKNOWN_ID_404,
  UNKNOWN_ROUTE_BODY,
  UNKNOWN_ROUTE_STATUS,
} from '../requirements/negative.ts';
import { checkSchema, checkStatus, isObject, shown } from './common.ts';

/** Error types are lowercase with underscores, except the documented 403 `Forbidden` (discrepancies row 21). */
const LOWERCASE_TYPE = /^[a-z][a-z0-9_]*$/;

function label(response: ApiResponse, why: string): string {
  return `${operationLabel(response.operation)} (${why})`;
}

export interface FaultExpectation {
  /** The refusal's status; 401 unless said. */
  status?: number;
  /** What promises the status: by default the reference's 401 with the fault body. */
  statusReq?: Requirement;
  /** What promises the fault body: the reference's 401, except on validateauthtoken (documented without body). */
  bodyReq?: Requirement;
  faultstring?: string;
  errorcode?: string;
  /** What promises the faultstring and errorcode: by default the vendor's other pages (FACTS). */
  codeReq?: Requirement;
}

/** The fault body of a 401 (R 401_unauthorized); on validateauthtoken the reference documents none. */
function defaultFaultBodyRequirement(response: ApiResponse): Requirement {
  return response.operation.id === 'GET-customer-validate-token'
    ? VALIDATE_UNAUTHORIZED_BODY
    : UNAUTHORIZED_FAULT;
}

/** The fault's `faultstring` and `detail.errorcode` are the ones expected. */
export function checkFaultCodes(
  response: ApiResponse,
  req: Requirement,
  expected: { faultstring?: string; errorcode?: string },
): Finding[] {
  const fault = isObject(response.body) && isObject(response.body.fault) ? response.body.fault : {};
  const detail = isObject(fault.detail) ? fault.detail : {};
  const fields = [
    ['fault.faultstring', expected.faultstring, fault.faultstring],
    ['fault.detail.errorcode', expected.errorcode, detail.errorcode],
  ] as const;
  return fields.flatMap(([field, wanted, received]) =>
    wanted === undefined
      ? []
      : check(req, received === wanted, () => ({
          operation: `${operationLabel(response.operation)} → ${response.status}`,
          field,
          expected: shown(wanted),
          received: shown(received),
        })),
  );
}

/**
 * A refusal with the gateway fault body `{fault:{faultstring,detail:{errorcode}}}`: the status, then
 * (when it came) the body and the codes expected. The one refusal check of 401s.
 */
export function checkRefusedWithFault(
  response: ApiResponse,
  why: string,
  expected: FaultExpectation = {},
): Finding[] {
  const status = expected.status ?? 401;
  const statusFindings = checkStatus(response, expected.statusReq ?? UNAUTHORIZED_FAULT, status, why);
  if (statusFindings.length > 0) return statusFindings;
  const bodyReq = expected.bodyReq ?? defaultFaultBodyRequirement(response);
  const bodyFindings = checkSchema(response, bodyReq, 'fault');
  if (bodyFindings.length > 0) return bodyFindings;
  return checkFaultCodes(response, expected.codeReq ?? FAULT_ERRORCODE, expected);
}

export function ensureRefusedWithFault(
  response: ApiResponse,
  why: string,
  expected: FaultExpectation = {},
): void {
  enforce(checkRefusedWithFault(response, why, expected));
}

/**
 * A missing or malformed `Authorization` header where the reference declares it as a required header
 * parameter (exchangeauthtoken): refused with 400 (a required parameter missing or unusable) or 401
 * (R); the project reads it as every other guarded operation's 401 with the fault body (B).
 */
export function checkRefusedAuthorizationParameter(response: ApiResponse, why: string): Finding[] {
  const refused = checkStatus(response, AUTHORIZATION_PARAMETER_REFUSED, [400, 401], why);
  if (refused.length > 0) return refused;
  if (response.status === 401) return checkRefusedWithFault(response, why);
  return [...checkStatus(response, AUTHORIZATION_PARAMETER_401, 401, why), ...checkErrorBody(response, why)];
}

export function ensureRefusedAuthorizationParameter(response: ApiResponse, why: string): void {
  enforce(checkRefusedAuthorizationParameter(response, why));
}

/** The `status` member of an error body repeats the HTTP status. */
export function checkErrorStatusField(response: ApiResponse, why: string): Finding[] {
  const body = isObject(response.body) ? response.body : {};
  return check(ERROR_STATUS_FIELD, body.status === response.status, () => ({
    operation: label(response, why),
    field: 'status',
    expected: `${response.status} (the HTTP status)`,
    received: shown(body.status),
  }));
}

/** Error `type` is lowercase with underscores (`Forbidden` only on 403). */
export function checkLowercaseErrorType(response: ApiResponse, why: string): Finding[] {
  const body = isObject(response.body) ? response.body : {};
  const type = body.type;
  const ok =
    typeof type === 'string' &&
    (LOWERCASE_TYPE.test(type) || (response.status === 403 && type === 'Forbidden'));
  return check(ERROR_TYPE_LOWERCASE, ok, () => ({
    operation: label(response, why),
    field: 'type',
    expected: 'lower case with underscores (e.g. bad_request)',
    received: shown(type),
  }));
}

/**
 * What promises the error body of this answer: the reference's ErrorMessage where the reference lists
 * the status with that body; the project's reading where the status or its body is one the project
 * added (`x-statuses-beyond-reference`, `x-bodies-beyond-reference`: /oauth/token's 400, for one).
 */
function errorBodyRequirement(response: ApiResponse): Requirement {
  const op = response.operation;
  return op.addedStatuses.includes(response.status) || op.addedBodies.includes(response.status)
    ? ADDED_STATUS_BODY_SCHEMA
    : ERROR_BODY;
}

/**
 * What promises that a bad body is refused with 400: the reference (`input.invalid.400`, R) where it
 * lists the operation's 400 and, for a field left out, requires that field in its request schema;
 * the project's reading (`input.invalid.400.beyond-reference`, B) otherwise: a field only the
 * project requires (`required` under `x-beyond-reference`), or an operation whose reference lists no
 * 400 (/oauth/token: the OAuth reference documents 200 only).
 */
export function inputRefusedRequirement(
  op: Pick<OperationInfo, 'responses' | 'addedStatuses'>,
  referenceRequiresField = true,
): Requirement {
  const referenceLists400 = 400 in op.responses && !op.addedStatuses.includes(400);
  return referenceLists400 && referenceRequiresField ? INPUT_REFUSED_400 : INPUT_REFUSED_400_BEYOND;
}

/** The error body, its `status` member and its `type`. */
export function checkErrorBody(response: ApiResponse, why: string): Finding[] {
  const schema = checkSchema(response, errorBodyRequirement(response), 'error');
  if (schema.length > 0) return schema;
  return [...checkErrorStatusField(response, why), ...checkLowercaseErrorType(response, why)];
}

/**
 * 401 (fault body) or 403 (error body): both are documented refusals of a token of the wrong kind or
 * of another tenant. The body must match the schema of the status received.
 */
export function checkRefused(
  response: ApiResponse,
  why: string,
  req: Requirement = REFUSED_WRONG_TOKEN,
): Finding[] {
  const status = checkStatus(response, req, [401, 403], why);
  if (status.length > 0) return status;
  return response.status === 401 ? checkRefusedWithFault(response, why) : checkErrorBody(response, why);
}

export function ensureRefused(response: ApiResponse, why: string, req?: Requirement): void {
  enforce(checkRefused(response, why, req));
}

/** 400 with the error body: never a 5xx, never 415 (discrepancies row 46). */
export function checkBadRequest(
  response: ApiResponse,
  why: string,
  req: Requirement = INPUT_REFUSED_400,
): Finding[] {
  const status = checkStatus(response, req, 400, why);
  if (status.length > 0) return status;
  return checkErrorBody(response, why);
}

export function ensureBadRequest(response: ApiResponse, why: string, req?: Requirement): void {
  enforce(checkBadRequest(response, why, req));
}

/**
 * A `{tenant}` that is not a tenant name is refused (400, 401 or 403: R, where the operation's tenant
 * parameter carries the reference's pattern; the project's reading where the reference declares it
 * without one, `tenantPatternDeclared`); where the reference lists a 400 for the operation, the
 * project reads it as 400 even with a valid token (B: nothing says whether the token or the tenant is
 * checked first).
 */
export function checkMalformedTenantRefused(
  response: ApiResponse,
  referenceDocuments400: boolean,
  why: string,
): Finding[] {
  const req = tenantPatternDeclared(response.operation)
    ? TENANT_MALFORMED_REFUSED
    : TENANT_MALFORMED_REFUSED_BEYOND;
  const refused = checkStatus(response, req, [400, 401, 403], why);
  if (refused.length > 0) return refused;
  const first = referenceDocuments400 ? checkStatus(response, TENANT_MALFORMED_400_FIRST, 400, why) : [];
  if (response.status === 400) return [...first, ...checkErrorBody(response, why)];
  return [...first, ...checkRefused(response, why, req)];
}

export function ensureMalformedTenantRefused(
  response: ApiResponse,
  referenceDocuments400: boolean,
  why: string,
): void {
  enforce(checkMalformedTenantRefused(response, referenceDocuments400, why));
}

/**
 * 404 with the error body. Its `type`: `resource_not_found` on the customer-managed API (FACTS); the
 * tenant-managed reference's own 404 example has another value, so there any non-empty type is accepted.
 */
export function checkNotFound(response: ApiResponse, why: string): Finding[] {
  const status = checkStatus(response, UNKNOWN_ID_404, 404, why);
  if (status.length > 0) return status;
  const schema = checkSchema(response, ERROR_BODY, 'error');
  if (schema.length > 0) return schema;
  return [...checkErrorStatusField(response, why), ...checkNotFoundType(response, why)];
}

export function checkNotFoundType(response: ApiResponse, why: string): Finding[] {
  const body = isObject(response.body) ? response.body : {};
  const tenantManaged = response.operation.chapter === 'employee';
  const ok = tenantManaged
    ? typeof body.type === 'string' && body.type !== ''
    : body.type === 'resource_not_found';
  return check(NOT_FOUND_TYPE, ok, () => ({
    operation: label(response, why),
    field: 'type',
    expected: tenantManaged ? 'a non-empty type' : '"resource_not_found"',
    received: shown(body.type),
  }));
}

export function ensureNotFound(response: ApiResponse, why: string): void {
  enforce(checkNotFound(response, why));
}

/** The names an error body's `details[].field` lists. */
export function detailFields(response: ApiResponse): string[] {
  const body = isObject(response.body) ? response.body : {};
  const details = Array.isArray(body.details) ? body.details : [];
  return details
    .map((item: unknown) => (isObject(item) && typeof item.field === 'string' ? item.field : undefined))
    .filter((field): field is string => field !== undefined);
}

function namesField(response: ApiResponse, fields: readonly string[]): boolean {
  // A server may prefix the body ("body.email") or nest ("customerDetails.firstName"), or name the
  // field only in the message: compare the path end, or look for the name in the message.
  const body = isObject(response.body) ? response.body : {};
  const details = Array.isArray(body.details) ? body.details.filter(isObject) : [];
  return details.some((d) =>
    fields.some((field) => {
      const f = typeof d.field === 'string' ? d.field : '';
      const message = typeof d.message === 'string' ? d.message.toLowerCase() : '';
      return (
        f === field ||
        f.endsWith(`.${field}`) ||
        f.endsWith(`/${field}`) ||
        f.toLowerCase().includes(field.toLowerCase()) ||
        message.includes(field.toLowerCase())
      );
    }),
  );
}

/** `details[]` names one of the fields the request got wrong. */
export function checkDetailsNameField(
  response: ApiResponse,
  fields: readonly string[],
  why: string,
): Finding[] {
  return check(ERROR_DETAILS_NAME_FIELD, namesField(response, fields), () => ({
    operation: label(response, why),
    field: 'details',
    expected: `a detail naming ${fields.join(' or ')}`,
    received: detailFields(response).length ? shown(detailFields(response)) : 'no details',
    hint: `body: ${bodyPreview(response.text)}`,
  }));
}

export function ensureDetailsNameField(response: ApiResponse, field: string, why: string): void {
  enforce(checkDetailsNameField(response, [field], why));
}

/**
 * Advisory: where the docs do not promise `details`, a 400 that lists details but not the field is
 * recorded as a warning in every profile, never a failure.
 */
export function noteDetailsMissingField(response: ApiResponse, field: string, why: string): void {
  if (detailFields(response).length > 0) warn(checkDetailsNameField(response, [field], why));
}

/** A 400 with the error body whose `details` name one of `fields`. */
export function ensureBadRequestNames(
  response: ApiResponse,
  why: string,
  fields: readonly string[],
  statusReq: Requirement = INPUT_REFUSED_400,
): void {
  const refusal = checkBadRequest(response, why, statusReq);
  enforce(refusal.length > 0 ? refusal : checkDetailsNameField(response, fields, why));
}

/** Two answers that must not differ (no account enumeration): same status, same documented body members. */
export function checkSameAnswer(
  a: ApiResponse,
  b: ApiResponse,
  why: string,
  req: Requirement = NO_ENUMERATION,
): Finding[] {
  const left = { status: a.status, body: documentedErrorFields(a.body) };
  const right = { status: b.status, body: documentedErrorFields(b.body) };
  return check(req, JSON.stringify(left) === JSON.stringify(right), () => ({
    operation: `${operationLabel(a.operation)} (${why})`,
    expected: `the same answer as ${a.status} ${bodyPreview(a.text)}`,
    received: `${b.status} ${bodyPreview(b.text)}`,
    hint: 'the answer tells whether the account exists',
  }));
}

export function ensureSameAnswer(a: ApiResponse, b: ApiResponse, why: string, req?: Requirement): void {
  enforce(checkSameAnswer(a, b, why, req));
}

/**
 * The members of an answer that the documents define: the 401 fault's `faultstring` and `errorcode`,
 * or the error body's `status`, `type`, `message` and `details`. Members the documents do not list
 * (a request id, a timestamp) are left out, so comparing two answers never fails a server for them.
 */
export function documentedErrorFields(body: unknown): unknown {
  if (!isObject(body)) return body;
  const fault = body.fault;
  if (isObject(fault)) {
    const errorcode = isObject(fault.detail) ? fault.detail.errorcode : undefined;
    return { fault: { faultstring: fault.faultstring, errorcode } };
  }
  const { status, type, message, details } = body;
  return { status, type, message, details };
}

/** An answer outside the catalog (unknown route, wrong method) has one of the expected statuses. */
export function checkStatusOutsideCatalog(
  response: RawResponse,
  expected: readonly number[],
  why: string,
): Finding[] {
  return check(UNKNOWN_ROUTE_STATUS, expected.includes(response.status), () => ({
    operation: `${response.label} (${why})`,
    field: 'status',
    expected: expected.join(' or '),
    received: `${response.status}`,
    hint: `body: ${bodyPreview(response.text, response.headers['content-type'])}`,
  }));
}

/** …and the JSON error body (the project's reading: a gateway may answer with its own fault body). */
export function checkJsonErrorOutsideCatalog(response: RawResponse, why: string): Finding[] {
  const contentType = response.headers['content-type'] ?? '';
  const json = /^application\/json\s*(;.*)?$/i.test(contentType);
  const ok = json && response.body !== undefined;
  const shape = ok
    ? checkSchema({ label: `${response.label} (${why})`, body: response.body }, UNKNOWN_ROUTE_BODY, 'error')
    : [];
  return [
    ...check(UNKNOWN_ROUTE_BODY, ok, () => ({
      operation: `${response.label} (${why})`,
      field: 'body',
      expected: 'an application/json error body',
      received: `Content-Type "${contentType || '(none)'}", ${bodyPreview(response.text, contentType)}`,
    })),
    ...shape,
  ];
}

/** An answer outside the catalog: 404 or 405 (F), with the JSON error body (B). */
export function ensureAnswerOutsideCatalog(
  response: RawResponse,
  expected: readonly number[],
  why: string,
): void {
  const status = checkStatusOutsideCatalog(response, expected, why);
  enforce(status.length > 0 ? status : checkJsonErrorOutsideCatalog(response, why));
}
