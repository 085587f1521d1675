// The drift report's common ground: any OpenAPI document (the vendor's, or the suite's catalog with
// the project's schemas) reduced to a flat model that two documents can be compared on. Per
// operation (`METHOD /path`): its statuses, its parameters (name, place, type, required) and the
// fields of its request and response bodies, each as a dotted path (`customerDetails.firstName`,
// `tags[]`) with its JSON type and whether it is required. `$ref`s are resolved through a resolver
// the caller gives (a vendor file resolves `#/components/...`; the suite resolves its schema ids).

/** A JSON type as the model names it: `integer` also for a `number` with an int32/int64 format. */
export type FieldType = string;

export interface FieldInfo {
  type: FieldType;
  required: boolean;
}

export interface ParameterInfo {
  type: FieldType;
  required: boolean;
}

export interface OperationModel {
  /** `GET /customer/{tenant}/me` */
  key: string;
  operationId?: string;
  /** Status codes as strings (`200`, `default`). */
  statuses: string[];
  /** `query:refreshToken` → type and required. */
  parameters: Record<string, ParameterInfo>;
  /** Request body fields by dotted path; `(body)` for a body that is not an object. */
  request: Record<string, FieldInfo>;
  /** Whether a request body is documented at all. */
  hasRequest: boolean;
  /** The name of the request body's schema (`CustomerPatchDto`), when it is a named component. */
  requestSchemaName?: string;
  /** Response body fields per status. */
  responses: Record<string, Record<string, FieldInfo>>;
}

export interface DocumentModel {
  operations: Record<string, OperationModel>;
}

type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves a `$ref` seen in `base` (the id or pointer of the document holding it) to a schema. */
export type RefResolver = (ref: string, base: string) => { schema: unknown; base: string } | undefined;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** How deep nested objects are followed (the vendor's address and customer schemas nest twice). */
const MAX_DEPTH = 6;

/** The model's name for a schema's type. */
function typeOf(schema: JsonObject): FieldType | undefined {
  const raw = schema.type;
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  const one = (t: string): string =>
    t === 'number' && (format === 'int32' || format === 'int64') ? 'integer' : t;
  if (typeof raw === 'string') return schema.nullable === true ? `${one(raw)}|null` : one(raw);
  if (Array.isArray(raw)) {
    return raw
      .filter((t): t is string => typeof t === 'string')
      .map(one)
      .sort()
      .join('|');
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const kinds = [...new Set(schema.enum.map((v) => (v === null ? 'null' : typeof v)))];
    return kinds.sort().join('|');
  }
  if (isObject(schema.properties)) return 'object';
  return undefined;
}

interface Flattened {
  type?: FieldType;
  properties: Record<string, { schema: JsonObject; base: string }>;
  required: Set<string>;
  items?: { schema: JsonObject; base: string };
}

/**
 * Merges a schema with what it pulls in by `$ref`, `allOf`, `anyOf` and `oneOf`: the union of the
 * properties; required are those of the schema and its allOf/$ref parts (an anyOf branch requires
 * nothing of the whole).
 */
function flatten(
  schema: unknown,
  base: string,
  resolve: RefResolver,
  seen: Set<string> = new Set(),
): Flattened {
  const out: Flattened = { properties: {}, required: new Set() };
  if (!isObject(schema)) return out;
  const merge = (part: Flattened, withRequired: boolean): void => {
    out.type ??= part.type;
    for (const [name, prop] of Object.entries(part.properties)) out.properties[name] ??= prop;
    if (withRequired) for (const name of part.required) out.required.add(name);
    out.items ??= part.items;
  };
  if (typeof schema.$ref === 'string') {
    const key = `${base}|${schema.$ref}`;
    if (!seen.has(key)) {
      const target = resolve(schema.$ref, base);
      if (!target) throw new Error(`unresolvable $ref "${schema.$ref}" (in ${base || 'the document'})`);
      merge(flatten(target.schema, target.base, resolve, new Set([...seen, key])), true);
    }
  }
  const own = typeOf(schema);
  if (own !== undefined) out.type = own;
  if (isObject(schema.properties)) {
    for (const [name, prop] of Object.entries(schema.properties)) {
      if (isObject(prop)) out.properties[name] = { schema: prop, base };
    }
  }
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) if (typeof name === 'string') out.required.add(name);
  }
  if (isObject(schema.items)) out.items = { schema: schema.items, base };
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    for (const part of list) merge(flatten(part, base, resolve, seen), keyword === 'allOf');
  }
  if (out.type === undefined && Object.keys(out.properties).length > 0) out.type = 'object';
  if (out.type === undefined && out.items) out.type = 'array';
  return out;
}

