// Requests outside the operation catalog (an unknown route, a wrong method on a known path), which
// ApiClient.call cannot make because it only knows catalog operations. The exchange is attached to
// the test masked exactly like ApiClient's (headers, URL and body through helpers/mask.ts), and the
// response is returned for the caller's checks; nothing here judges the answer.
import { test, type APIRequestContext } from '@playwright/test';
import { REQUEST_TIMEOUT_MS } from './api-client.ts';
import type { Config } from './config.ts';
import { maskBodyText, maskHeaders, maskJson, maskUrl } from './mask.ts';

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
  request: APIRequestContext,
  config: Pick<Config, 'baseUrl'>,
  req: RawRequest,
): Promise<RawResponse> {
  const url = `${config.baseUrl}${req.path}`;
  const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
  const label = `${req.method} ${maskUrl(req.path)}`;
  return await test.step(
    `${label} (outside the catalog)`,
    async () => {
      const started = Date.now();
      const response = await request.fetch(url, {
        method: req.method,
        headers,
        ...(req.body !== undefined ? { data: req.body } : {}),
        timeout: REQUEST_TIMEOUT_MS,
        failOnStatusCode: false,
        maxRedirects: 0,
      });
      const text = await response.text();
      const responseHeaders = response.headers();
      const body = parseJson(text);
      await test.info().attach(`${label} → ${response.status()}`, {
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
              status: response.status(),
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
      return { label, status: response.status(), headers: responseHeaders, text, body };
    },
    { box: true },
  );
}
