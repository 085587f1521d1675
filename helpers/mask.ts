// Masking of secrets in everything the suite writes down (attachments, failure messages, records).
// Each secret becomes a short stable fingerprint (`tok#a1b2`, the sha256 prefix of the value), so
// a token seen in a login response can still be followed into the next request without being shown.
//
// Two steps, kept apart:
// - Registration (`registerSecrets`, `registerExchangeSecrets`) says which values are secret. The
//   transport (`sendRequest` in helpers/api-client.ts) registers every exchange: the request as soon
//   as it is built (query, headers, path parameters whose names carry secrets, form and JSON bodies),
//   the response when it arrives (headers, body); helpers/config.ts registers the configured
//   credentials when it loads them. Registration notes each new secret once for the redaction check.
// - Masking (`maskText`, `maskJson`, `maskHeaders`, `maskUrl`, `maskFormString`, `maskBodyText`,
//   `fingerprint`) only computes: it never registers and never writes a file, so its result does not
//   depend on what was masked before. A field, header or query parameter whose name carries a secret
//   is masked by its name; any other text only where it holds a registered secret. A secret that no
//   registration saw stays in free text as it is.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type SecretClass = 'tok' | 'pwd' | 'sec';

/** Normalised names (lowercase, no `_` or `-`) of fields, headers and query parameters that carry secrets. */
const SECRET_NAMES: ReadonlyMap<string, SecretClass> = new Map<string, SecretClass>([
  ['accesstoken', 'tok'],
  ['refreshtoken', 'tok'],
  ['saastoken', 'tok'],
  ['socialaccesstoken', 'tok'],
  ['socialidtoken', 'tok'],
  ['idtoken', 'tok'],
  ['anonymoustoken', 'tok'],
  ['token', 'tok'],
  ['code', 'tok'],
  ['codeverifier', 'tok'],
  ['authorization', 'tok'],
  ['cookie', 'tok'],
  ['setcookie', 'tok'],
  ['password', 'pwd'],
  ['currentpassword', 'pwd'],
  ['newpassword', 'pwd'],
  ['clientsecret', 'sec'],
]);

/** The registered secrets (value → fingerprint): free text such as error messages is cleaned of them. */
const registered = new Map<string, string>();
/** The registered values, longest first (so a secret containing another is replaced whole); rebuilt on change. */
let longestFirst: string[] | undefined;
/** Values shorter than this are masked where their name says so, but not registered for free text. */
const MIN_REGISTERED_LENGTH = 6;

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** The class of secret a field, header or parameter name carries, or undefined when it carries none. */
export function secretClassOf(name: string): SecretClass | undefined {
  const key = normalise(name);
  const known = SECRET_NAMES.get(key);
  if (known) return known;
  if (key.endsWith('token')) return 'tok';
  if (key.endsWith('password')) return 'pwd';
  if (key.endsWith('secret')) return 'sec';
  return undefined;
}

/**
 * Where each process notes the secrets it registered, for the redaction check run after the suite
 * (scripts/check-redaction.ts). Never the secret itself: its length, its first characters and its
 * sha256, for each form it may take in a report (as is, URI-encoded, form-encoded, JSON-escaped).
 */
export const SECRETS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'reports', '.secrets');
/** How many leading characters of a secret the note keeps: enough to find candidates quickly. */
export const SECRET_PREFIX_CHARS = 4;

