// Requests outside the operation catalog (an unknown route, a wrong method on a known path), which
// ApiClient.call cannot make because it only knows catalog operations. They go through the client's
// own transport (`sendRequest`: Node's fetch, whose URLs never appear in Playwright's report steps)
// and its retries of a gateway's 429/502/503/504, so a probe meets the target exactly as a catalog
// call does. The exchange is attached to the test masked exactly like ApiClient's (headers, URL and
// body through helpers/mask.ts), and the response is returned for the caller's checks; nothing here
// judges the answer.
import { test, type APIRequestContext } from '@playwright/test';
import { describeTransportError, REQUEST_TIMEOUT_MS, sendRequest } from './api-client.ts';
import type { Config } from './config.ts';
import { isIdempotent, withRetry } from './retry.ts';
import { maskBodyText, maskHeaders, maskJson, maskText, maskUrl } from './mask.ts';

export interface RawRequest {
  method: string;
  /** Path from the API origin, already filled (e.g. `/customer/mocktenant/no-such-resource`). */
  path: string;
  headers?: Record<string, string>;
  /** A body sent as-is. */
  body?: string;
}

export interface RawResponse {
  /** `PUT /customer/mocktenant/signup` — how messages name the request. */
  label: string;
  status: number;
  /** Response headers, names in lowercase. */
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body; undefined when empty or not JSON. */
  body: unknown;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Sends one request outside the catalog and attaches the masked exchange to the current test. */
export async function rawRequest(
  /** Not used: kept so that existing `rawRequest(request, config, ...)` calls compile; pass null. */
  _request: APIRequestContext | null,
  config: Pick<Config, 'baseUrl'> & Partial<Pick<Config, 'requestTimeoutMs' | 'maxRetries'>>,
  req: RawRequest,
): Promise<RawResponse> {
  const url = `${config.baseUrl}${req.path}`;
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  const label = `${req.method} ${maskUrl(req.path)}`;
  return await test.step(
    `${label} (outside the catalog)`,
    async () => {
      const started = Date.now();
      const timeoutMs = config.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
      const response = await withRetry(() => sendRequest(url, req.method, headers, req.body, timeoutMs), {
        idempotent: isIdempotent(req.method),
        maxRetries: config.maxRetries ?? 0,
        onRetry: (event) =>
          test.info().annotations.push({
            type: 'retry',
            description: `${label} → ${event.status ?? event.error}; retry ${event.attempt} after ${event.delayMs} ms (${event.basis})`,
          }),
      }).catch((error: unknown) => {
        throw new Error(`${label} → no response: ${maskText(describeTransportError(error, timeoutMs))}`);
      });
      const { status, headers: responseHeaders, text } = response;
      const body = parseJson(text);
      await test.info().attach(`${label} → ${status}`, {
        body: JSON.stringify(
          {
            request: {
              method: req.method,
              url: maskUrl(url),
              headers: maskHeaders(headers),
              body:
                req.body === undefined ? undefined : maskBodyText(req.body, headers['Content-Type'] ?? ''),
            },
            response: {
              status,
              headers: maskHeaders(responseHeaders),
              body: body !== undefined ? maskJson(body) : maskBodyText(text, responseHeaders['content-type']),
            },
            durationMs: Date.now() - started,
          },
          null,
          2,
        ),
        contentType: 'application/json',
      });
      return { label, status, headers: responseHeaders, text, body };
    },
    { box: true },
  );
}
