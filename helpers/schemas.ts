// The suite's schema registry: every schema under schemas/, checked when this module loads and each
// compiled once, on first use. Exports plain functions; the custom matcher in fixtures/ builds on them.
//
// A constraint the vendor's reference does not state (a format, a pattern, a bound the project reads
// into a field) sits in the schemas under the marker `x-beyond-reference`, whose value is a subschema:
// `{ "type": "string", "x-beyond-reference": { "format": "email" } }`. Two Ajv instances (strict mode)
// read the same files: the reference instance treats the marker as an annotation, the strict instance
// expands it in place (an ajv macro keyword). A payload's reference errors are contract findings; the
// errors only the strict instance reports are the project's reading (docs/discrepancies.md).
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';

/** Base of every schema `$id`; a schema's id is this base plus its file name. */
export const schemaBaseUri = 'https://schemas.emporix-conformance.dev/';
/** Base of the "closed twins" used to find fields the documents do not describe. */
const closedBaseUri = `${schemaBaseUri}closed/`;

/** Every schema file under schemas/, by name without `.json`. The module refuses to load if the folder differs. */
export const schemaIds = [
  'address',
  'address-create',
  'address-list',
  'address-update',
  'anonymous-profile',
  'anonymous-token',
  'anonymous-token-deprecated-refresh',
  'assign-account',
  'common',
  'customer-profile',
  'customer-token',
  'email-change-confirm',
  'email-change-request',
  'employee-customer',
  'employee-customer-update',
  'error',
  'exchange-token',
  'external-idp-token',
  'external-idp-token-request',
  'fault',
  'idp-authorize',
  'idp-code',
  'login',
  'me-profile',
  'oauth-token-request',
  'optin-resend',
  'outbox',
  'password-change',
  'password-reset-request',
  'password-reset-update',
  'profile-update',
  'refreshed-customer-token',
  'resource-id',
  'service-token',
  'signup',
  'social-login-token',
  'validate-token',
] as const;

/** A schema's short name: its file name under schemas/ without `.json`. */
export type SchemaId = (typeof schemaIds)[number];

/** One reason a payload does not match its schema (ajv's error, trimmed to what a report needs). */
export interface SchemaIssue {
  /** JSON pointer of the offending value ('' for the whole body; for `required`, the object missing the field). */
  instancePath: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `format`, ...). */
  keyword: string;
  /** ajv's message, e.g. "must be integer". */
  message: string;
  /** ajv's keyword parameters, e.g. `{ missingProperty: 'sessionId' }`. */
  params: Record<string, unknown>;
  /** The value found at `instancePath`, when there is one. */
  received?: unknown;
}

/** Result of validating one payload. */
export interface SchemaCheck {
  /** True when the payload satisfies every rule of the schema. */
  valid: boolean;
  /** Why it does not (empty when valid). */
  errors: SchemaIssue[];
  /**
   * Constraints beyond the reference (`x-beyond-reference`) the payload breaks although it satisfies
   * everything the reference states at that place: the project's reading, not the vendor's contract.
   */
  beyond: SchemaIssue[];
  /** JSON pointers of fields present in the payload that the schema does not describe: warnings, never failures. */
  undocumented: string[];
}

// ajv-formats is CommonJS; under NodeNext its default import may be typed (and, in some loaders, be) the module
// object rather than the plugin function, so take `.default` when it is there.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const addFormats: FormatsPlugin =
  (addFormatsImport as unknown as { default?: FormatsPlugin }).default ??
  (addFormatsImport as unknown as FormatsPlugin);

/** The marker of a constraint beyond the vendor's reference: its value is a subschema. */
export const BEYOND_REFERENCE_KEYWORD = 'x-beyond-reference';

/**
 * One Ajv instance in strict mode. `applyBeyond` false: the marker is an annotation, the validator is
 * the reference's; true: the marker's subschema applies where it stands.
 */
function newAjv(applyBeyond: boolean): Ajv2020 {
  const instance = new Ajv2020({
    strict: true,
    // Union types are used on purpose: `lastLogin` (string or null) and the social-login lifetimes (string or integer).
    allowUnionTypes: true,
    allErrors: true,
    // Keeps the offending value on each error so a report can say what was received.
    verbose: true,
  });
  addFormats(instance);
  instance.addKeyword(
    applyBeyond
      ? {
          keyword: BEYOND_REFERENCE_KEYWORD,
          schemaType: 'object',
          // The subschema replaces the marker: its keywords validate the value the marker sits on.
          macro: (subschema: AnySchemaObject) => subschema,
          metaSchema: { type: 'object' },
        }
      : { keyword: BEYOND_REFERENCE_KEYWORD, schemaType: 'object', metaSchema: { type: 'object' } },
  );
  return instance;
}

