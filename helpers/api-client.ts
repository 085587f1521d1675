// The one way specs and fixtures talk to the API. Every call is made by catalog operation id, and
// every response is held to what that operation documents: the status, the JSON content type and the
// body schema for that status. Each exchange is recorded (reports/records) and attached, masked, to
// the test, inside a step named by the operation and status (`POST /customer/{tenant}/login → 200`).
//
// Requests go through Node's own fetch, not Playwright's APIRequestContext: Playwright reports every
// request of a request context as a step whose title carries the full URL, and several operations take
// tokens in the query string (logout `accessToken`, anonymous refresh `refresh_token`, customer
// `refreshToken`, social login `code`). Those steps would put the tokens into the HTML report and the
// Allure results, where masking cannot reach them.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type APIRequestContext, type TestInfo } from '@playwright/test';
import { applyLabels, deviationLabel, labelsForExchange, warningLabel } from './allure.ts';
import {
  formatExpectedDeviation,
  formatExpiredDeviation,
  loadBaseline,
  matchDeviation,
  type DeviationMatch,
} from './baseline.ts';
import {
  documentedStatuses,
  notServedStatuses,
  operation,
  type OperationId,
  type OperationInfo,
} from './catalog.ts';
import type { Config } from './config.ts';
import {
  maskBodyText,
  maskHeaders,
  maskJson,
  maskText,
  maskUrl,
  rememberSecret,
  secretClassOf,
} from './mask.ts';
import { appendRecord, type ExchangeRecord } from './records.ts';
import { formatSchemaIssues, validateSchema } from './schemas.ts';
import { recordFromExchange } from './ledger.ts';
import { isIdempotent, withRetry } from './retry.ts';
import { assertMaySend } from './safety.ts';

/** Per-request timeout: a conforming server answers well within it. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** How much of a body a failure message quotes. */
const BODY_PREVIEW_CHARS = 300;

export interface CallOptions {
  /** Path parameters; `tenant` defaults to the configured tenant. Values are URI-encoded. */
  path?: Record<string, string>;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | undefined>;
  /** A JSON body, validated against the operation's request schema before it is sent. */
  body?: unknown;
  /** A form-encoded body (application/x-www-form-urlencoded). */
  form?: Record<string, string>;
  /** Bearer token; null or undefined sends no Authorization header. */
  token?: string | null;
  /** Extra headers; they win over the ones the client sets (e.g. a malformed Authorization). */
  headers?: Record<string, string>;
  /** A body sent as-is (e.g. malformed JSON); never validated. */
  rawBody?: string;
  /** Content-Type of the body; defaults to the operation's request content type or application/json. */
  contentType?: string;
  /** Sends a body the request schema refuses, for negative tests. */
  skipRequestValidation?: boolean;
}

export interface ApiResponse {
  operation: OperationInfo;
  status: number;
  /** Response headers, names in lowercase. */
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  body: unknown;
  text: string;
  /** The URL requested, secrets masked. */
  url: string;
}

/** `GET /customer/{tenant}/me` — how messages name an operation. */
export function operationLabel(op: OperationInfo): string {
  return `${op.method} ${op.path}`;
}

/** The start of a body for a failure message, secrets masked. */
export function bodyPreview(text: string, contentType = ''): string {
  if (text === '') return '(empty body)';
  const masked = maskBodyText(text, contentType);
  return masked.length > BODY_PREVIEW_CHARS ? `${masked.slice(0, BODY_PREVIEW_CHARS)}…` : masked;
}

/** `GET /customer/{tenant}/me → Received: 500, documented: 200, 400, 401, 403` and the body start. */
export function formatStatusNotDocumented(
  op: OperationInfo,
  status: number,
  documented: readonly number[],
  text: string,
  contentType = '',
): string {
  return (
    `${operationLabel(op)} → Received: ${status}, documented: ${documented.join(', ')} ` +
    `(operation ${op.id})` +
    (op.laterRemoved && (status === 404 || status === 405)
      ? `\nLater vendor documents drop this operation: ${op.laterRemoved}`
      : '') +
    `\nBody: ${bodyPreview(text, contentType)}`
  );
}

