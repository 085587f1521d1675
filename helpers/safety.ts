// The safety guard for real tenants: against any target other than the embedded mock, a request
// that could create, change or delete data is sent only with EMPORIX_ALLOW_DESTRUCTIVE=true. Every
// operation of the catalog carries its effect (`x-effect` in helpers/catalog.ts, required there, so
// the compiler refuses an operation without one); the table below is derived from the catalog.
import { operationIds, operations, type Effect, type HttpMethod, type OperationId } from './catalog.ts';
import type { Config } from './config.ts';

/** Every catalog operation's method and effect (`Effect` in helpers/catalog.ts says what each means). */
export const OPERATION_EFFECTS: Readonly<Record<OperationId, { method: HttpMethod; effect: Effect }>> =
  Object.fromEntries(
    operationIds.map((id) => [id, { method: operations[id].method, effect: operations[id].effect }]),
  ) as Record<OperationId, { method: HttpMethod; effect: Effect }>;

export interface OperationRef {
  id: string;
  method: string;
  path?: string;
}

/**
 * What an operation does. An operation missing from the table (or sent with another method than
 * the table's) counts as a write unless its method is GET, HEAD or OPTIONS: unknown means unsafe.
 */
export function effectOf(op: OperationRef): Effect {
  const known = (OPERATION_EFFECTS as Record<string, { method: string; effect: Effect } | undefined>)[op.id];
  if (known && known.method === op.method.toUpperCase()) return known.effect;
  return ['GET', 'HEAD', 'OPTIONS'].includes(op.method.toUpperCase()) && !known ? 'read' : 'write';
}

export class UnsafeRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeRequestError';
  }
}

/** Whether this configuration may send requests that write (the embedded mock always may). */
export function mayWrite(config: Pick<Config, 'target' | 'allowDestructive'>): boolean {
  return config.target === 'embedded-mock' || config.allowDestructive;
}

/**
 * Throws, before anything is sent, when a writing operation would go to a target other than the
 * embedded mock without EMPORIX_ALLOW_DESTRUCTIVE=true.
 */
export function assertMaySend(
  config: Pick<Config, 'target' | 'allowDestructive' | 'baseUrl'>,
  op: OperationRef,
): void {
  if (mayWrite(config) || effectOf(op) !== 'write') return;
  throw new UnsafeRequestError(
    `Refused to send ${op.method}${op.path ? ` ${op.path}` : ''} (${op.id}) to ${config.baseUrl}: it creates, changes or ` +
      `deletes data, and EMPORIX_ALLOW_DESTRUCTIVE is not true. A read-only run against a real tenant ` +
      `sends only reading operations; tag a test that writes @destructive (not @smoke), or set ` +
      `EMPORIX_ALLOW_DESTRUCTIVE=true for a tenant whose data may be changed (docs/real-tenants.md).`,
  );
}
