// Checks every chapter uses: the status of an answer, its schema, a field read back. Each `check…`
// evaluates one requirement and returns findings; each `ensure…` hands them to `enforce`, which
// weighs them by the requirement's source and the run's profile (helpers/findings.ts).
import { bodyPreview, operationLabel, type ApiClient, type ApiResponse } from '../api-client.ts';
import { check, enforce, type Finding, type Requirement } from '../findings.ts';
import { maskJson, maskText } from '../mask.ts';
import { BODY_SCHEMA_BEYOND_REFERENCE } from '../requirements/exchange.ts';
import { STEP_SCHEMA, stepStatusRequirement } from '../requirements/steps.ts';
import { formatSchemaIssues, validateSchema } from '../schemas.ts';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `POST /customer/{tenant}/login` */
export function labelOfResponse(response: Pick<ApiResponse, 'operation'>): string {
  return operationLabel(response.operation);
}

/** A value for a message, secrets masked. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  // Secrets by field name, then any registered secret quoted elsewhere (e.g. inside a message).
  return maskText(JSON.stringify(maskJson(value)) ?? String(value));
}

/** The answer has one of the expected statuses. */
export function checkStatus(
  response: ApiResponse,
  req: Requirement,
  expected: number | readonly number[],
  why?: string,
): Finding[] {
  const list = typeof expected === 'number' ? [expected] : [...expected];
  return check(req, list.includes(response.status), () => ({
    operation: labelOfResponse(response),
    field: 'status',
    expected: list.length === 1 ? `${list[0]}` : `one of ${list.join(', ')}`,
    received: `${response.status}${why ? ` (${why})` : ''}`,
    hint: `body: ${bodyPreview(response.text, response.headers['content-type'])}`,
  }));
}

/**
 * Enforces a step's status. Without `req`, the requirement is the one of the document describing the
 * operation (tutorial, tenant-managed or OAuth reference): use it for what those documents promise
 * (the success of a step, a refusal they list), and pass the requirement when the promise is another.
 */
export function ensureStatus(
  response: ApiResponse,
  expected: number | readonly number[],
  why?: string,
  req: Requirement = stepStatusRequirement(response.operation),
): void {
  enforce(checkStatus(response, req, expected, why));
}

/** The body (or a value) matches a schema. */
export function checkSchema(
  subject: ApiResponse | { label: string; body: unknown },
  req: Requirement,
  schemaId: string,
): Finding[] {
  const label = 'operation' in subject ? `${labelOfResponse(subject)} → ${subject.status}` : subject.label;
  const result = validateSchema(schemaId, subject.body);
  const reference = check(req, result.valid, () => {
    return {
      operation: label,
      field: 'body',
      expected: `a body matching schema ${schemaId}`,
      received: maskText(formatSchemaIssues(label, result.errors)),
    };
  });
  // What only the project's reading refuses is its own finding (source B), whatever `req` is.
  const beyond = check(BODY_SCHEMA_BEYOND_REFERENCE, result.beyond.length === 0, () => {
    return {
      operation: label,
      field: 'body',
      expected: `a body meeting the constraints schema ${schemaId} adds beyond the reference`,
      received: maskText(formatSchemaIssues(label, result.beyond)),
    };
  });
  return [...reference, ...beyond];
}

export function ensureSchema(
  subject: ApiResponse | { label: string; body: unknown },
  schemaId: string,
  req: Requirement = STEP_SCHEMA,
): void {
  enforce(checkSchema(subject, req, schemaId));
}

/**
 * A check that sends one request with a token: the client, the token, what the step calls it, and
 * the requirement it proves (each check names its own default).
 */
type TokenCheck<R> = (api: ApiClient, token: string, what: string, req?: Requirement) => Promise<R>;

/** A token check whose requirement is `fallback` unless the caller names another. */
export function tokenCheck<R>(
  fallback: Requirement,
  run: (api: ApiClient, token: string, what: string, req: Requirement) => Promise<R>,
): TokenCheck<R> {
  return (api, token, what, req = fallback) => run(api, token, what, req);
}

/** One field of a body has the expected value (compared as JSON). */
export function checkField(
  req: Requirement,
  operation: string,
  field: string,
  received: unknown,
  expected: unknown,
  hint?: string,
): Finding[] {
  return check(req, JSON.stringify(received) === JSON.stringify(expected), () => ({
    operation,
    field,
    expected: shown(expected),
    received: shown(received),
    ...(hint ? { hint } : {}),
  }));
}

/** checkField, enforced. */
export function ensureField(...args: Parameters<typeof checkField>): void {
  enforce(checkField(...args));
}

/** A string field that must be present and non-empty; returns the value when it is. */
export function checkStringField(
  response: ApiResponse,
  req: Requirement,
  field: string,
): { value: string | undefined; findings: Finding[] } {
  const body = isObject(response.body) ? response.body : {};
  const value = body[field];
  const ok = typeof value === 'string' && value !== '';
  return {
    value: ok ? value : undefined,
    findings: check(req, ok, () => ({
      operation: `${labelOfResponse(response)} → ${response.status}`,
      field,
      expected: 'a non-empty string',
      received: shown(value),
    })),
  };
}

/** The body of a response as a record (for reading fields after the client validated it). */
export function bodyOf(response: Pick<ApiResponse, 'body'>): JsonObject {
  return isObject(response.body) ? response.body : {};
}

/** A string field the answer must carry (its schema says so); fails naming the operation and field. */
export function stringFieldOf(response: ApiResponse, field: string): string {
  const { value, findings } = checkStringField(response, STEP_SCHEMA, field);
  enforce(findings);
  if (value === undefined) throw new Error(`${labelOfResponse(response)}: "${field}" is not a string`);
  return value;
}
