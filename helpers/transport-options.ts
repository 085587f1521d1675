// How requests reach a target behind the things a company network puts in front of it: an HTTP(S)
// proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, also in lowercase), headers a gateway wants on every
// request (EMPORIX_EXTRA_HEADERS, e.g. `X-Gateway-Key: abc; X-Other: v`), and a certificate
// authority to trust for a target with a private or self-signed certificate (EMPORIX_CA_FILE, a PEM
// file; NODE_EXTRA_CA_CERTS, read by Node at start-up, works as well).
//
// `loadTransportOptions` parses and checks them (one line per problem, naming the variable), and
// `transportFetch` sends a request with them: Node's own fetch when nothing needs a dispatcher,
// otherwise undici's fetch with an EnvHttpProxyAgent (proxy and NO_PROXY rules) or an Agent (CA only).
// Extra header values are registered as secrets, so every masked report shows a fingerprint instead.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { parse } from 'dotenv';
import { DEFAULT_ENV_FILE } from './config.ts';
import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { registerSecrets } from './mask.ts';

export type Env = Record<string, string | undefined>;

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export interface TransportOptions {
  /** Sent with every request; a request's own header of the same name wins. */
  extraHeaders: Readonly<Record<string, string>>;
  /** Present when HTTP_PROXY or HTTPS_PROXY is set. */
  proxy?: ProxySettings;
  /** The PEM file of EMPORIX_CA_FILE, and its certificates. */
  ca?: { file: string; pem: string };
}

/** The environment over the project's `.env`, as helpers/config.ts reads its settings. */
export function settingsEnv(file: string = DEFAULT_ENV_FILE): Env {
  let fromFile: Env = {};
  try {
    fromFile = parse(readFileSync(file, 'utf8'));
  } catch {
    // no .env
  }
  const own = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));
  return { ...fromFile, ...own };
}

/** Every problem of the transport settings, one line each. */
export class TransportOptionsError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid transport settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TransportOptionsError';
    this.problems = problems;
  }
}

/** RFC 9110 §5.1: a header name is a token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the client sets itself, or that the transport owns. */
const RESERVED = [
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'authorization',
];

/** Parses `Name: value; Name2: value2` (a `;` inside a value is written `\;`). Problems go to `problems`. */
export function parseExtraHeaders(raw: string, problems: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const parts = raw.split(/(?<!\\);/).map((p) => p.replace(/\\;/g, ';').trim());
  for (const part of parts) {
    if (part === '') continue;
    const colon = part.indexOf(':');
    const name = colon < 0 ? part : part.slice(0, colon).trim();
    const value = colon < 0 ? '' : part.slice(colon + 1).trim();
    if (colon < 0 || !HEADER_NAME.test(name)) {
      problems.push(
        `EMPORIX_EXTRA_HEADERS part "${name}" is not "Name: value" with a valid header name (e.g. X-Gateway-Key: abc; X-Other: v)`,
      );
      continue;
    }
    if (RESERVED.includes(name.toLowerCase())) {
      problems.push(`EMPORIX_EXTRA_HEADERS may not set ${name}: the client sets it per request`);
      continue;
    }
    if (value === '' || /[\r\n\0]/.test(value)) {
      problems.push(`EMPORIX_EXTRA_HEADERS value of ${name} is empty or holds a line break`);
      continue;
    }
    if (Object.keys(headers).some((n) => n.toLowerCase() === name.toLowerCase())) {
      problems.push(`EMPORIX_EXTRA_HEADERS names ${name} twice`);
      continue;
    }
    headers[name] = value;
  }
  return headers;
}

function proxyUrl(name: string, raw: string, problems: string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name}="${raw}" is not a URL: expected e.g. http://proxy.example.com:3128`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name}="${raw}" must be an http:// or https:// proxy URL`);
    return undefined;
  }
  return raw;
}