/** Every field of a body schema by dotted path; the root itself is `(body)` when it is no object. */
export function fieldsOf(schema: unknown, base: string, resolve: RefResolver): Record<string, FieldInfo> {
  const fields: Record<string, FieldInfo> = {};
  const walk = (node: Flattened, prefix: string, depth: number, seen: Set<JsonObject>): void => {
    if (depth > MAX_DEPTH) return;
    for (const [name, prop] of Object.entries(node.properties).sort(([a], [b]) => a.localeCompare(b))) {
      if (seen.has(prop.schema)) continue;
      const path = prefix === '' ? name : `${prefix}.${name}`;
      const inner = flatten(prop.schema, prop.base, resolve);
      fields[path] = { type: inner.type ?? 'any', required: node.required.has(name) };
      const next = new Set([...seen, prop.schema]);
      if (Object.keys(inner.properties).length > 0) walk(inner, path, depth + 1, next);
      else if (inner.items) {
        const item = flatten(inner.items.schema, inner.items.base, resolve);
        if (Object.keys(item.properties).length > 0) walk(item, `${path}[]`, depth + 1, next);
      }
    }
  };
  const root = flatten(schema, base, resolve);
  if (Object.keys(root.properties).length === 0 && root.type !== undefined && root.type !== 'object') {
    fields['(body)'] = { type: root.type, required: true };
  }
  walk(root, '', 0, new Set());
  return fields;
}

/** Resolves a local `#/components/...` reference inside one document. */
export function localResolver(document: unknown): RefResolver {
  return (ref) => {
    if (!ref.startsWith('#/')) return undefined;
    let node: unknown = document;
    for (const raw of ref.slice(2).split('/')) {
      const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObject(node) || !(part in node)) return undefined;
      node = node[part];
    }
    return { schema: node, base: '' };
  };
}

function deref(value: unknown, resolve: RefResolver): unknown {
  let current = value;
  for (let i = 0; i < 10 && isObject(current) && typeof current.$ref === 'string'; i++) {
    const target = resolve(current.$ref, '');
    if (!target) throw new Error(`unresolvable $ref "${current.$ref}"`);
    current = target.schema;
  }
  return current;
}

/** The first JSON-ish content's schema of a request body or a response. */
function contentSchema(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const entries = Object.entries(content);
  const json = entries.find(([type]) => /json/i.test(type)) ?? entries[0];
  return json && isObject(json[1]) ? json[1].schema : undefined;
}

export interface ModelOptions {
  resolve: RefResolver;
  /** Parameters left out of the comparison: the bearer token travels as security, not as a parameter. */
  ignoreParameter?: (name: string, place: string) => boolean;
}

/**
 * The bearer token is compared as the operation's security and the media types as content: documented
 * `Authorization`, `Content-Type` and `Accept` headers are not parameters.
 */
export const ignoreAuthorizationHeader = (name: string, place: string): boolean =>
  place === 'header' && ['authorization', 'content-type', 'accept'].includes(name.toLowerCase());

/** Reduces an OpenAPI 3.0 or 3.1 document to the flat model. */
export function modelOf(document: unknown, options: ModelOptions): DocumentModel {
  if (!isObject(document) || !isObject(document.paths)) {
    throw new Error('not an OpenAPI document: it has no "paths" object');
  }
  const { resolve } = options;
  const ignore = options.ignoreParameter ?? ignoreAuthorizationHeader;
  const operations: Record<string, OperationModel> = {};
  for (const [path, rawItem] of Object.entries(document.paths)) {
    const item = deref(rawItem, resolve);
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const parameters: Record<string, ParameterInfo> = {};
      const params = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ];
      for (const raw of params) {
        const param = deref(raw, resolve);
        if (!isObject(param) || typeof param.name !== 'string' || typeof param.in !== 'string') continue;
        if (ignore(param.name, param.in)) continue;
        const schema = flatten(param.schema, '', resolve);
        // Operation-level parameters come last and win over the path item's.
        parameters[`${param.in}:${param.name}`] = {
          type: schema.type ?? 'any',
          required: param.required === true || param.in === 'path',
        };
      }
      const body = deref(op.requestBody, resolve);
      const requestSchema = isObject(body) ? contentSchema(body.content) : undefined;
      const responses: Record<string, Record<string, FieldInfo>> = {};
      for (const [status, rawResponse] of Object.entries(isObject(op.responses) ? op.responses : {})) {
        const response = deref(rawResponse, resolve);
        const schema = isObject(response) ? contentSchema(response.content) : undefined;
        responses[status] = schema === undefined ? {} : fieldsOf(schema, '', resolve);
      }
      const schemaName =
        isObject(requestSchema) && typeof requestSchema.$ref === 'string'
          ? requestSchema.$ref.split('/').pop()
          : undefined;
      operations[key] = {
        key,
        ...(schemaName ? { requestSchemaName: schemaName } : {}),
        ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
        statuses: Object.keys(responses).sort(),
        parameters,
        request: requestSchema === undefined ? {} : fieldsOf(requestSchema, '', resolve),
        hasRequest: isObject(body),
        responses,
      };
    }
  }
  return { operations };
}
