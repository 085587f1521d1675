// Compares two flat models (scripts/drift/model.ts): the suite's view of a contract and a vendor's
// document. Every difference is one `Change`, worded from the vendor document's side: "added" means
// the document has it and the suite does not.
import type { DocumentModel, FieldInfo, OperationModel } from './model.ts';

export type ChangeKind =
  | 'operation-added'
  | 'operation-removed'
  | 'status-added'
  | 'status-removed'
  | 'parameter-added'
  | 'parameter-removed'
  | 'parameter-retyped'
  | 'parameter-newly-required'
  | 'field-added'
  | 'field-removed'
  | 'field-retyped'
  | 'field-newly-required'
  | 'request-schema-changed';

export interface Change {
  kind: ChangeKind;
  /** `POST /customer/{tenant}/exchangeauthtoken` */
  operation: string;
  /** The operation's id in whichever model has it. */
  operationId?: string;
  /** Where in the operation: `query:currency`, `request`, `response 200`. */
  where?: string;
  /** The parameter or field: `contactEmail`, `customerDetails.firstName`. */
  name?: string;
  /** The suite's side (a type), when there is one. */
  before?: string;
  /** The document's side (a type), when there is one. */
  after?: string;
}

/** Whether a change means the document asks for something the suite does not check. */
export function isUnchecked(change: Change): boolean {
  return !change.kind.endsWith('-removed');
}

function compareFields(
  op: string,
  operationId: string | undefined,
  where: string,
  suite: Record<string, FieldInfo>,
  vendor: Record<string, FieldInfo>,
  changes: Change[],
): void {
  const base = { operation: op, ...(operationId ? { operationId } : {}), where };
  for (const [name, field] of Object.entries(vendor)) {
    const known = suite[name];
    if (!known) {
      // A field inside an added object is part of the addition: only its topmost path is listed.
      const parent = parentOf(name);
      if (parent === undefined || suite[parent] !== undefined || vendor[parent] === undefined) {
        changes.push({ ...base, kind: 'field-added', name, after: field.type });
      }
      continue;
    }
    if (!sameType(known.type, field.type)) {
      changes.push({ ...base, kind: 'field-retyped', name, before: known.type, after: field.type });
    }
    if (field.required && !known.required) changes.push({ ...base, kind: 'field-newly-required', name });
  }
  for (const [name, field] of Object.entries(suite)) {
    if (vendor[name]) continue;
    const parent = parentOf(name);
    if (parent === undefined || vendor[parent] !== undefined || suite[parent] === undefined) {
      changes.push({ ...base, kind: 'field-removed', name, before: field.type });
    }
  }
}

function parentOf(path: string): string | undefined {
  const cut = path.lastIndexOf('.');
  if (cut < 0) return undefined;
  return path.slice(0, cut).replace(/\[\]$/, '');
}

/** Types agree when the suite's accepts at least every type the document names. */
function sameType(suite: string, vendor: string): boolean {
  if (suite === vendor || suite === 'any' || vendor === 'any') return true;
  const accepted = new Set(suite.split('|'));
  if (accepted.has('number')) accepted.add('integer');
  return vendor.split('|').every((t) => accepted.has(t));
}

function compareOperation(suite: OperationModel, vendor: OperationModel, changes: Change[]): void {
  const op = vendor.key;
  const operationId = vendor.operationId ?? suite.operationId;
  const base = { operation: op, ...(operationId ? { operationId } : {}) };
  for (const status of vendor.statuses) {
    if (!suite.statuses.includes(status)) changes.push({ ...base, kind: 'status-added', where: status });
  }
  for (const status of suite.statuses) {
    if (!vendor.statuses.includes(status)) changes.push({ ...base, kind: 'status-removed', where: status });
  }
  for (const [name, param] of Object.entries(vendor.parameters)) {
    const known = suite.parameters[name];
    if (!known) changes.push({ ...base, kind: 'parameter-added', where: name, after: param.type });
    else {
      if (!sameType(known.type, param.type)) {
        changes.push({
          ...base,
          kind: 'parameter-retyped',
          where: name,
          before: known.type,
          after: param.type,
        });
      }
      if (param.required && !known.required)
        changes.push({ ...base, kind: 'parameter-newly-required', where: name });
    }
  }
  for (const [name, param] of Object.entries(suite.parameters)) {
    if (!vendor.parameters[name]) {
      changes.push({ ...base, kind: 'parameter-removed', where: name, before: param.type });
    }
  }
  if (
    suite.requestSchemaName &&
    vendor.requestSchemaName &&
    suite.requestSchemaName !== vendor.requestSchemaName
  ) {
    changes.push({
      ...base,
      kind: 'request-schema-changed',
      where: 'request',
      before: suite.requestSchemaName,
      after: vendor.requestSchemaName,
    });
  }
  compareFields(op, operationId, 'request', suite.request, vendor.request, changes);
  for (const status of vendor.statuses) {
    if (!suite.statuses.includes(status)) continue;
    compareFields(
      op,
      operationId,
      `response ${status}`,
      suite.responses[status] ?? {},
      vendor.responses[status] ?? {},
      changes,
    );
  }
}

/** Every difference between the suite's model and the document's, operations in the document's order. */
export function compareModels(suite: DocumentModel, vendor: DocumentModel): Change[] {
  const changes: Change[] = [];
  for (const [key, op] of Object.entries(vendor.operations)) {
    const known = suite.operations[key];
    if (!known) {
      changes.push({
        kind: 'operation-added',
        operation: key,
        ...(op.operationId ? { operationId: op.operationId } : {}),
      });
      continue;
    }
    compareOperation(known, op, changes);
  }
  for (const [key, op] of Object.entries(suite.operations)) {
    if (!vendor.operations[key]) {
      changes.push({
        kind: 'operation-removed',
        operation: key,
        ...(op.operationId ? { operationId: op.operationId } : {}),
      });
    }
  }
  return changes;
}
