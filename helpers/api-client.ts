// The one way specs and fixtures talk to the API. Every call is made by catalog operation id, and
// every response goes through a pipeline of registered checks (helpers/requirements/exchange.ts): the
// status is documented, a body is JSON with the JSON content type, the body matches the schema of its
// status, and (advisory) it holds only fields the documents list. The checks return findings; the
// run's profile weighs them (helpers/findings.ts), and a baseline entry may expect the failure. Then
// the exchange's observers are told (the cleanup ledger, the exchange records, Allure's labels) and
// the exchange is attached, masked, to the test, inside a step named by the operation and status
// (`POST /customer/{tenant}/login → 200`).
//
// Requests go through Node's own fetch, not Playwright's APIRequestContext: Playwright reports every
// request of a request context as a step whose title carries the full URL, and several operations take
// tokens in the query string (logout `accessToken`, anonymous refresh `refresh_token`, customer
// `refreshToken`, social login `code`). Those steps would put the tokens into the HTML report and the
// Allure results, where masking cannot reach them.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type TestInfo } from '@playwright/test';
import { applyLabels, deviationLabel, labelsForExchange } from './allure.ts';
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
import { labelWarnings, observeFindings } from './finding-observers.ts';
import { check, classify, failure, formatFinding, requirementOf, warn, type Finding } from './findings.ts';
import { maskBodyText, maskHeaders, maskJson, maskText, maskUrl, registerExchangeSecrets } from './mask.ts';
import { appendRecord, type Exchange, type ExchangeRecord, type RecordedFinding } from './records.ts';
import {
  ADDED_STATUS_BODY_SCHEMA,
  BODY_JSON,
  BODY_SCHEMA,
  BODY_SCHEMA_BEYOND_REFERENCE,
  CONTENT_TYPE_JSON,
  FIELDS_LISTED,
  NO_BODY_DOCUMENTED,
  REQUEST_SCHEMA,
  STATUS_DOCUMENTED,
  operationSource,
} from './requirements/index.ts';
import { schemaIssueParts, validateSchema } from './schemas.ts';
import { recordFromExchange } from './ledger.ts';
import { isIdempotent, withRetry } from './retry.ts';
import { assertMaySend } from './safety.ts';
import { takeRequestSlot } from './rate-limit.ts';
import { transportFetch, transportOptions } from './transport-options.ts';

export { operationSource };

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
  /** What the attachment shows (masked), computed once the request's secrets are registered. */
  show?: () => unknown;
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
 * `request`, whose report steps would show the URL, query tokens included. The secrets of the
 * exchange are registered with the masker (helpers/mask.ts): the request's before it is sent, the
 * response's as soon as it arrives, before anyone can quote them.
 */