/** `POST /customer/{tenant}/signup → Expected status: 201, received: 400` and the body start. */
export function formatStatusMismatch(
  response: Pick<ApiResponse, 'operation' | 'status' | 'text' | 'headers'>,
  expected: number | readonly number[],
  why?: string,
): string {
  const list = typeof expected === 'number' ? [expected] : expected;
  const wanted = list.length === 1 ? `${list[0]}` : `one of ${list.join(', ')}`;
  return (
    `${operationLabel(response.operation)} → Expected status: ${wanted}, received: ${response.status}` +
    `${why ? ` (${why})` : ''}\nBody: ${bodyPreview(response.text, response.headers['content-type'])}`
  );
}

/** Fails the current test unless the response has one of the expected statuses. */
export function expectStatus(
  response: ApiResponse,
  expected: number | readonly number[],
  why?: string,
): void {
  const list = typeof expected === 'number' ? [expected] : expected;
  if (!list.includes(response.status)) throw new Error(formatStatusMismatch(response, expected, why));
}

/** Fills a path template; every parameter is URI-encoded. */
export function fillPath(op: OperationInfo, params: Record<string, string>): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) {
      throw new Error(`${operationLabel(op)}: path parameter {${name}} was not given`);
    }
    return encodeURIComponent(value);
  });
}

const JSON_CONTENT_TYPE = /^application\/json\s*(;.*)?$/i;

interface PreparedBody {
  data?: string;
  contentType?: string;
  /** What the attachment shows (masked). */
  shown?: unknown;
}

/** A response as the transport hands it over. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * Sends one request with Node's fetch: no redirects followed, bounded by REQUEST_TIMEOUT_MS, response
 * headers as a plain object. For requests outside the catalog, use this rather than Playwright's
 * `request`, whose report steps would show the URL, query tokens included.
 */
export async function sendRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  data: string | undefined,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): Promise<TransportResponse> {
  const response = await fetch(url, {
    method,
    headers,
    ...(data !== undefined ? { body: data } : {}),
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
  });
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  // Several Set-Cookie headers are joined by a newline (as Playwright did), not a comma.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) responseHeaders['set-cookie'] = cookies.join('\n');
  return { status: response.status, headers: responseHeaders, text: await response.text() };
}

/** Whether the spec file itself (not a fixture's set-up) made the call being handled. */
function calledFromSpec(testInfo: TestInfo | undefined): boolean {
  if (!testInfo) return false;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stack.includes(testInfo.file);
}

export class ApiClient {
  constructor(
    /**
     * No longer used: requests go through Node's fetch (see the top of this file). Kept so that
     * `new ApiClient(request, config)` keeps compiling; pass `null` in new code.
     */
    _request: APIRequestContext | null | undefined,
    private readonly config: Config,
    /** The current test; when absent (worker fixtures) it is looked up at call time, if there is one. */
    private readonly testInfo?: TestInfo,
  ) {}

