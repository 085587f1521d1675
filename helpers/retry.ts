// Retries of requests a real tenant's gateway turns away for a moment: 429 (rate limited) and 502,
// 503, 504 (the gateway could not reach the service). Bounded in count and in total waiting time,
// honouring Retry-After (RFC 9110 §10.2.3: seconds or an HTTP date), exponential backoff with full
// jitter otherwise. The embedded mock never answers these, so against it nothing is retried.
//
// What is retried (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, PUT and DELETE are idempotent):
// - an idempotent request, after 429, 502, 503 or 504, or when the connection broke;
// - any other request (POST, PATCH) only after 429: a rate limit answers before the request is
//   processed, whereas after 502/503/504 the service may have acted, and repeating a signup or a
//   password change could act twice.

/** The statuses worth repeating a request for. */
export const RETRY_STATUSES: readonly number[] = [429, 502, 503, 504];

const IDEMPOTENT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];

/** Whether a method is idempotent per RFC 9110 §9.2.2. */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT_METHODS.includes(method.toUpperCase());
}

/** What withRetry needs of a response (ApiClient's TransportResponse has it): header names in lowercase. */
export interface RetryableResponse {
  status: number;
  headers: Record<string, string>;
}

export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  /** The status that caused the retry; undefined after a broken connection. */
  status?: number;
  /** The transport error that caused the retry. */
  error?: string;
  /** How long it waits before the retry. */
  delayMs: number;
  /** `Retry-After` or `backoff`. */
  basis: 'retry-after' | 'backoff';
}

export interface RetryOptions {
  /** Whether the request is idempotent (see isIdempotent). */
  idempotent: boolean;
  /** Retries after the first attempt (EMPORIX_MAX_RETRIES); 0 sends once. */
  maxRetries: number;
  /** Total waiting across all retries; a wait that would pass it is not made. Default 30 s. */
  maxTotalWaitMs?: number;
  /** First backoff step; doubles each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest single wait, also for Retry-After (a longer Retry-After ends the retries). Default 10 s. */
  maxDelayMs?: number;
  /** Told before each retry (annotate the test, log). */
  onRetry?: (event: RetryEvent) => void;
  /** Injected in unit tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** The wait a Retry-After header asks for, in ms (0 for a date in the past); undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date (IMF-fixdate, or the obsolete forms Date.parse also reads).
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Connection failures worth one more try on an idempotent request. */
const TRANSIENT_ERROR = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up/i;

/** The error's message with its cause's (fetch says "fetch failed", the cause says ECONNRESET). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: { message?: string; code?: string } }).cause;
  return [error.message, cause?.message, cause?.code].filter(Boolean).join(': ');
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` and repeats it while the answer is worth repeating (see the top of this file). Returns
 * the last response, so the caller reports the final status and body as usual.
 */
export async function withRetry<T extends RetryableResponse>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const maxTotalWaitMs = options.maxTotalWaitMs ?? 30_000;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  let waited = 0;

  for (let attempt = 0; ; attempt += 1) {
    let response: T | undefined;
    let error: unknown;
    try {
      response = await fn(attempt);
    } catch (e) {
      error = e;
    }
    const status = response?.status;
    const worthRetrying =
      response !== undefined
        ? status !== undefined && RETRY_STATUSES.includes(status) && (options.idempotent || status === 429)
        : options.idempotent && TRANSIENT_ERROR.test(describeError(error));
    if (!worthRetrying || attempt >= options.maxRetries) {
      if (response !== undefined) return response;
      throw error;
    }

    const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    const asked = parseRetryAfter(response?.headers['retry-after'], now());
    let delayMs: number;
    let basis: RetryEvent['basis'];
    if (asked !== undefined) {
      // The server said when; waiting longer than allowed means giving up now, not hammering it early.
      if (asked > maxDelayMs) return response as T;
      delayMs = asked;
      basis = 'retry-after';
    } else {
      delayMs = Math.round(random() * backoff); // full jitter
      basis = 'backoff';
    }
    if (waited + delayMs > maxTotalWaitMs) {
      if (response !== undefined) return response;
      throw error;
    }
    options.onRetry?.({
      attempt: attempt + 1,
      ...(status !== undefined ? { status } : { error: describeError(error) }),
      delayMs,
      basis,
    });
    await sleep(delayMs);
    waited += delayMs;
  }
}
