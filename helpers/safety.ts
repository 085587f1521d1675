// The safety guard for real tenants: against any target other than the embedded mock, a request
// that could create, change or delete data is sent only with EMPORIX_ALLOW_DESTRUCTIVE=true. Every
// operation of the catalog is classified once, here, by what it does to the tenant's data; the
// compiler refuses a catalog operation missing from the table.
import type { HttpMethod, OperationId } from './catalog.ts';
import type { Config } from './config.ts';

/**
 * - `read`: changes no customer data. Logins and token requests are here: they open a session (and
 *   may stamp `lastLogin`), which is how every read-only run starts.
 * - `own-session`: ends only a session this run opened (logout revokes the calling token and its
 *   refresh token, nothing else). Allowed in read-only runs, so a run leaves no live token behind.
 * - `write`: creates, changes or deletes customer data, or emails a real person.
 */
export type Effect = 'read' | 'own-session' | 'write';

export const OPERATION_EFFECTS: Readonly<Record<OperationId, { method: HttpMethod; effect: Effect }>> = {
  'GET-oauth-generate-anonymous-access-token': { method: 'GET', effect: 'read' },
  'GET-oauth-refresh-anonymous-access-token': { method: 'GET', effect: 'read' },
  'POST-customer-create-customer-account': { method: 'POST', effect: 'write' },
  'POST-customer-authenticate-customer': { method: 'POST', effect: 'read' },
  'GET-customer-refresh-authtoken': { method: 'GET', effect: 'read' },
  'GET-customer-validate-token': { method: 'GET', effect: 'read' },
  // Creates the customer on first use.
  'POST-customer-login-customer-by-auth0': { method: 'POST', effect: 'write' },
  'GET-customer-logout-customer': { method: 'GET', effect: 'own-session' },
  // Like social login, may create the customer the external identity names.
  'POST-customer-exchange-authtoken': { method: 'POST', effect: 'write' },
  'GET-customer-retrieve-customer-profile': { method: 'GET', effect: 'read' },
  'PATCH-customer-update-customer': { method: 'PATCH', effect: 'write' },
  'DELETE-customer-remove-customer-profile': { method: 'DELETE', effect: 'write' },
  'POST-customer-assign-customer-account': { method: 'POST', effect: 'write' },
  'POST-customer-add-address': { method: 'POST', effect: 'write' },
  'GET-customer-list-customer-addresses': { method: 'GET', effect: 'read' },
  'GET-customer-retrieve-address-by-id': { method: 'GET', effect: 'read' },
  'PATCH-customer-update-customer-address': { method: 'PATCH', effect: 'write' },
  'DELETE-customer-remove-customer-address-by-id': { method: 'DELETE', effect: 'write' },
  'POST-customer-add-address-tags': { method: 'POST', effect: 'write' },
  'DELETE-customer-remove-address-tags': { method: 'DELETE', effect: 'write' },
  // Emails a reset link to a real address.
  'POST-customer-request-reset-password': { method: 'POST', effect: 'write' },
  'POST-customer-reset-password': { method: 'POST', effect: 'write' },
  'POST-customer-change-account-password': { method: 'POST', effect: 'write' },
  'POST-customer-change-customer-login-email': { method: 'POST', effect: 'write' },
  'POST-customer-confirm-customer-login-email': { method: 'POST', effect: 'write' },
  // A GET that activates the customer.
  'GET-customer-signup-customer-optin': { method: 'GET', effect: 'write' },
  // Emails a new opt-in link.
  'POST-customer-refresh-token': { method: 'POST', effect: 'write' },
  'POST-oauth-request-client-credentials': { method: 'POST', effect: 'read' },
  'GET-customer-tenant-retrieve-customer': { method: 'GET', effect: 'read' },
  'PATCH-customer-tenant-update-customer': { method: 'PATCH', effect: 'write' },
  'DELETE-customer-tenant-remove-customer': { method: 'DELETE', effect: 'write' },
  'GET-mock-outbox': { method: 'GET', effect: 'read' },
  'POST-mock-idp-authorize': { method: 'POST', effect: 'write' },
  // Test-only, like the other mock paths: counted as writing.
  'POST-mock-external-idp-token': { method: 'POST', effect: 'write' },
  'POST-mock-reset': { method: 'POST', effect: 'write' },
};

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
