// The suite's side of a drift report: the catalog's view of one contract version (helpers/catalog.ts)
// with the project's JSON Schemas (schemas/) as the flat model of scripts/drift/model.ts. Statuses
// the project accepts beyond the vendor's reference and the mock's test-only paths are left out: the
// model is what the suite holds to be the vendor's documents.
import { readdirSync, readFileSync } from 'node:fs';
import {
  catalogFor,
  type CatalogDocument,
  type ReferenceDecision,
  type VendorDocument,
} from '../../helpers/catalog.ts';
import type { ContractVersion } from '../../helpers/config.ts';
import { isObject, modelOf, type DocumentModel, type RefResolver } from './model.ts';

const schemaDir = new URL('../../schemas/', import.meta.url);

/** Every project schema by its `$id`. */
function loadSchemas(): Map<string, unknown> {
  const byId = new Map<string, unknown>();
  for (const name of readdirSync(schemaDir).filter((n) => n.endsWith('.json'))) {
    const schema: unknown = JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8'));
    if (isObject(schema) && typeof schema.$id === 'string') byId.set(schema.$id, schema);
  }
  return byId;
}

/** Resolves the project's `$ref`s: absolute or relative schema ids, with an optional `#/...` pointer. */
function schemaResolver(schemas: Map<string, unknown>): RefResolver {
  return (ref, base) => {
    const url = new URL(ref, base === '' ? 'https://invalid.local/' : base);
    const id = `${url.origin}${url.pathname}`;
    let node = schemas.get(id);
    if (node === undefined) return undefined;
    const pointer = decodeURIComponent(url.hash.replace(/^#/, ''));
    for (const raw of pointer.split('/').slice(1)) {
      if (!isObject(node)) return undefined;
      node = node[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return node === undefined ? undefined : { schema: node, base: id };
  };
}

/** The catalog document restricted to one vendor document, without the project's own statuses. */
function asVendorDocument(catalog: CatalogDocument, document: VendorDocument): unknown {
  const paths: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(catalog.paths ?? {})) {
    if (!item) continue;
    const copy: Record<string, unknown> = { ...item };
    let kept = 0;
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      if ((op['x-document'] ?? 'customer-managed') !== document) {
        delete copy[method];
        continue;
      }
      const added = new Set((op['x-statuses-beyond-reference'] ?? []).map(String));
      const responses = Object.fromEntries(Object.entries(op.responses ?? {}).filter(([s]) => !added.has(s)));
      copy[method] = { ...op, responses };
      kept++;
    }
    if (kept > 0) paths[path] = copy;
  }
  return { ...catalog, paths };
}

/** Vendor schema names the catalog records for request bodies (`x-vendor-request-schema`). */
export function requestSchemaNames(
  catalog: CatalogDocument,
  contract: ContractVersion,
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [path, item] of Object.entries(catalog.paths ?? {})) {
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      const name = item?.[method]?.['x-vendor-request-schema']?.[contract];
      if (name) names[`${method.toUpperCase()} ${path}`] = name;
    }
  }
  return names;
}

/** The suite's deliberate departures from the reference, by operation key (`x-reference-decisions`). */
export function referenceDecisions(catalog: CatalogDocument): Record<string, ReferenceDecision[]> {
  const decisions: Record<string, ReferenceDecision[]> = {};
  for (const [path, item] of Object.entries(catalog.paths ?? {})) {
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      const list = item?.[method]?.['x-reference-decisions'];
      if (list && list.length > 0) decisions[`${method.toUpperCase()} ${path}`] = list;
    }
  }
  return decisions;
}

export interface SuiteView {
  model: DocumentModel;
  decisions: Record<string, ReferenceDecision[]>;
}

/** The suite's model of one vendor document under one contract version, and its recorded decisions. */
export function suiteView(contract: ContractVersion, document: VendorDocument): SuiteView {
  const catalog = catalogFor(contract);
  const model = modelOf(asVendorDocument(catalog, document), { resolve: schemaResolver(loadSchemas()) });
  const names = requestSchemaNames(catalog, contract);
  for (const op of Object.values(model.operations)) {
    // The project's own schema ids are no vendor names: only a name the catalog records is compared.
    delete op.requestSchemaName;
    const name = names[op.key];
    if (name) op.requestSchemaName = name;
  }
  return { model, decisions: referenceDecisions(catalog) };
}
