// Masking of secrets in everything the suite writes down (attachments, failure messages, records).
// Each secret becomes a short stable fingerprint (`tok#a1b2`, the sha256 prefix of the value), so
// a token seen in a login response can still be followed into the next request without being shown.
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

/** Secrets seen so far (value → fingerprint), so free text such as error messages can be cleaned too. */
const seen = new Map<string, string>();
/** Values shorter than this are masked where they stand but not searched for in free text. */
const MIN_REMEMBERED_LENGTH = 6;

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
 * Where each process notes the secrets it masked, for the redaction check run after the suite
 * (scripts/check-redaction.ts). Never the secret itself: its length, its first characters and its
 * sha256, for each form it may take in a report (as is, URI-encoded, form-encoded, JSON-escaped).
 */
export const SECRETS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'reports', '.secrets');
/** How many leading characters of a secret the note keeps: enough to find candidates quickly. */
export const SECRET_PREFIX_CHARS = 4;

/** One form of a masked secret, as noted for the redaction check. */
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

let secretsFile: string | undefined;

function noteSecret(value: string, cls: SecretClass): void {
  try {
    if (!secretsFile) {
      const dir = SECRETS_DIR;
      mkdirSync(dir, { recursive: true });
      secretsFile = join(dir, `${process.pid}.jsonl`);
    }
    const lines = secretNotes(value, cls).map((note) => JSON.stringify(note));
    appendFileSync(secretsFile, `${lines.join('\n')}\n`, 'utf8');
  } catch {
    // The note only serves the redaction check; masking itself must never fail because of it.
  }
}

/** A short stable fingerprint of a secret: `tok#` + the first 4 hex digits of its sha256. */
export function fingerprint(value: string, cls: SecretClass = 'tok'): string {
  const fp = `${cls}#${sha256(value).slice(0, 4)}`;
  if (value.length >= MIN_REMEMBERED_LENGTH) {
    if (!seen.has(value)) noteSecret(value, cls);
    seen.set(value, fp);
  }
  return fp;
}

/** Marks a value as secret without a field name to go by (e.g. a token in a path segment). */
export function rememberSecret(value: string, cls: SecretClass = 'tok'): string {
  return fingerprint(value, cls);
}

function maskValue(name: string, value: string): string {
  const cls = secretClassOf(name);
  if (cls === undefined || value === '') return value;
  // A scheme with no credentials after it (a negative test's malformed header) carries no secret.
  if (/^(Bearer|Basic)\s*$/i.test(value)) return value;
  const scheme = /^(Bearer|Basic)\s+(.+)$/i.exec(value);
  if (scheme?.[1] && scheme[2]) return `${scheme[1]} ${fingerprint(scheme[2], cls)}`;
  return fingerprint(value, cls);
}

/** Replaces every secret seen so far in free text with its fingerprint. */
export function maskText(text: string): string {
  let out = text;
  // Longest first, so a secret containing another is replaced whole.
  const values = [...seen.keys()].sort((a, b) => b.length - a.length);
  for (const value of values) {
    if (out.includes(value)) out = out.split(value).join(seen.get(value) ?? 'tok#????');
  }
  return out;
}

/** Masks secret-carrying headers (Authorization keeps its scheme: `Bearer tok#a1b2`). */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, maskValue(k, v)]));
}

/** Masks secret-carrying query parameters of a URL; other text (e.g. path segments) by what was seen. */
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

/** Masks a body given as text: JSON by field, form-encoded by parameter, anything else by what was seen. */
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