export async function sendRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  data: string | undefined,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): Promise<TransportResponse> {
  registerExchangeSecrets({ url, headers, ...(data !== undefined ? { body: data } : {}) });
  await takeRequestSlot(); // EMPORIX_MAX_RPS (helpers/rate-limit.ts): every attempt is one request
  const response = await transportFetch(
    url,
    {
      method,
      headers,
      ...(data !== undefined ? { body: data } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    },
    transportOptions(), // proxy, extra headers, CA file (helpers/transport-options.ts)
  );
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  // Several Set-Cookie headers are joined by a newline (as Playwright did), not a comma.
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) responseHeaders['set-cookie'] = cookies.join('\n');
  const text = await response.text();
  registerExchangeSecrets({ headers: responseHeaders, body: text });
  return { status: response.status, headers: responseHeaders, text };
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
    private readonly config: Config,
    /** The current test; when absent (worker fixtures) it is looked up at call time, if there is one. */
    private readonly testInfo?: TestInfo,
    /** Who is told of each exchange, in order, before its verdict is thrown. */
    private readonly observers: readonly ExchangeObserver[] = DEFAULT_OBSERVERS,
  ) {
    observeFindings();
  }

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

    // The request's secrets are registered as soon as it is built, before anything quotes them (a
    // validation message, the URL with a token in a path segment such as the opt-in {token}); the
    // transport registers the request again (nothing new) and the response.
    registerExchangeSecrets({
      url,
      headers,
      pathParams: params,
      ...(prepared.data !== undefined ? { body: prepared.data } : {}),
    });
    const sent = options.rawBody === undefined ? (options.form ?? options.body) : undefined;
    if (sent !== undefined && !options.skipRequestValidation) ensureRequestValid(op, sent);
    const shownUrl = maskUrl(url);
    const started = Date.now();
    let transport: TransportResponse | undefined;
    let transportError: unknown;
    try {
      transport = await withRetry(
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
    const requestShown = {
      method: op.method,
      url: shownUrl,
      headers: maskHeaders(headers),
      body: prepared.show?.(),
    };
    const base = { config: this.config, op, testInfo, bySpec, durationMs, options };

    if (!transport) {
      const cause = maskText(describeTransportError(transportError, this.config.requestTimeoutMs));
      const message = `${op.method} ${shownUrl} → no response (${op.id}): ${cause}`;
      await this.tell({
        ...base,
        response: null,
        transportError: cause,
        checked: { failing: [], warned: [], outcome: NO_OUTCOME },
        problems: [cause],
      });
      const fail = async (): Promise<never> => {
        await testInfo?.attach(`${op.id} → no response`, {
          body: JSON.stringify({ request: requestShown, error: cause }, null, 2),
          contentType: 'application/json',
        });
        throw new Error(message);
      };
      if (!testInfo) return await fail();
      // Called here, directly, so the boxed step's failure points at the caller's line (a spec or a fixture).
      return await test.step(`${operationLabel(op)} → no response`, fail, { box: true });
    }

    const { status, headers: responseHeaders, text } = transport;
    const contentType = responseHeaders['content-type'] ?? '';
    const { body, parseProblem } = parseBody(text);
    const result: ApiResponse = {
      operation: op,
      status,
      headers: responseHeaders,
      body,
      text,
      url: shownUrl,
    };

    // The pipeline: the response checks find, the profile weighs, the baseline may expect the failure.
    const { findings, advisories, outcome } = checkResponse(op, result, parseProblem);
    const { failing, warned } = classify(findings);
    warn([...warned, ...advisories]);
    const deviation = this.deviationFor(testInfo, op, status, failing);
    const problems = failing.map(formatFinding);
    await this.tell({
      ...base,
      response: result,
      checked: { failing, warned: [...warned, ...advisories], outcome },
      problems,
      ...(deviation ? { deviation } : {}),
    });

    const verdict = async (): Promise<ApiResponse> => {
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
      const error = failure(failing);
      if (!error) return result;
      if (deviation && !deviation.match.expired) {
        throw new Error(await this.settleDeviation(testInfo, deviation, error.message));
      }
      if (deviation) error.message += `\n\n${formatExpiredDeviation(deviation.baseline, deviation.match)}`;
      throw error;
    };
    if (!testInfo) return await verdict();
    // Called here, directly, so the boxed step's failure points at the caller's line (a spec or a fixture).
    return await test.step(`${operationLabel(op)} → ${status}`, verdict, { box: true });
  }

  /** Tells every observer of the exchange, in order. */
  private async tell(exchange: ObservedExchange): Promise<void> {
    for (const observer of this.observers) await observer(exchange);
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
    const raw = options.rawBody;
    if (raw !== undefined) {
      const contentType = options.contentType ?? op.requestContentType ?? 'application/json';
      return { data: raw, contentType, show: () => maskBodyText(raw, contentType) };
    }
    // The body is checked against the request schema once its secrets are registered (in `call`).
    if (options.form !== undefined) {
      return {
        data: new URLSearchParams(options.form).toString(),
        contentType: options.contentType ?? 'application/x-www-form-urlencoded',
        show: () => maskJson(options.form),
      };
    }
    if (options.body !== undefined) {
      return {
        data: JSON.stringify(options.body),
        contentType: options.contentType ?? op.requestContentType ?? 'application/json',
        show: () => maskJson(options.body),
      };
    }
    return options.contentType ? { contentType: options.contentType } : {};
  }

  private currentTestInfo(): TestInfo | undefined {
    return this.testInfo ?? currentTest();
  }

  /** The baseline entry describing this exchange's failing findings, if the run has a baseline and one does. */
  private deviationFor(
    testInfo: TestInfo | undefined,
    op: OperationInfo,
    status: number,
    failing: readonly Finding[],
  ): FoundDeviation | undefined {
    if (!testInfo || failing.length === 0) return undefined;
    const baseline = loadBaseline(this.config.tenant);
    const match = matchDeviation(baseline, {
      operationId: op.id,
      status,
      findings: failing,
      test: testTitle(testInfo),
    });
    return baseline && match ? { baseline, match } : undefined;
  }

  /**
   * A current baseline entry describes the exchange: the test is marked as expected to fail (it
   * passes as an expected failure) and stops here, with a message naming the entry. Returns the
   * message to throw.
   */
  private async settleDeviation(
    testInfo: TestInfo | undefined,
    deviation: FoundDeviation,
    what: string,
  ): Promise<string> {
    const { baseline, match } = deviation;
    const message = formatExpectedDeviation(baseline, match, what);
    if (!testInfo) return message;
    testInfo.annotations.push({ type: 'expected-deviation', description: `${baseline.file} ${match.label}` });
    await applyLabels(deviationLabel(testInfo, match.label));
    testInfo.fail(true, `expected deviation: ${baseline.file} ${match.label}`);
    return message;
  }
}

