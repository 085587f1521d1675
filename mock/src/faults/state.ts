// State faults: an operation answers as if it worked but its change is not applied, or a change
// goes wrong. Each one either sets the core's behaviour or undoes (or skips) the handler's work
// from hooks around it, so the whole effect is here.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tenantParam } from '../auth.ts';
import type { Behaviour, RefreshPolicy } from '../behaviour.ts';
import type { CustomerRecord, LoginAccount } from '../store.ts';
import type { FaultEntry } from './entry.ts';
import {
  ADDRESS_CREATE,
  ADDRESS_DELETE,
  ADDRESS_PATCH,
  DELETE_ME,
  EMAIL_CHANGE_CONFIRM,
  EMPLOYEE_PATCH,
  PASSWORD_CHANGE,
  PASSWORD_RESET_UPDATE,
  PATCH_ME,
  TAGS_ADD,
  TAGS_DELETE,
  isObject,
  ok,
  type JsonObject,
  principalAddress,
  principalCustomer,
  routeKey,
} from './shaping.ts';

/**
 * Runs `before` ahead of the handler of `route` and hands what it returns to `after`, once the
 * handler has answered 2xx (in onSend, so before the client can send its next request).
 */
function aroundSuccess<T>(
  app: FastifyInstance,
  route: string,
  before: (request: FastifyRequest) => T | undefined,
  after: (saved: T, request: FastifyRequest) => void,
): void {
  const saved = new WeakMap<FastifyRequest, T>();
  app.addHook('preHandler', async (request) => {
    if (routeKey(request) !== route) return;
    const value = before(request);
    if (value !== undefined) saved.set(request, value);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const value = saved.get(request);
    if (value !== undefined && ok(reply.statusCode)) after(value, request);
    return payload;
  });
}

/** A preHandler that hands `edit` the JSON object body of the requests to `route` (before the handler). */
function editBody(
  route: string,
  edit: (body: JsonObject, request: FastifyRequest) => void,
): (request: FastifyRequest) => void {
  return (request) => {
    if (routeKey(request) === route && isObject(request.body)) edit(request.body, request);
  };
}

/** A fault in what a refresh of `token`'s kind does: the policy fields given override the core's. */
function refreshFault({
  name,
  description,
  token,
  ...policy
}: Pick<FaultEntry, 'name' | 'description'> & {
  token: keyof Behaviour['refresh'];
} & Partial<RefreshPolicy>): FaultEntry {
  return {
    name,
    kind: 'fault',
    category: 'state changed wrongly',
    description,
    behaviour: { refresh: { [token]: policy } },
  };
}

interface SavedPasswords {
  customer: CustomerRecord;
  shared: string | null;
  own: [LoginAccount, string | undefined][];
}

/** Every password hash of a customer: the shared one and those of logins with their own. */
function passwordsOf(customer: CustomerRecord): SavedPasswords {
  return {
    customer,
    shared: customer.passwordHash,
    own: customer.accounts.map((account) => [account, account.passwordHash]),
  };
}

function restorePasswords({ customer, shared, own }: SavedPasswords): void {
  customer.passwordHash = shared;
  for (const [account, hash] of own) {
    if (hash === undefined) delete account.passwordHash;
    else account.passwordHash = hash;
  }
}

/** The pending emailed token a request body names, without spending it. */
function pendingEmailToken(request: FastifyRequest, kind: string) {
  const tenant = tenantParam(request);
  const token = isObject(request.body) ? request.body.token : undefined;
  if (tenant === undefined || typeof token !== 'string') return undefined;
  const record = request.server.store.tenant(tenant)?.emailTokens.get(token);
  return record?.kind === kind ? { tenant, record } : undefined;
}

