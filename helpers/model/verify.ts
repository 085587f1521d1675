// Read-backs: after a change, the model's state is read back from every endpoint that shows it and
// compared field by field. Each comparison returns findings (helpers/findings.ts); the command that
// called it enforces them. Fields the model does not follow (lastLogin, mixins, extra fields of a
// server) are not compared; lists are compared as sets, since the documents fix no order.
import type { ApiResponse, CallOptions } from '../api-client.ts';
import type { OperationId } from '../catalog.ts';
import { check, type Finding, type Requirement } from '../findings.ts';
import {
  MODEL_ADDRESS_DEFAULT,
  MODEL_ADDRESS_DELETED,
  MODEL_ADDRESS_READ_BACK,
  MODEL_ADDRESS_TAGS,
  MODEL_CREDENTIALS,
  MODEL_EMPLOYEE_VIEW,
  MODEL_ISOLATION,
  MODEL_STATUS,
  MODEL_PROFILE_OWN,
  MODEL_PROFILE_READ_BACK,
  MODEL_PROFILE_VERSION,
  MODEL_SESSION_KEPT,
  MODEL_TOKEN_VALIDATES,
} from '../requirements/index.ts';
import {
  ADDRESS_FIELDS,
  PROFILE_FIELDS,
  loginsOf,
  sortedTags,
  type Model,
  type ModelAddress,
  type ModelCustomer,
  type ModelSession,
  type ModelToken,
} from './state.ts';
import type { System } from './system.ts';

type Json = Record<string, unknown>;

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

export function record(body: unknown): Json {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : {};
}

export function label(response: ApiResponse): string {
  return `${response.operation.method} ${response.operation.path}`;
}

/** The status the model predicts. */
export function expectStatus(
  response: ApiResponse,
  expected: number | readonly number[],
  why: string,
  req: Requirement = MODEL_STATUS,
): Finding[] {
  const list = typeof expected === 'number' ? [expected] : expected;
  return check(req, list.includes(response.status), () => ({
    operation: label(response),
    expected: `status ${list.join(' or ')} (${why})`,
    received: `status ${response.status}`,
  }));
}

/** A login or refresh answers the session id of the anonymous session it was made on. */
export function checkSessionKept(response: ApiResponse, session: ModelSession): Finding[] {
  const body = record(response.body);
  return check(MODEL_SESSION_KEPT, body.session_id === session.sessionId, () => ({
    operation: label(response),
    field: 'session_id',
    expected: `${session.label}'s session id`,
    received: JSON.stringify(body.session_id),
  }));
}

/** The profile fields the model follows. */
const FOLLOWED = [...PROFILE_FIELDS, 'contactEmail', 'preferredCurrency'] as const;

/** Profile fields, accounts and version of a GET /me or employee answer. */
export function compareProfile(
  customer: ModelCustomer,
  response: ApiResponse,
  req: Requirement,
  where: string,
): Finding[] {
  const body = record(response.body);
  const operation = label(response);
  const findings: Finding[] = [];
  const own = check(MODEL_PROFILE_OWN, body.customerNumber === customer.customerNumber, () => ({
    operation,
    field: 'customerNumber',
    expected: `${customer.label}'s ${customer.customerNumber} (${where})`,
    received: show(body.customerNumber),
    hint: "the answer is another customer's profile: a cache or a token keyed by the wrong thing",
  }));
  if (own.length > 0) return own;
  for (const field of FOLLOWED) {
    const expected = customer.profile[field];
    if (expected === undefined) continue;
    const received = body[field];
    const same =
      field === 'contactEmail'
        ? typeof received === 'string' && received.toLowerCase() === expected.toLowerCase()
        : received === expected;
    findings.push(
      ...check(req, same, () => ({
        operation,
        field,
        expected: `${show(expected)} (${where})`,
        received: show(received),
      })),
    );
  }
  if (Array.isArray(body.accounts)) {
    const ids = body.accounts.map((a) => String(record(a).id ?? '').toLowerCase()).sort();
    const expected = loginsOf(customer).sort();
    findings.push(
      // In the employee's view a stale list is that view's fault; in GET /me, the credentials'.
      ...check(
        req === MODEL_PROFILE_READ_BACK ? MODEL_CREDENTIALS : req,
        JSON.stringify(ids) === JSON.stringify(expected),
        () => ({
          operation,
          field: 'accounts[].id',
          expected: `${show(expected)} (${where})`,
          received: show(ids),
        }),
      ),
    );
  }
  const version = record(body.metadata).version;
  if (typeof version === 'number') {
    const holds = customer.versionExact ? version === customer.version : version >= customer.version;
    findings.push(
      ...check(MODEL_PROFILE_VERSION, holds, () => ({
        operation,
        field: 'metadata.version',
        expected: `${customer.versionExact ? '' : 'at least '}${customer.version} (${where})`,
        received: show(version),
      })),
    );
    customer.version = version;
    customer.versionExact = true;
  }
  return findings;
}