/** The suite must not send a body the contract refuses unless a negative test says so. */
function ensureRequestValid(op: OperationInfo, body: unknown): void {
  if (!op.requestSchema) return;
  const req = REQUEST_SCHEMA[operationSource(op)];
  const schemaId = op.requestSchema;
  const result = validateSchema(schemaId, body);
  // The suite holds its own bodies to the project's reading too: the reference's rules and those beyond it.
  const issues = [...result.errors, ...result.beyond];
  const findings =
    issues.length === 0
      ? check(req, true, () => ({ expected: '', received: '' }))
      : issues.flatMap((issue) =>
          check(req, false, () => {
            const parts = schemaIssueParts(issue);
            return {
              operation: `${operationLabel(op)} request`,
              ...parts,
              hint:
                `${parts.hint ? `${parts.hint}; ` : ''}the suite built this body (schema ${schemaId}): ` +
                'fix the test data, or pass skipRequestValidation: true in a negative test',
            };
          }),
        );
  // The suite's own mistake: it fails in every profile.
  const error = failure(findings);
  if (error) throw error;
}

function parseBody(text: string): { body: unknown; parseProblem?: string } {
  if (text.trim() === '') return { body: undefined };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (error) {
    return { body: undefined, parseProblem: firstLine(error) };
  }
}