/** Reads and checks the transport settings; throws a TransportOptionsError naming every problem. */
export function loadTransportOptions(env: Env = settingsEnv()): TransportOptions {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = (env[name] ?? env[name.toLowerCase()])?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const rawHeaders = get('EMPORIX_EXTRA_HEADERS');
  const extraHeaders = rawHeaders === undefined ? {} : parseExtraHeaders(rawHeaders, problems);

  const rawHttps = get('HTTPS_PROXY');
  const rawHttp = get('HTTP_PROXY');
  const httpsProxy = rawHttps === undefined ? undefined : proxyUrl('HTTPS_PROXY', rawHttps, problems);
  const httpProxy = rawHttp === undefined ? undefined : proxyUrl('HTTP_PROXY', rawHttp, problems);
  const noProxy = get('NO_PROXY');
  const proxy: ProxySettings | undefined =
    httpsProxy !== undefined || httpProxy !== undefined
      ? {
          ...(httpProxy !== undefined ? { httpProxy } : {}),
          ...(httpsProxy !== undefined ? { httpsProxy } : {}),
          ...(noProxy !== undefined ? { noProxy } : {}),
        }
      : undefined;

  let ca: TransportOptions['ca'];
  const caFile = get('EMPORIX_CA_FILE');
  if (caFile !== undefined) {
    try {
      const pem = readFileSync(caFile, 'utf8');
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
        problems.push(`EMPORIX_CA_FILE="${caFile}" holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
      } else ca = { file: caFile, pem };
    } catch (error) {
      problems.push(
        `EMPORIX_CA_FILE="${caFile}" cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }

  if (problems.length > 0) throw new TransportOptionsError(problems);
  registerSecrets(Object.values(extraHeaders).map((value) => ({ value, cls: 'sec' as const })));
  return { extraHeaders, ...(proxy ? { proxy } : {}), ...(ca ? { ca } : {}) };
}

/** What a run summary says about the transport; values of extra headers are never shown. */
export function describeTransport(options: TransportOptions): string[] {
  const lines: string[] = [];
  const names = Object.keys(options.extraHeaders);
  if (names.length > 0) lines.push(`extra headers: ${names.join(', ')} (values masked)`);
  if (options.proxy) {
    const p = options.proxy;
    lines.push(
      `proxy: ${[
        p.httpsProxy ? `https via ${stripCredentials(p.httpsProxy)}` : '',
        p.httpProxy ? `http via ${stripCredentials(p.httpProxy)}` : '',
      ]
        .filter(Boolean)
        .join(', ')}${p.noProxy ? `, not for ${p.noProxy}` : ''}`,
    );
  }
  if (options.ca) lines.push(`trusted CA: ${options.ca.file} (beside the system's)`);
  return lines;
}

function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = '***';
      u.password = '';
    }
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

const dispatchers = new WeakMap<TransportOptions, Dispatcher | null>();

/** The undici dispatcher these options need, or undefined when Node's own fetch will do. */
export function dispatcherFor(options: TransportOptions): Dispatcher | undefined {
  const known = dispatchers.get(options);
  if (known !== undefined) return known ?? undefined;
  const connect = options.ca ? { ca: [...rootCertificates, options.ca.pem] } : undefined;
  let dispatcher: Dispatcher | null = null;
  if (options.proxy) {
    dispatcher = new EnvHttpProxyAgent({
      ...(options.proxy.httpProxy ? { httpProxy: options.proxy.httpProxy } : {}),
      ...(options.proxy.httpsProxy ? { httpsProxy: options.proxy.httpsProxy } : {}),
      ...(options.proxy.noProxy ? { noProxy: options.proxy.noProxy } : {}),
      ...(connect ? { connect, requestTls: connect } : {}),
    });
  } else if (connect) {
    dispatcher = new Agent({ connect });
  }
  dispatchers.set(options, dispatcher);
  return dispatcher ?? undefined;
}

/** The request's headers with the extra headers beneath them (the request's own win, case-insensitively). */
export function withExtraHeaders(
  headers: Record<string, string>,
  options: Pick<TransportOptions, 'extraHeaders'>,
): Record<string, string> {
  const own = new Set(Object.keys(headers).map((n) => n.toLowerCase()));
  const extra = Object.entries(options.extraHeaders).filter(([n]) => !own.has(n.toLowerCase()));
  return { ...Object.fromEntries(extra), ...headers };
}

/** A response as both fetches give it (Node's and undici's agree on this much). */
export interface TransportFetchResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
}

/**
 * `fetch` with the transport options applied: extra headers added, and when a proxy or CA needs a
 * dispatcher, undici's fetch with it (Node 20's bundled fetch does not take a dispatcher of undici 7).
 */
export async function transportFetch(
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    redirect?: 'manual';
    signal?: AbortSignal;
  },
  options: TransportOptions,
): Promise<TransportFetchResponse> {
  const headers = withExtraHeaders(init.headers, options);
  const dispatcher = dispatcherFor(options);
  if (dispatcher === undefined) return await fetch(url, { ...init, headers });
  // undici's own Headers class is not the global one; the fields used here are the same.
  return (await undiciFetch(url, { ...init, headers, dispatcher })) as unknown as TransportFetchResponse;
}

let cached: TransportOptions | undefined;

/** The process's transport options, read once from the environment (throws on bad settings). */
export function transportOptions(): TransportOptions {
  cached ??= loadTransportOptions();
  return cached;
}