/** One address as a server shows it, against the model. */
export function compareAddress(
  customer: ModelCustomer,
  address: ModelAddress,
  shown: Json,
  operation: string,
  where: string,
  req: Requirement = MODEL_ADDRESS_READ_BACK,
): Finding[] {
  const findings: Finding[] = [];
  for (const field of [...ADDRESS_FIELDS, 'country'] as const) {
    const expected = address.fields[field];
    if (expected === undefined) continue;
    findings.push(
      ...check(req, shown[field] === expected, () => ({
        operation,
        field: `${address.label}.${field}`,
        expected: `${show(expected)} (${where})`,
        received: show(shown[field]),
      })),
    );
  }
  const tags = Array.isArray(shown.tags) ? sortedTags(shown.tags.map(String)) : [];
  findings.push(
    ...check(
      req === MODEL_ADDRESS_READ_BACK ? MODEL_ADDRESS_TAGS : req,
      JSON.stringify(tags) === JSON.stringify(address.tags),
      () => ({
        operation,
        field: `${address.label}.tags`,
        expected: `${show(address.tags)} (${where})`,
        received: show(tags),
      }),
    ),
  );
  if (customer.defaultId !== null && customer.defaultId !== 'unknown') {
    const expected = customer.defaultId === address.id;
    findings.push(
      ...check(
        req === MODEL_ADDRESS_READ_BACK ? MODEL_ADDRESS_DEFAULT : req,
        (shown.isDefault === true) === expected,
        () => ({
          operation,
          field: `${address.label}.isDefault`,
          expected: `${expected} (${where})`,
          received: show(shown.isDefault),
        }),
      ),
    );
  }
  return findings;
}

/** A whole address list (the list operation, or GET /me?expand=addresses), compared as a set. */
export function compareAddressList(
  customer: ModelCustomer,
  list: unknown,
  operation: string,
  where: string,
  req: Requirement = MODEL_ADDRESS_READ_BACK,
): Finding[] {
  const items = Array.isArray(list) ? list.map(record) : [];
  const byId = new Map(items.map((item) => [String(item.id), item]));
  const expectedIds = customer.addresses.map((a) => a.id).sort();
  const receivedIds = [...byId.keys()].sort();
  const findings = check(req, JSON.stringify(expectedIds) === JSON.stringify(receivedIds), () => ({
    operation,
    field: `${customer.label}'s address ids`,
    expected: `${show(customer.addresses.map((a) => `${a.label}=${a.id}`))} (${where})`,
    received: show(receivedIds),
    ...(receivedIds.length > expectedIds.length
      ? { hint: 'an address the model deleted, or never made, is still listed' }
      : {}),
  }));
  for (const address of customer.addresses) {
    const shown = byId.get(address.id);
    if (shown) findings.push(...compareAddress(customer, address, shown, operation, where, req));
  }
  const defaults = items.filter((item) => item.isDefault === true).map((item) => String(item.id));
  if (customer.addresses.length > 0) {
    findings.push(
      ...check(req === MODEL_ADDRESS_READ_BACK ? MODEL_ADDRESS_DEFAULT : req, defaults.length === 1, () => ({
        operation,
        field: `${customer.label}'s default address`,
        expected: `exactly one address with isDefault true (${where})`,
        received: `${defaults.length}: ${show(defaults)}`,
      })),
    );
  }
  // Which address follows a deleted default is not documented: the first read tells.
  if (customer.defaultId === 'unknown' && defaults.length === 1 && byId.size === customer.addresses.length)
    customer.defaultId = defaults[0] ?? 'unknown';
  return findings;
}

// ---- read-backs through the server ----

/**
 * Sends a read-back: any status but 200 is the finding (`why` it should be 200, under `req`), a 200
 * is `judge`d.
 */
async function readOk(
  sys: System,
  id: OperationId,
  options: CallOptions,
  why: string,
  judge: (response: ApiResponse) => Finding[],
  req: Requirement = MODEL_STATUS,
): Promise<Finding[]> {
  const response = await sys.call(id, options);
  const status = expectStatus(response, 200, why, req);
  return status.length > 0 ? status : judge(response);
}

/** GET /me with the token: the whole profile, and the addresses with expand. */
export function readProfile(
  sys: System,
  customer: ModelCustomer,
  token: ModelToken,
  expand: boolean,
  where: string,
): Promise<Finding[]> {
  const options = { token: token.access, ...(expand ? { query: { expand: 'addresses' } } : {}) };
  return readOk(
    sys,
    'GET-customer-retrieve-customer-profile',
    options,
    `${token.label} is live`,
    (response) => {
      const findings = compareProfile(customer, response, MODEL_PROFILE_READ_BACK, where);
      if (expand && findings.every((f) => f.code !== MODEL_PROFILE_OWN.code))
        findings.push(
          ...compareAddressList(
            customer,
            record(response.body).addresses,
            `${label(response)}?expand=addresses`,
            where,
          ),
        );
      return findings;
    },
  );
}