/** One form of a registered secret, as noted for the redaction check. */
export interface SecretNote {
  cls: SecretClass;
  length: number;
  prefix: string;
  sha256: string;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** The notes for one secret: one per distinct form it may take in a file. */
export function secretNotes(value: string, cls: SecretClass): SecretNote[] {
  const forms = new Set([
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
  ]);
  return [...forms].map((form) => ({
    cls,
    length: form.length,
    prefix: form.slice(0, SECRET_PREFIX_CHARS),
    sha256: sha256(form),
  }));
}

/** This process's notes: one file per process, so parallel workers never write into the same file. */
const secretsFile = join(SECRETS_DIR, `${process.pid}.jsonl`);

/** Notes one newly registered secret for the redaction check (every form of it, one line each). */
function noteSecret(value: string, cls: SecretClass): void {
  const lines = `${secretNotes(value, cls)
    .map((note) => JSON.stringify(note))
    .join('\n')}\n`;
  try {
    // The folder is made again when it is gone (a redaction check of an earlier run deletes it).
    mkdirSync(SECRETS_DIR, { recursive: true });
    appendFileSync(secretsFile, lines, 'utf8');
  } catch {
    // The note only serves the redaction check; registering must never fail because of it.
  }
}

/** A short stable fingerprint of a secret: `tok#` + the first 4 hex digits of its sha256. Pure. */
export function fingerprint(value: string, cls: SecretClass = 'tok'): string {
  return `${cls}#${sha256(value).slice(0, 4)}`;
}

/** A secret value and its class, as registrations take it. */
export interface Secret {
  value: string;
  cls: SecretClass;
}

/**
 * Registers secrets: from now on `maskText` (and every masking function, for text it masks by what
 * is registered) replaces them with their fingerprints. A secret is noted for the redaction check
 * the first time it is registered, never again. Values shorter than 6 characters are left out: they
 * would turn up inside ordinary words.
 */
export function registerSecrets(secrets: Iterable<Secret>): void {
  for (const { value, cls } of secrets) {
    if (value.length < MIN_REGISTERED_LENGTH || registered.has(value)) continue;
    registered.set(value, fingerprint(value, cls));
    longestFirst = undefined;
    noteSecret(value, cls);
  }
}

/** How many secrets this process has registered (for the suite's own tests). */
export function registeredSecretCount(): number {
  return registered.size;
}

/** One side of an exchange, as the transport has it. */
interface ExchangeSide {
  /** The URL requested: its query parameters whose names carry secrets. */
  url?: string;
  /** Request or response headers: those whose names carry secrets (Authorization, Cookie, ...). */
  headers?: Readonly<Record<string, string>>;
  /** Path parameters: those whose names carry secrets (e.g. an opt-in `{token}`). */
  pathParams?: Readonly<Record<string, string>>;
  /** The body as sent or received: JSON fields and form parameters whose names carry secrets. */
  body?: string;
}

/**
 * The secrets one side of an exchange carries, by the names of its fields, headers and parameters
 * (`secretClassOf`): exactly the values the masking functions would replace by name.
 */
function exchangeSecrets(side: ExchangeSide): Secret[] {
  const found: Secret[] = [];
  for (const [name, value] of Object.entries(side.headers ?? {})) pushNamed(found, name, value);
  for (const [name, value] of Object.entries(side.pathParams ?? {})) pushNamed(found, name, value);
  if (side.url !== undefined) {
    const q = side.url.indexOf('?');
    if (q >= 0) {
      const hashAt = side.url.indexOf('#', q);
      found.push(...formSecrets(side.url.slice(q + 1, hashAt < 0 ? undefined : hashAt)));
    }
  }
  if (side.body !== undefined && side.body !== '') {
    const contentType = Object.entries(side.headers ?? {}).find(
      ([k]) => k.toLowerCase() === 'content-type',
    )?.[1];
    found.push(...bodySecrets(side.body, contentType ?? ''));
  }
  return found;
}

/** Registers the secrets one side of an exchange carries (`exchangeSecrets`). */
export function registerExchangeSecrets(side: ExchangeSide): void {
  registerSecrets(exchangeSecrets(side));
}

/** The secrets of a JSON value, at any depth: the string values of fields whose names carry secrets. */
export function jsonSecrets(value: unknown): Secret[] {
  const found: Secret[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, field] of Object.entries(v as Record<string, unknown>)) {
        if (typeof field === 'string') pushNamed(found, k, field);
        else walk(field);
      }
    }
  };
  walk(value);
  return found;
}

/** The secrets of a form-encoded body or query string. */
function formSecrets(text: string): Secret[] {
  const found: Secret[] = [];
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (eq >= 0) pushNamed(found, decodeSafely(pair.slice(0, eq)), decodeSafely(pair.slice(eq + 1)));
  }
  return found;
}