/** The reference's reading: holds every schema and its closed twin. */
const ajv = newAjv(false);
/** The project's reading: the same schemas, the constraints beyond the reference applied. */
const strictAjv = newAjv(true);

const schemaDir = new URL('../schemas/', import.meta.url);

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadSchemaFiles(): Map<SchemaId, AnySchemaObject> {
  const files = readdirSync(schemaDir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const found = files.map((name) => name.slice(0, -'.json'.length));
  const expected = [...schemaIds].sort();
  const missing = expected.filter((id) => !found.includes(id));
  const extra = found.filter((id) => !(schemaIds as readonly string[]).includes(id));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `helpers/schemas.ts: schemas/ and schemaIds disagree. Missing files: [${missing.join(', ')}]; ` +
        `files not in schemaIds: [${extra.join(', ')}]`,
    );
  }
  const loaded = new Map<SchemaId, AnySchemaObject>();
  for (const name of files) {
    const parsed: unknown = JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8'));
    const expectedId = `${schemaBaseUri}${name}`;
    if (!isObject(parsed) || parsed.$id !== expectedId) {
      throw new Error(`schemas/${name}: "$id" must be "${expectedId}"`);
    }
    if (parsed.$schema !== 'https://json-schema.org/draft/2020-12/schema') {
      throw new Error(`schemas/${name}: "$schema" must name JSON Schema 2020-12`);
    }
    loaded.set(name.slice(0, -'.json'.length) as SchemaId, parsed as AnySchemaObject);
  }
  return loaded;
}

/** Keywords whose value is one subschema applying to a child value (a property, an item, ...). */
const subschemaKeywords = [
  'items',
  'additionalProperties',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
] as const;
/** Keywords whose value is a map of name → subschema. */
const subschemaMapKeywords = ['properties', 'patternProperties', 'dependentSchemas', '$defs'] as const;
/** Keywords whose value is a list of subschemas. */
const subschemaListKeywords = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