/** The employee's view of the customer: the same profile, active and not on hold. */
export function readAsEmployee(sys: System, customer: ModelCustomer, where: string): Promise<Finding[]> {
  const options = { path: { customerNumber: customer.customerNumber }, token: sys.employeeToken };
  return readOk(
    sys,
    'GET-customer-tenant-retrieve-customer',
    options,
    `${customer.label} exists`,
    (response) => {
      const body = record(response.body);
      return [
        ...compareProfile(customer, response, MODEL_EMPLOYEE_VIEW, where),
        ...check(MODEL_EMPLOYEE_VIEW, body.active === true && body.onHold === false, () => ({
          operation: label(response),
          field: 'active, onHold',
          expected: `true, false (${customer.label} was activated)`,
          received: `${show(body.active)}, ${show(body.onHold)}`,
        })),
      ];
    },
  );
}

export function readAddressList(
  sys: System,
  customer: ModelCustomer,
  token: ModelToken,
  where: string,
  req: Requirement = MODEL_ADDRESS_READ_BACK,
): Promise<Finding[]> {
  return readOk(
    sys,
    'GET-customer-list-customer-addresses',
    { token: token.access },
    `${token.label} is live`,
    (response) => compareAddressList(customer, response.body, label(response), where, req),
  );
}

export function readAddress(
  sys: System,
  customer: ModelCustomer,
  token: ModelToken,
  address: ModelAddress,
  where: string,
): Promise<Finding[]> {
  return readOk(
    sys,
    'GET-customer-retrieve-address-by-id',
    { path: { addressId: address.id }, token: token.access },
    `${address.label} belongs to ${customer.label}`,
    (response) => compareAddress(customer, address, record(response.body), label(response), where),
  );
}

/** The address is gone: 404 when read by its former owner. */
export async function readDeletedAddress(
  sys: System,
  token: ModelToken,
  address: ModelAddress,
): Promise<Finding[]> {
  const response = await sys.call('GET-customer-retrieve-address-by-id', {
    path: { addressId: address.id },
    token: token.access,
  });
  return expectStatus(response, 404, `${address.label} was deleted`, MODEL_ADDRESS_DELETED);
}

/**
 * Isolation after a change by `customer`: another customer's addresses are as the model has them,
 * and that customer cannot read `address` (404, like an unknown id).
 */
export async function readIsolation(
  sys: System,
  model: Model,
  customer: ModelCustomer,
  address: ModelAddress | undefined,
): Promise<Finding[]> {
  const other = model.tokens.find((t) => t.live && t.customer !== customer);
  if (!other) return [];
  const where = `after ${customer.label}'s change; ${other.customer.label}'s own data`;
  const findings = await readAddressList(sys, other.customer, other, where, MODEL_ISOLATION);
  if (address) {
    const response = await sys.call('GET-customer-retrieve-address-by-id', {
      path: { addressId: address.id },
      token: other.access,
    });
    findings.push(
      ...check(MODEL_ISOLATION, response.status === 404, () => ({
        operation: label(response),
        field: address.label,
        expected: `status 404: ${other.customer.label} (${other.label}) reads ${customer.label}'s address`,
        received: `status ${response.status}${response.status === 200 ? ` with ${customer.label}'s address` : ''}`,
      })),
    );
  }
  return findings;
}

/** validateauthtoken: the token's session and its customer's current login email. */
export function readValidation(sys: System, token: ModelToken, where: string): Promise<Finding[]> {
  const options = { token: token.access };
  return readOk(sys, 'GET-customer-validate-token', options, `${token.label} is live`, (response) => {
    const body = record(response.body);
    return [
      ...check(MODEL_TOKEN_VALIDATES, body.sessionId === token.session.sessionId, () => ({
        operation: label(response),
        field: 'sessionId',
        expected: `${token.session.label}'s session id (${where})`,
        received: show(body.sessionId),
      })),
      ...(token.validateEmail === null
        ? []
        : check(
            MODEL_TOKEN_VALIDATES,
            typeof body.email === 'string' && body.email.toLowerCase() === token.validateEmail.toLowerCase(),
            () => ({
              operation: label(response),
              field: 'email',
              expected: `${show(token.validateEmail)} (${where})`,
              received: show(body.email),
            }),
          )),
    ];
  });
}

/** The token still works and reads its own customer. */
export function readTokenWorks(
  sys: System,
  token: ModelToken,
  req: Requirement,
  where: string,
): Promise<Finding[]> {
  const options = { token: token.access };
  const why = `${token.label} should still work (${where})`;
  return readOk(
    sys,
    'GET-customer-retrieve-customer-profile',
    options,
    why,
    (response) => {
      const number = record(response.body).customerNumber;
      return check(MODEL_PROFILE_OWN, number === token.customer.customerNumber, () => ({
        operation: label(response),
        field: 'customerNumber',
        expected: `${token.customer.label}'s ${token.customer.customerNumber} (${token.label})`,
        received: show(number),
      }));
    },
    req,
  );
}

/** The token no longer works: 401. */
export async function readTokenRevoked(
  sys: System,
  token: ModelToken,
  req: Requirement,
  where: string,
): Promise<Finding[]> {
  const response = await sys.call('GET-customer-retrieve-customer-profile', { token: token.access });
  return expectStatus(response, 401, `${token.label} was revoked (${where})`, req);
}