/** A body that looks form-encoded (`a=1&b=2`), whatever its declared content type. */
const FORM_LIKE = /^[^=&\s]+=[^&\s]*(?:&[^=&\s]+=[^&\s]*)*$/;

/** The secrets of a body given as text: JSON by field, form-encoded by parameter. */
function bodySecrets(text: string, contentType: string): Secret[] {
  try {
    return jsonSecrets(JSON.parse(text));
  } catch {
    // Not JSON: form-encoded, or text that names no secret.
  }
  return /x-www-form-urlencoded/i.test(contentType) || FORM_LIKE.test(text.trim()) ? formSecrets(text) : [];
}

/** Adds the secret a named value carries, as `maskValue` would mask it. */
function pushNamed(found: Secret[], name: string, value: string): void {
  const secret = secretOf(name, value);
  if (secret) found.push(secret);
}

/** The secret a named value carries (Authorization's credentials without their scheme), if any. */
function secretOf(name: string, value: string): Secret | undefined {
  const cls = secretClassOf(name);
  if (cls === undefined || value === '') return undefined;
  // A scheme with no credentials after it (a negative test's malformed header) carries no secret.
  if (/^(Bearer|Basic)\s*$/i.test(value)) return undefined;
  const scheme = /^(Bearer|Basic)\s+(.+)$/i.exec(value);
  return { value: scheme?.[2] ?? value, cls };
}

function maskValue(name: string, value: string): string {
  const secret = secretOf(name, value);
  if (!secret) return value;
  const scheme = /^(Bearer|Basic)\s+/i.exec(value)?.[1];
  return scheme
    ? `${scheme} ${fingerprint(secret.value, secret.cls)}`
    : fingerprint(secret.value, secret.cls);
}

/** Replaces every registered secret in free text with its fingerprint; anything else stays as it is. */
export function maskText(text: string): string {
  let out = text;
  longestFirst ??= [...registered.keys()].sort((a, b) => b.length - a.length);
  for (const value of longestFirst) {
    if (out.includes(value)) out = out.split(value).join(registered.get(value) ?? 'tok#????');
  }
  return out;
}

/** Masks secret-carrying headers (Authorization keeps its scheme: `Bearer tok#a1b2`). */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, maskValue(k, v)]));
}

/** Masks secret-carrying query parameters of a URL; other text (e.g. path segments) by what is registered. */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return maskText(url);
  const hashAt = url.indexOf('#', q);
  const query = url.slice(q + 1, hashAt < 0 ? undefined : hashAt);
  const rest = hashAt < 0 ? '' : url.slice(hashAt);
  return `${maskText(url.slice(0, q))}?${maskFormString(query)}${rest}`;
}

/** Masks a form-encoded body or query string (`a=1&client_secret=...`). */
export function maskFormString(body: string): string {
  return body
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = decodeSafely(pair.slice(0, eq));
      const value = decodeSafely(pair.slice(eq + 1));
      const masked = maskValue(name, value);
      return masked === value ? pair : `${pair.slice(0, eq)}=${masked}`;
    })
    .join('&');
}

/** Masks secret-carrying fields of a JSON value, at any depth; non-string values are kept. */
export function maskJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        typeof v === 'string' ? (secretClassOf(k) ? maskValue(k, v) : maskText(v)) : maskJson(v),
      ]),
    );
  }
  return typeof value === 'string' ? maskText(value) : value;
}

/** Masks a body given as text: JSON by field, form-encoded by parameter, anything else by what is registered. */
export function maskBodyText(text: string, contentType = ''): string {
  if (text === '') return text;
  if (/json/i.test(contentType) || /^\s*[[{]/.test(text)) {
    try {
      return JSON.stringify(maskJson(JSON.parse(text)));
    } catch {
      // Not JSON after all (e.g. a deliberately malformed body): fall through.
    }
  }
  if (/x-www-form-urlencoded/i.test(contentType)) return maskFormString(text);
  return maskText(text);
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