function declaresObject(node: JsonObject): boolean {
  const type = node.type;
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/**
 * Returns a copy of `node` in which every object schema refuses properties nobody evaluated
 * (`unevaluatedProperties: false`). Left open: schemas that already say what happens to other
 * properties (open maps such as `mixins`, closed request schemas) and the extension bases, the
 * `$defs` whose name ends in `Fields`, which are only ever used through `$ref` next to more properties.
 */
function closeSchema(node: unknown, isExtensionBase = false): unknown {
  if (Array.isArray(node)) return node.map((item) => closeSchema(item));
  if (!isObject(node)) return node;
  const copy: JsonObject = { ...node };
  for (const keyword of subschemaKeywords) {
    if (keyword in copy) copy[keyword] = closeSchema(copy[keyword]);
  }
  for (const keyword of subschemaMapKeywords) {
    const map = copy[keyword];
    if (isObject(map)) {
      copy[keyword] = Object.fromEntries(
        Object.entries(map).map(([name, sub]) => [
          name,
          closeSchema(sub, keyword === '$defs' && name.endsWith('Fields')),
        ]),
      );
    }
  }
  for (const keyword of subschemaListKeywords) {
    const list = copy[keyword];
    if (Array.isArray(list)) copy[keyword] = list.map((sub) => closeSchema(sub));
  }
  if (
    declaresObject(copy) &&
    !isExtensionBase &&
    !('additionalProperties' in copy) &&
    !('unevaluatedProperties' in copy)
  ) {
    copy.unevaluatedProperties = false;
  }
  return copy;
}

interface Compiled {
  validate: ValidateFunction;
  strict: ValidateFunction;
  closed: ValidateFunction;
}

/**
 * Registers every schema with both instances, and its closed twin with the reference one (each
 * checks it against the JSON Schema meta-schema), so a missing file, a wrong `$id` or a malformed
 * schema stops the module from loading. Compiling is left to the first use of each schema: a worker
 * process checks the few payloads its tests see, and compiling all the validators up front cost every
 * worker about 0.4 s of CPU (before the strict twins doubled the count). The offline test "every schema compiles" compiles each one, so a schema that does
 * not compile under strict mode still fails the run.
 */
function registerAll(): void {
  const files = loadSchemaFiles();
  for (const schema of files.values()) {
    ajv.addSchema(schema);
    strictAjv.addSchema(schema);
    // The twin sits under closed/, so the relative `$ref`s inside it resolve to the other twins.
    const twin = closeSchema(schema) as JsonObject;
    twin.$id = String(schema.$id).replace(schemaBaseUri, closedBaseUri);
    ajv.addSchema(twin as AnySchemaObject);
  }
}

registerAll();

/** Validators compiled so far, by schema id: each schema is compiled once, on first use. */
const compiledSchemas = new Map<SchemaId, Compiled>();

function compiledSchema(id: SchemaId): Compiled {
  let entry = compiledSchemas.get(id);
  if (!entry) {
    const validate = ajv.getSchema(`${schemaBaseUri}${id}.json`);
    const strict = strictAjv.getSchema(`${schemaBaseUri}${id}.json`);
    const closed = ajv.getSchema(`${closedBaseUri}${id}.json`);
    if (!validate || !strict || !closed) throw new Error(`schemas/${id}.json did not compile`);
    entry = { validate, strict, closed };
    compiledSchemas.set(id, entry);
  }
  return entry;
}

/** The full `$id` of a schema, e.g. `https://schemas.emporix-conformance.dev/anonymous-token.json`. */
export function schemaUri(id: SchemaId): string {
  return `${schemaBaseUri}${id}.json`;
}

/**
 * Resolves a schema reference given as a short name (`anonymous-token`), a file name
 * (`anonymous-token.json`) or a full `$id`. Returns undefined for anything else.
 */
export function resolveSchemaId(reference: string): SchemaId | undefined {
  let name = reference.startsWith(schemaBaseUri) ? reference.slice(schemaBaseUri.length) : reference;
  if (name.endsWith('.json')) name = name.slice(0, -'.json'.length);
  return (schemaIds as readonly string[]).includes(name) ? (name as SchemaId) : undefined;
}

/** True when `reference` names a schema of the registry (short name, file name or full `$id`). */
export function hasSchema(reference: string): boolean {
  return resolveSchemaId(reference) !== undefined;
}

function toIssue(error: ErrorObject): SchemaIssue {
  const issue: SchemaIssue = {
    instancePath: error.instancePath,
    keyword: error.keyword,
    message: error.message ?? error.keyword,
    params: { ...error.params },
  };
  if ('data' in error) issue.received = error.data;
  return issue;
}

/** Identifies an error across the two instances, which compile the same files to the same paths. */
function errorKey(error: ErrorObject): string {
  return `${error.instancePath} ${error.schemaPath} ${error.keyword}`;
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Validates `data` against a schema of the registry. `schemaId` may be a short name, a file name or
 * a full `$id`; an unknown id throws (a typo in a spec must not pass silently).
 */
export function validateSchema(schemaId: string, data: unknown): SchemaCheck {
  const id = resolveSchemaId(schemaId);
  if (id === undefined) {
    throw new Error(`Unknown schema "${schemaId}". Known: ${schemaIds.join(', ')}`);
  }
  const entry = compiledSchema(id);
  const valid = entry.validate(data) === true;
  const referenceErrors = valid ? [] : (entry.validate.errors ?? []);
  const errors = referenceErrors.map(toIssue);
  const seen = new Set(referenceErrors.map(errorKey));
  // A value the reference already refuses is the reference's finding; the project's reading adds nothing there.
  const refusedByReference = new Set(referenceErrors.map((error) => error.instancePath));
  const beyond =
    entry.strict(data) === true
      ? []
      : (entry.strict.errors ?? [])
          // The marker's own summary error repeats the keyword errors inside it.
          .filter(
            (error) =>
              error.keyword !== BEYOND_REFERENCE_KEYWORD &&
              !seen.has(errorKey(error)) &&
              !refusedByReference.has(error.instancePath),
          )
          .map(toIssue);
  entry.closed(data);
  const undocumented = new Set<string>();
  for (const error of entry.closed.errors ?? []) {
    if (error.keyword !== 'unevaluatedProperties') continue;
    const property = String((error.params as { unevaluatedProperty?: unknown }).unevaluatedProperty);
    undocumented.add(`${error.instancePath}/${escapePointerToken(property)}`);
  }
  return { valid, errors, beyond, undocumented: [...undocumented].sort() };
}

/**
 * A copy of `data` without the members the schema does not describe (the `undocumented` pointers of
 * validateSchema). For comparing two answers on what the documents promise only: a conforming server
 * may add members (a trace id, a timestamp) that differ from one answer to the next.
 */
export function documentedPart(schemaId: string, data: unknown): unknown {
  const copy: unknown = structuredClone(data);
  // Deepest pointers first, so removing a member never shifts one still to be removed.
  const pointers = validateSchema(schemaId, copy).undocumented.sort((a, b) => b.length - a.length);
  for (const pointer of pointers) {
    const tokens = pointer
      .split('/')
      .slice(1)
      .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop();
    let parent: unknown = copy;
    for (const token of tokens) {
      parent =
        parent !== null && typeof parent === 'object'
          ? (parent as Record<string, unknown>)[token]
          : undefined;
    }
    if (last !== undefined && parent !== null && typeof parent === 'object') {
      delete (parent as Record<string, unknown>)[last];
    }
  }
  return copy;
}

const lifetimeField =
  /(^|\/)(expires_in|refresh_token_expires_in|expiresIn|refreshTokenExpiresIn|session_idle_time)$/;

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function likelyCause(issue: SchemaIssue, field: string): string | undefined {
  const value = issue.received;
  if (lifetimeField.test(field)) {
    const numeric = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof numeric === 'number' && numeric > 1e8) {
      return `${numeric} looks like milliseconds, not seconds`;
    }
  }
  if (issue.keyword === 'type') {
    const expected = String(issue.params.type);
    if (/integer|number/.test(expected) && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) {
      return 'a number sent as a string';
    }
    if (expected.includes('boolean') && (value === 'true' || value === 'false')) {
      return 'a boolean sent as a string';
    }
    if (expected === 'integer' && typeof value === 'number')
      return 'a fraction where whole seconds are expected';
  }
  if (issue.keyword === 'format' && issue.params.format === 'uuid')
    return 'not a UUID (8-4-4-4-12 hex digits)';
  if (issue.keyword === 'pattern' && /saas_token|saasToken/.test(field)) {
    return 'not a JWT (three base64url segments joined by dots)';
  }
  if (issue.keyword === 'pattern' && /country$/.test(field))
    return 'expected an ISO 3166-1 alpha-2 code such as "DE"';
  if (issue.keyword === 'pattern' && /Currency$/.test(field))
    return 'expected an ISO 4217 code such as "EUR"';
  if (issue.keyword === 'pattern' && /token_type$/.test(field)) return 'expected "Bearer"';
  if (issue.instancePath === '' && issue.keyword === 'type' && (value === null || value === undefined)) {
    return 'empty or non-JSON body';
  }
  return undefined;
}

/** One issue as a finding's parts: the field, the rule expected, the value received, the likely cause. */
export function schemaIssueParts(issue: SchemaIssue): {
  field: string;
  expected: string;
  received: string;
  hint?: string;
} {
  const params = issue.params;
  let field = issue.instancePath;
  let expected: string;
  let received = describeValue(issue.received);
  switch (issue.keyword) {
    case 'required':
      field = `${issue.instancePath}/${String(params.missingProperty)}`;
      expected = 'the field (required)';
      received = 'nothing';
      break;
    case 'dependentRequired':
      field = `${issue.instancePath}/${String(params.missingProperty)}`;
      expected = `the field alongside ${issue.instancePath}/${String(params.property)} (dependentRequired)`;
      received = 'nothing';
      break;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      field = `${issue.instancePath}/${String(params[issue.keyword === 'additionalProperties' ? 'additionalProperty' : 'unevaluatedProperty'])}`;
      expected = `no such field (${issue.keyword})`;
      received = 'the field';
      break;
    case 'const':
      expected = `${describeValue(params.allowedValue)} (const)`;
      break;
    case 'enum':
      expected = `one of ${describeValue(params.allowedValues)} (enum)`;
      break;
    default:
      expected = `a value that ${issue.message} (${issue.keyword})`;
  }
  const hint = likelyCause(issue, field);
  return { field: field || '(body)', expected, received, ...(hint ? { hint } : {}) };
}

/**
 * Turns issues into readable lines, one per issue, each naming the operation, the field, the rule
 * and what was received, e.g.
 * `POST /customer/{tenant}/login → 200: /expires_in must be integer (type), received "2591999" — a number sent as a string`.
 */
export function formatSchemaIssues(operationLabel: string, issues: SchemaIssue[]): string {
  return issues
    .map((issue) => {
      const params = issue.params;
      let field = issue.instancePath;
      let text: string;
      switch (issue.keyword) {
        case 'required':
          field = `${issue.instancePath}/${String(params.missingProperty)}`;
          text = `${field} is missing (required)`;
          break;
        case 'dependentRequired':
          field = `${issue.instancePath}/${String(params.missingProperty)}`;
          text = `${field} is missing, required alongside ${issue.instancePath}/${String(params.property)} (dependentRequired)`;
          break;
        case 'additionalProperties':
          field = `${issue.instancePath}/${String(params.additionalProperty)}`;
          text = `${field} is not allowed (additionalProperties)`;
          break;
        case 'unevaluatedProperties':
          field = `${issue.instancePath}/${String(params.unevaluatedProperty)}`;
          text = `${field} is not allowed (unevaluatedProperties)`;
          break;
        case 'const':
          text = `${field || '(body)'} must equal ${describeValue(params.allowedValue)} (const), received ${describeValue(issue.received)}`;
          break;
        case 'enum':
          text = `${field || '(body)'} must be one of ${describeValue(params.allowedValues)} (enum), received ${describeValue(issue.received)}`;
          break;
        default:
          text = `${field || '(body)'} ${issue.message} (${issue.keyword}), received ${describeValue(issue.received)}`;
      }
      const cause = likelyCause(issue, field);
      return `${operationLabel}: ${text}${cause ? ` — ${cause}` : ''}`;
    })
    .join('\n');
}