interface FoundDeviation {
  baseline: { file: string };
  match: DeviationMatch;
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

// ---------------------------------------------------------------------------------------------------
// The response checks: one small function per requirement, run in order by `checkResponse`.

/** What the checks learnt about a response, kept in the exchange record. */
export type ResponseOutcome = Pick<ExchangeRecord, 'documented' | 'schemaId' | 'valid' | 'undocumented'>;

const NO_OUTCOME: ResponseOutcome = { documented: false, schemaId: null, valid: null, undocumented: [] };

/** One response under check, and what the checks before have learnt. */
export interface ResponseUnderCheck {
  readonly op: OperationInfo;
  readonly response: ApiResponse;
  /** Why the body did not parse as JSON, when it did not. */
  readonly parseProblem?: string;
  readonly outcome: ResponseOutcome;
  /** Set by a check after which the others have nothing to say (an undocumented status). */
  stop: boolean;
}

/** A check of the pipeline: the findings of one requirement on one response. */
export interface ResponseCheck {
  readonly name: string;
  readonly run: (x: ResponseUnderCheck) => Finding[];
}

const hasBody = (x: ResponseUnderCheck): boolean => x.response.text.trim() !== '';
const label = (x: ResponseUnderCheck): string => `${operationLabel(x.op)} → ${x.response.status}`;

/** R/TM/O: the status is one the operation documents; no other check speaks after an undocumented one. */
export function checkStatusDocumented(x: ResponseUnderCheck): Finding[] {
  const { op, response } = x;
  // Contract versions (docs/contract-versions.md): an operation the selected contract does not
  // document may be unknown to the target; its 404/405 is "not served", not an undocumented status.
  if (notServedStatuses(op.id).includes(response.status)) {
    x.stop = true;
    return [];
  }
  const documented = documentedStatuses(op.id);
  const holds = documented.includes(response.status);
  x.outcome.documented = holds;
  x.stop = !holds;
  return check(STATUS_DOCUMENTED[operationSource(op)], holds, () => ({
    operation: `${operationLabel(op)} (${op.id})`,
    field: 'status',
    expected: `one of ${documented.join(', ')}`,
    received: `${response.status}; body: ${bodyPreview(response.text, response.headers['content-type'])}`,
    ...(op.laterRemoved && (response.status === 404 || response.status === 405)
      ? { hint: `later vendor documents drop this operation: ${op.laterRemoved}` }
      : {}),
  }));
}

/** R/TM/O: a body comes as application/json. */
function checkContentTypeJson(x: ResponseUnderCheck): Finding[] {
  if (!hasBody(x)) return [];
  const contentType = x.response.headers['content-type'] ?? '';
  return check(CONTENT_TYPE_JSON[operationSource(x.op)], JSON_CONTENT_TYPE.test(contentType), () => ({
    operation: label(x),
    field: 'Content-Type',
    expected: 'application/json',
    received: contentType === '' ? '(none)' : `"${contentType}"`,
  }));
}

/** R/TM/O: a body parses as JSON. */
function checkBodyJson(x: ResponseUnderCheck): Finding[] {
  if (!hasBody(x)) return [];
  return check(BODY_JSON[operationSource(x.op)], x.parseProblem === undefined, () => ({
    operation: label(x),
    field: '(body)',
    expected: 'a JSON document',
    received: bodyPreview(x.response.text, x.response.headers['content-type']),
    hint: x.parseProblem ?? '',
  }));
}

/**
 * R/TM/O (B for a status the project added, or a body the reference does not document for the
 * status): a status that documents a body has one, matching its schema.
 */
function checkBodySchema(x: ResponseUnderCheck): Finding[] {
  const { op, response } = x;
  const schemaId = op.responses[response.status] ?? null;
  x.outcome.schemaId = schemaId;
  if (schemaId === null) return [];
  const req =
    op.addedStatuses.includes(response.status) || op.addedBodies.includes(response.status)
      ? ADDED_STATUS_BODY_SCHEMA
      : BODY_SCHEMA[operationSource(op)];
  if (!hasBody(x) || x.parseProblem !== undefined) {
    x.outcome.valid = false;
    return hasBody(x)
      ? [] // The JSON check has said it.
      : check(req, false, () => ({
          operation: label(x),
          field: '(body)',
          expected: `a body (schema ${schemaId})`,
          received: 'none',
        }));
  }
  const result = validateSchema(schemaId, response.body);
  x.outcome.valid = result.valid;
  x.outcome.undocumented = result.undocumented;
  const reference = result.valid
    ? check(req, true, () => ({ expected: '', received: '' }))
    : result.errors.flatMap((issue) =>
        check(req, false, () => ({ operation: label(x), ...schemaIssueParts(issue) })),
      );
  // Only what the reference leaves open: a value the reference already refuses is its finding.
  const beyond =
    result.beyond.length === 0
      ? check(BODY_SCHEMA_BEYOND_REFERENCE, true, () => ({ expected: '', received: '' }))
      : result.beyond.flatMap((issue) =>
          check(BODY_SCHEMA_BEYOND_REFERENCE, false, () => ({
            operation: label(x),
            ...schemaIssueParts(issue),
          })),
        );
  return [...reference, ...beyond];
}

/** Advisory: the body holds only fields the schema lists. */
function checkFieldsListed(x: ResponseUnderCheck): Finding[] {
  if (x.outcome.valid === null) return [];
  const extra = x.outcome.undocumented;
  return check(FIELDS_LISTED[operationSource(x.op)], extra.length === 0, () => ({
    operation: label(x),
    field: extra.join(', '),
    expected: 'only fields the documentation lists',
    received: `${extra.length} field${extra.length === 1 ? '' : 's'} it does not list`,
  }));
}

/** Advisory: a status documented without a body answers without one. */
function checkNoBodyDocumented(x: ResponseUnderCheck): Finding[] {
  if (x.outcome.schemaId !== null) return [];
  return check(NO_BODY_DOCUMENTED[operationSource(x.op)], !hasBody(x), () => ({
    operation: label(x),
    field: '(body)',
    expected: 'no body (the status documents none)',
    received: bodyPreview(x.response.text, x.response.headers['content-type']),
  }));
}

/** The client's checks, in the order they run. */
export const RESPONSE_CHECKS: readonly ResponseCheck[] = [
  { name: 'status documented', run: checkStatusDocumented },
  { name: 'JSON content type', run: checkContentTypeJson },
  { name: 'JSON body', run: checkBodyJson },
  { name: 'body schema', run: checkBodySchema },
  { name: 'fields listed', run: checkFieldsListed },
  { name: 'no body where none is documented', run: checkNoBodyDocumented },
];

export interface CheckedResponse {
  /** Findings the profile weighs. */
  findings: Finding[];
  /** Findings of advisory requirements: always warnings. */
  advisories: Finding[];
  outcome: ResponseOutcome;
}

/** Runs the pipeline on one response. */
export function checkResponse(
  op: OperationInfo,
  response: ApiResponse,
  parseProblem?: string,
  checks: readonly ResponseCheck[] = RESPONSE_CHECKS,
): CheckedResponse {
  const x: ResponseUnderCheck = {
    op,
    response,
    ...(parseProblem !== undefined ? { parseProblem } : {}),
    outcome: { documented: true, schemaId: null, valid: null, undocumented: [] },
    stop: false,
  };
  const findings: Finding[] = [];
  const advisories: Finding[] = [];
  for (const c of checks) {
    for (const f of c.run(x)) (requirementOf(f.code)?.advisory ? advisories : findings).push(f);
    if (x.stop) break;
  }
  return { findings, advisories, outcome: x.outcome };
}

// ---------------------------------------------------------------------------------------------------
// The observers of an exchange: told after the checks, before the verdict is thrown.

/** An exchange as its observers see it. */
export interface ObservedExchange {
  readonly config: Config;
  readonly op: OperationInfo;
  readonly options: CallOptions;
  readonly testInfo: TestInfo | undefined;
  /** Whether the spec's own body made the call, or a fixture's set-up. */
  readonly bySpec: boolean;
  /** null when no response arrived. */
  readonly response: ApiResponse | null;
  /** Why no response arrived (masked). */
  readonly transportError?: string;
  readonly durationMs: number;
  readonly checked: { failing: readonly Finding[]; warned: readonly Finding[]; outcome: ResponseOutcome };
  /** The failing findings (or the transport error), one line each, masked. */
  readonly problems: readonly string[];
  readonly deviation?: FoundDeviation;
}

export type ExchangeObserver = (exchange: ObservedExchange) => void | Promise<void>;

/** The cleanup ledger: a created customer is noted before any check can fail the test. */
const ledgerObserver: ExchangeObserver = ({ config, op, options, response, testInfo }) => {
  if (!response) return;
  recordFromExchange(config, {
    operationId: op.id,
    path: options.path,
    requestBody: options.body,
    status: response.status,
    responseBody: response.body,
    by: testInfo ? testTitle(testInfo) : 'outside a test',
  });
};

/** The exchange records (reports/records), read by the coverage and conformance reports. */
const recordObserver: ExchangeObserver = (x) => {
  const { testInfo, op, deviation } = x;
  const record: Exchange = {
    kind: 'exchange',
    operationId: op.id,
    method: op.method,
    path: op.path,
    status: x.response?.status ?? null,
    ...x.checked.outcome,
    problems: [...x.problems],
    findings: [
      ...x.checked.failing.map((f) => recordedFinding(f, 'fail')),
      ...x.checked.warned.map((f) => recordedFinding(f, 'warn')),
    ],
    durationMs: x.durationMs,
    test: testInfo ? testTitle(testInfo) : '(outside a test)',
    file: testInfo ? relative(PROJECT_ROOT, testInfo.file) : '',
    project: testInfo?.project.name ?? '',
    at: new Date().toISOString(),
    // Whether the spec's own body made the call, or a fixture's set-up (reports count tests by it).
    calledBy: x.bySpec ? 'spec' : 'fixture',
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
};

function recordedFinding(f: Finding, severity: 'fail' | 'warn'): RecordedFinding {
  return { code: f.code, severity, ...(f.field ? { field: f.field } : {}) };
}

/** Allure: epic, feature and story of the operation, and a label per warning code. */
const allureObserver: ExchangeObserver = async ({ testInfo, op, bySpec }) => {
  if (!testInfo) return;
  await applyLabels(labelsForExchange(testInfo, op, bySpec));
  await labelWarnings(testInfo);
};

export const DEFAULT_OBSERVERS: readonly ExchangeObserver[] = [
  ledgerObserver,
  recordObserver,
  allureObserver,
];

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