export const STATE_FAULTS: readonly FaultEntry[] = [
  // State changes not applied.
  {
    name: 'logout-keeps-token',
    kind: 'fault',
    category: 'state not applied',
    description: 'Logout answers 204 but revokes neither the access token nor its refresh token.',
    behaviour: { logout: { revokes: 'none' } },
  },
  {
    name: 'password-change-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Password change answers 204 but keeps the old password (the new one is refused).',
    install: (app) =>
      aroundSuccess(
        app,
        PASSWORD_CHANGE,
        (request) => {
          const customer = principalCustomer(request);
          return customer ? passwordsOf(customer) : undefined;
        },
        restorePasswords,
      ),
  },
  {
    name: 'password-change-keeps-sessions',
    kind: 'fault',
    category: 'state not applied',
    description: "Password change does not revoke the customer's other tokens.",
    behaviour: { passwordChangeEndsOtherSessions: false },
  },
  {
    name: 'password-reset-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Password reset update answers 204 but the password stays the old one.',
    install: (app) =>
      aroundSuccess(
        app,
        PASSWORD_RESET_UPDATE,
        (request) => {
          const pending = pendingEmailToken(request, 'password-reset');
          const customer = pending
            ? request.server.store.getCustomer(pending.tenant, pending.record.customerNumber)
            : undefined;
          return customer ? passwordsOf(customer) : undefined;
        },
        restorePasswords,
      ),
  },
  {
    name: 'email-change-confirm-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Email change confirmation answers 204 but the login email stays the old one.',
    // The confirmation is undone: the new login is renamed back to the old one.
    install: (app) =>
      aroundSuccess(
        app,
        EMAIL_CHANGE_CONFIRM,
        (request) => pendingEmailToken(request, 'email-change'),
        ({ tenant, record }, request) => {
          const { email, newEmail } = record.data;
          if (typeof email === 'string' && typeof newEmail === 'string')
            request.server.store.changeLogin(tenant, record.customerNumber, newEmail, email);
        },
      ),
  },
  {
    name: 'profile-delete-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'DELETE /me with the emailed token answers 204 but the customer stays.',
    // A valid confirmation token of the caller is spent and answered 204; nothing is deleted.
    install: (app) =>
      app.addHook('preHandler', async (request, reply) => {
        if (routeKey(request) !== DELETE_ME) return;
        const token = (request.query as Record<string, unknown>).token;
        const customer = principalCustomer(request);
        const tenant = tenantParam(request);
        if (typeof token !== 'string' || !customer || tenant === undefined) return;
        const { store } = request.server;
        const pending = store.tenant(tenant)?.emailTokens.get(token);
        if (pending?.kind !== 'profile-delete' || pending.customerNumber !== customer.customerNumber) return;
        if (!store.consumeEmailToken(tenant, 'profile-delete', token)) return;
        // Answered here, so the handler (and its deletion) never runs.
        return reply.code(204).send();
      }),
  },
  {
    name: 'address-delete-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Deleting an address answers 204 but the address stays.',
    install: (app) =>
      app.addHook('preHandler', async (request, reply) => {
        // Answered here, so the handler (and its deletion) never runs.
        if (routeKey(request) === ADDRESS_DELETE && principalAddress(request)) return reply.code(204).send();
      }),
  },
  {
    name: 'tag-add-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'Adding address tags answers 204 but adds nothing.',
    install: (app) =>
      aroundSuccess(
        app,
        TAGS_ADD,
        (request) => {
          const address = principalAddress(request);
          return address ? { address, tags: [...address.tags] } : undefined;
        },
        ({ address, tags }) => (address.tags = tags),
      ),
  },
  {
    name: 'activation-patch-ignored',
    kind: 'fault',
    category: 'state not applied',
    description: 'The employee PATCH answers 200 but ignores active and onHold.',
    preHandler: editBody(EMPLOYEE_PATCH, (body) => {
      delete body.active;
      delete body.onHold;
    }),
  },
  {
    name: 'patch-me-not-applied',
    kind: 'fault',
    category: 'state not applied',
    description: 'PATCH /me answers 200 but changes no profile field.',
    // Only the version survives, so a stale version is still refused and an accepted one counted.
    preHandler: editBody(PATCH_ME, (body, request) => {
      const version = isObject(body.metadata) ? body.metadata.version : undefined;
      request.body = version === undefined ? {} : { metadata: { version } };
    }),
  },

  // State changed wrongly.
  refreshFault({
    name: 'anonymous-refresh-new-session',
    description: 'Anonymous refresh starts a new session id instead of keeping it.',
    token: 'anonymous',
    keepsSession: false,
  }),
  refreshFault({
    name: 'anonymous-refresh-not-rotated',
    description: 'A used anonymous refresh token keeps working.',
    token: 'anonymous',
    revokesUsed: false,
  }),
  refreshFault({
    name: 'customer-refresh-new-session',
    description: 'refreshauthtoken answers a new session_id instead of the login session.',
    token: 'customer',
    keepsSession: false,
  }),
  refreshFault({
    name: 'customer-refresh-not-rotated',
    description: 'A used customer refresh token keeps working.',
    token: 'customer',
    revokesUsed: false,
  }),
  {
    name: 'tags-replaced-not-merged',
    kind: 'fault',
    category: 'state changed wrongly',
    description: "Adding tags replaces the address's tags instead of merging them.",
    // The handler merges into an empty list; a refused request gets the old tags back.
    install: (app) => {
      const before = new WeakMap<FastifyRequest, { address: { tags: string[] }; tags: string[] }>();
      app.addHook('preHandler', async (request) => {
        const address = routeKey(request) === TAGS_ADD ? principalAddress(request) : undefined;
        if (!address) return;
        before.set(request, { address, tags: address.tags });
        address.tags = [];
      });
      app.addHook('onSend', async (request, reply, payload) => {
        const saved = before.get(request);
        if (saved && !ok(reply.statusCode)) saved.address.tags = saved.tags;
        return payload;
      });
    },
  },
  {
    name: 'tag-delete-removes-all',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'Deleting named tags removes every tag of the address.',
    install: (app) => aroundSuccess(app, TAGS_DELETE, principalAddress, (address) => (address.tags = [])),
  },
  {
    name: 'two-default-addresses',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'Marking an address default leaves the previous default marked too.',
    // The addresses that were default before a create or an update are marked default again.
    install: (app) => {
      const remark = (request: FastifyRequest) => {
        const customer = principalCustomer(request);
        return customer?.addresses.filter((address) => address.isDefault);
      };
      const restore = (defaults: { isDefault: boolean }[]) => {
        for (const address of defaults) address.isDefault = true;
      };
      aroundSuccess(app, ADDRESS_CREATE, remark, restore);
      aroundSuccess(app, ADDRESS_PATCH, remark, restore);
    },
  },
  {
    name: 'logout-keeps-refresh-token',
    kind: 'fault',
    category: 'state changed wrongly',
    description: 'Logout revokes the access token but its refresh token stays usable.',
    behaviour: { logout: { revokes: 'access' } },
  },
];