  /** Calls an operation of the catalog and checks the response against what it documents. */
  async call(opId: OperationId, options: CallOptions = {}): Promise<ApiResponse> {
    const op = operation(opId);
    // No writing request reaches a real tenant unless EMPORIX_ALLOW_DESTRUCTIVE=true.
    assertMaySend(this.config, op);
    const bySpec = calledFromSpec(this.testInfo ?? currentTest());
    const params = { tenant: this.config.tenant, ...options.path };
    const url = this.buildUrl(op, params, options.query);
    const prepared = this.prepareBody(op, options);

    const headers: Record<string, string> = { Accept: 'application/json' };
    if (prepared.contentType) headers['Content-Type'] = prepared.contentType;
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    Object.assign(headers, options.headers);

    // Path parameters that carry secrets (e.g. an opt-in token) are masked wherever the URL appears.
    for (const [name, value] of Object.entries(params)) {
      const cls = secretClassOf(name);
      if (cls) rememberSecret(value, cls);
    }
    const shownUrl = maskUrl(url);
    const started = Date.now();
    let response: TransportResponse | undefined;
    let transportError: unknown;
    try {
      response = await withRetry(
        () => sendRequest(url, op.method, headers, prepared.data, this.config.requestTimeoutMs),
        {
          idempotent: isIdempotent(op.method),
          maxRetries: this.config.maxRetries,
          onRetry: (event) =>
            this.currentTestInfo()?.annotations.push({
              type: 'retry',
              description: `${operationLabel(op)} → ${event.status ?? event.error}; retry ${event.attempt} after ${event.delayMs} ms (${event.basis})`,
            }),
        },
      );
    } catch (error) {
      transportError = error;
    }
    const durationMs = Date.now() - started;
    const testInfo = this.currentTestInfo();
    if (testInfo) await applyLabels(labelsForExchange(testInfo, op, bySpec));
    const requestShown = {
      method: op.method,
      url: shownUrl,
      headers: maskHeaders(headers),
      body: prepared.shown,
    };

    if (!response) {
      const cause = maskText(describeTransportError(transportError, this.config.requestTimeoutMs));
      const message = `${op.method} ${shownUrl} → no response (${op.id}): ${cause}`;
      const deviation = this.deviationFor(testInfo, op, null, [message]);
      this.record(
        testInfo,
        op,
        null,
        { documented: false, schemaId: null, valid: null, undocumented: [] },
        [cause],
        durationMs,
        deviation,
        bySpec,
      );
      const fail = async (): Promise<never> => {
        await testInfo?.attach(`${op.id} → no response`, {
          body: JSON.stringify({ request: requestShown, error: cause }, null, 2),
          contentType: 'application/json',
        });
        throw new Error(await this.settleDeviation(testInfo, deviation, message));
      };
      if (!testInfo) return await fail();
      // Called here, directly, so the boxed step's failure points at the caller's line (a spec or a fixture).
      return await test.step(`${operationLabel(op)} → no response`, fail, { box: true });
    }

    const { status, headers: responseHeaders, text } = response;
    const contentType = responseHeaders['content-type'] ?? '';
    let body: unknown;
    let parseProblem: string | undefined;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        parseProblem = `${operationLabel(op)} → ${status}: the body is not JSON: ${bodyPreview(text)}`;
      }
    }

    const result: ApiResponse = {
      operation: op,
      status,
      headers: responseHeaders,
      body,
      text,
      url: shownUrl,
    };
    // Before the checks, so a signup whose 201 body breaks the contract is still cleaned up.
    recordFromExchange(this.config, {
      operationId: op.id,
      path: options.path,
      requestBody: options.body,
      status,
      responseBody: body,
      by: testInfo ? testInfo.titlePath.slice(1).join(' › ') : 'outside a test',
    });
    const { problems, warnings, outcome } = checkResponse(op, result, parseProblem);
    const deviation = this.deviationFor(testInfo, op, status, problems);
    this.record(testInfo, op, status, outcome, problems, durationMs, deviation, bySpec);

    const check = async (): Promise<ApiResponse> => {
      await testInfo?.attach(`${op.id} → ${status}`, {
        body: JSON.stringify(
          {
            request: requestShown,
            response: {
              status,
              headers: maskHeaders(responseHeaders),
              body: body !== undefined ? maskJson(body) : maskBodyText(text, contentType),
            },
            durationMs,
            ...(problems.length ? { problems } : {}),
          },
          null,
          2,
        ),
        contentType: 'application/json',
      });
      for (const warning of warnings) testInfo?.annotations.push({ type: 'warning', description: warning });
      if (testInfo && warnings.length > 0) await applyLabels(warningLabel(testInfo));
      if (deviation && !deviation.match.expired) {
        throw new Error(
          await this.settleDeviation(
            testInfo,
            deviation,
            problems.join('\n\n') || `${operationLabel(op)} → ${status}`,
          ),
        );
      }
      if (problems.length > 0) {
        if (deviation) problems.push(formatExpiredDeviation(deviation.baseline, deviation.match));
        throw new Error(problems.join('\n\n'));
      }
      return result;
    };
    if (!testInfo) return await check();
    // Called here, directly, so the boxed step's failure points at the caller's line (a spec or a fixture).
    return await test.step(`${operationLabel(op)} → ${status}`, check, { box: true });
  }

  private buildUrl(op: OperationInfo, params: Record<string, string>, query?: CallOptions['query']): string {
    const path = fillPath(op, params);
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {}))
      if (value !== undefined) search.append(name, value);
    const qs = search.toString();
    return `${this.config.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  private prepareBody(op: OperationInfo, options: CallOptions): PreparedBody {
    if (options.rawBody !== undefined) {
      const contentType = options.contentType ?? op.requestContentType ?? 'application/json';
      return { data: options.rawBody, contentType, shown: maskBodyText(options.rawBody, contentType) };
    }
    // Masking first registers the body's secrets, so a validation message quoting them is masked too.
    if (options.form !== undefined) {
      const shown = maskJson(options.form);
      this.validateRequest(op, options.form, options);
      return {
        data: new URLSearchParams(options.form).toString(),
        contentType: options.contentType ?? 'application/x-www-form-urlencoded',
        shown,
      };
    }
    if (options.body !== undefined) {
      const shown = maskJson(options.body);
      this.validateRequest(op, options.body, options);
      return {
        data: JSON.stringify(options.body),
        contentType: options.contentType ?? op.requestContentType ?? 'application/json',
        shown,
      };
    }
    return options.contentType ? { contentType: options.contentType } : {};
  }

  /** The suite must not send a body the contract refuses unless a negative test says so. */
  private validateRequest(op: OperationInfo, body: unknown, options: CallOptions): void {
    if (options.skipRequestValidation || !op.requestSchema) return;
    const result = validateSchema(op.requestSchema, body);
    if (!result.valid) {
      throw new Error(
        `The suite built an invalid request body for ${operationLabel(op)} (${op.id}, schema ${op.requestSchema}); ` +
          `fix the test data, or pass skipRequestValidation: true in a negative test.\n` +
          maskText(formatSchemaIssues(`${operationLabel(op)} request`, result.errors)),
      );
    }
  }

  private currentTestInfo(): TestInfo | undefined {
    return this.testInfo ?? currentTest();
  }

  /** The baseline entry describing this exchange, if the run has a baseline and one does. */
  private deviationFor(
    testInfo: TestInfo | undefined,
    op: OperationInfo,
    status: number | null,
    problems: string[],
  ): FoundDeviation | undefined {
    if (!testInfo) return undefined;
    const baseline = loadBaseline(this.config.tenant);
    const match = matchDeviation(baseline, {
      operationId: op.id,
      status,
      problems,
      test: testTitle(testInfo),
    });
    return baseline && match ? { baseline, match } : undefined;
  }

  /**
   * A current baseline entry describes the exchange: the test is marked as expected to fail (it
   * passes as an expected failure) and stops here, with a message naming the entry. An expired entry
   * changes nothing but the message. Returns the message to throw.
   */
  private async settleDeviation(
    testInfo: TestInfo | undefined,
    deviation: FoundDeviation | undefined,
    what: string,
  ): Promise<string> {
    if (!deviation || !testInfo) return what;
    const { baseline, match } = deviation;
    if (match.expired) return `${what}\n\n${formatExpiredDeviation(baseline, match)}`;
    const message = formatExpectedDeviation(baseline, match, what);
    testInfo.annotations.push({ type: 'expected-deviation', description: `${baseline.file} ${match.label}` });
    await applyLabels(deviationLabel(testInfo, match.label));
    testInfo.fail(true, `expected deviation: ${baseline.file} ${match.label}`);
    return message;
  }

  private record(
    testInfo: TestInfo | undefined,
    op: OperationInfo,
    status: number | null,
    outcome: Pick<ExchangeRecord, 'documented' | 'schemaId' | 'valid' | 'undocumented'>,
    problems: string[],
    durationMs: number,
    deviation: FoundDeviation | undefined,
    bySpec: boolean,
  ): void {
    const record: ExchangeRecord & { deviation?: RecordedDeviation; calledBy: 'spec' | 'fixture' } = {
      kind: 'exchange',
      operationId: op.id,
      method: op.method,
      path: op.path,
      status,
      ...outcome,
      problems,
      durationMs,
      test: testInfo ? testTitle(testInfo) : '(outside a test)',
      file: testInfo ? relative(PROJECT_ROOT, testInfo.file) : '',
      project: testInfo?.project.name ?? '',
      at: new Date().toISOString(),
      // Whether the spec's own body made the call, or a fixture's set-up (reports count tests by it).
      calledBy: bySpec ? 'spec' : 'fixture',
      ...(deviation
        ? {
            deviation: {
              file: deviation.baseline.file,
              entry: deviation.match.index,
              label: deviation.match.label,
              expired: deviation.match.expired,
            },
          }
        : {}),
    };
    appendRecord(record, testInfo?.workerIndex ?? 0);
  }
}

interface FoundDeviation {
  baseline: { file: string };
  match: DeviationMatch;
}

/** What an exchange record says about the baseline entry that described it (reports read it). */
export interface RecordedDeviation {
  file: string;
  /** Index of the entry in the file's `deviations`. */
  entry: number;
  label: string;
  expired: boolean;
}

/** The test's title path as records and the baseline name it: `describe › title`. */
export function testTitle(testInfo: Pick<TestInfo, 'titlePath'>): string {
  return testInfo.titlePath.slice(1).join(' › ');
}

function currentTest(): TestInfo | undefined {
  try {
    return test.info();
  } catch {
    return undefined; // Outside a test (e.g. a script or a worker fixture): no attachments.
  }
}

interface CheckResult {
  problems: string[];
  warnings: string[];
  outcome: Pick<ExchangeRecord, 'documented' | 'schemaId' | 'valid' | 'undocumented'>;
}

/** The contract checks every response gets: status documented, JSON content type, body schema. */
export function checkResponse(op: OperationInfo, response: ApiResponse, parseProblem?: string): CheckResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const { status, text } = response;
  const contentType = response.headers['content-type'] ?? '';
  const documented = documentedStatuses(op.id);
  const outcome: CheckResult['outcome'] = { documented: true, schemaId: null, valid: null, undocumented: [] };

  // Contract versions (docs/contract-versions.md): an operation the selected contract does not
  // document may be unknown to the target; its 404/405 is "not served", not an undocumented status.
  if (notServedStatuses(op.id).includes(status)) return { problems, warnings, outcome };

  if (!documented.includes(status)) {
    outcome.documented = false;
    problems.push(formatStatusNotDocumented(op, status, documented, text, contentType));
    return { problems, warnings, outcome };
  }

  const hasBody = text.trim() !== '';
  if (hasBody && !JSON_CONTENT_TYPE.test(contentType)) {
    problems.push(
      `${operationLabel(op)} → ${status}: Content-Type is "${contentType || '(none)'}", expected application/json`,
    );
  }
  if (parseProblem) problems.push(parseProblem);

  const schemaId = op.responses[status] ?? null;
  outcome.schemaId = schemaId;
  if (schemaId === null) {
    // Advisory: the operation documents no body for this status.
    if (hasBody)
      warnings.push(
        `${operationLabel(op)} → ${status} documents no body, but one came: ${bodyPreview(text, contentType)}`,
      );
    return { problems, warnings, outcome };
  }
  if (!hasBody) {
    problems.push(`${operationLabel(op)} → ${status}: documented a body (schema ${schemaId}), received none`);
    outcome.valid = false;
    return { problems, warnings, outcome };
  }
  if (parseProblem) {
    outcome.valid = false;
    return { problems, warnings, outcome };
  }
  const result = validateSchema(schemaId, response.body);
  outcome.valid = result.valid;
  outcome.undocumented = result.undocumented;
  if (!result.valid) {
    maskJson(response.body); // registers the body's secrets, so the quoted values below are masked
    problems.push(maskText(formatSchemaIssues(`${operationLabel(op)} → ${status}`, result.errors)));
  }
  if (result.undocumented.length > 0) {
    warnings.push(
      `${operationLabel(op)} → ${status}: fields the documentation does not list: ${result.undocumented.join(', ')}`,
    );
  }
  return { problems, warnings, outcome };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unknown error';
}

/** `fetch failed: connect ECONNREFUSED 127.0.0.1:4010`, `timed out after 15000 ms`. */
export function describeTransportError(error: unknown, timeoutMs: number = REQUEST_TIMEOUT_MS): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  return cause === undefined ? firstLine(error) : `${firstLine(error)}: ${firstLine(cause)}`;
}

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
