// The customer's own addresses (/customer/{tenant}/me/addresses) and their tags.
//
// Default address rule: while a customer has any address, exactly one of them is the default.
//   - the first address becomes the default whatever `isDefault` says;
//   - `isDefault: true` (on create or PATCH) moves the default to that address;
//   - `isDefault: false` on the current default is ignored: the default only moves by marking
//     another address, so a customer never ends up with addresses and no default;
//   - deleting the default makes the oldest remaining address the default (none when no address is
//     left).
//
// Request bodies accept the fields of the reference's address DTOs (the address fields, `tags`,
// `mixins`, `metadata`, `isDefault`); any other name is refused with 400, like the other writable
// resources of the mock. An address of another customer is answered exactly like an unknown one.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { customerOf } from '../auth.ts';
import { invalidField, notFound } from '../errors.ts';
import { addressView, createdIdBody } from '../payloads.ts';
import { addressProperties, addressPropertiesFor } from '../schemas.ts';
import {
  ADDRESS_FIELD_NAMES,
  type AddressFields,
  type AddressRecord,
  type CustomerRecord,
} from '../store.ts';

interface TenantParams {
  tenant: string;
}

interface AddressParams extends TenantParams {
  addressId: string;
}

interface AddressInput extends AddressFields {
  isDefault?: boolean;
  metadata?: { version?: number; mixins?: Record<string, unknown> };
}

const customerOnly = { tokenKinds: ['customer'] } as const;
const BASE = '/customer/:tenant/me/addresses';
const MAX_TAGS = addressProperties.tags.maxItems;
const ONE = `${BASE}/:addressId`;

/** Create and update bodies; `country` is a two-letter code or free text (behaviour.checks.countryCode). */
function addressBodySchemas(countryCode: boolean) {
  const properties = { ...addressPropertiesFor(countryCode), isDefault: { type: 'boolean' } } as const;
  return {
    create: { type: 'object', additionalProperties: false, properties, required: ['contactName'] },
    update: { type: 'object', additionalProperties: false, properties },
  } as const;
}

function addressNotFound(addressId: string, customer: CustomerRecord) {
  return notFound(`Address ${addressId} of customer ${customer.customerNumber} not found.`);
}

function findAddress(customer: CustomerRecord, addressId: string): AddressRecord {
  const address = customer.addresses.find((a) => a.id === addressId);
  if (!address) throw addressNotFound(addressId, customer);
  return address;
}

/** contactName, when given, must say something. */
function checkContactName(input: AddressInput): void {
  if (input.contactName !== undefined && input.contactName.trim() === '') {
    throw invalidField('contactName', 'invalid_length', 'contactName must not be empty');
  }
}

/** Country codes are answered in upper case (ISO 3166-1 alpha-2), whatever case they were sent in. */
function upperCaseCountry<T extends AddressInput>(input: T): T {
  return input.country === undefined ? input : { ...input, country: input.country.toUpperCase() };
}

function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}

/** The tags named by `?tags=A,B` (repeating the parameter also works); 400 when none is named. */
function tagsOf(request: FastifyRequest): string[] {
  const raw = (request.query as Record<string, unknown> | undefined)?.tags;
  const values = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  const tags = values
    .filter((value): value is string => typeof value === 'string')
    .flatMap((value) => value.split(','))
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
  if (tags.length === 0) {
    throw invalidField('tags', 'missing_value', 'tags must name at least one tag (comma separated)');
  }
  return uniqueTags(tags);
}

function makeDefault(customer: CustomerRecord, address: AddressRecord): void {
  for (const other of customer.addresses) other.isDefault = other === address;
}

export default async function addressRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app;
  const { countryCode } = app.mockOptions.behaviour.checks;
  const schemas = addressBodySchemas(countryCode);
  // Free-text countries are kept as they were sent.
  const normalizeCountry = <T extends AddressInput>(input: T): T =>
    countryCode ? upperCaseCountry(input) : input;

  app.post<{ Params: TenantParams; Body: AddressInput }>(
    BASE,
    { config: customerOnly, schema: { body: schemas.create } },
    async (request, reply) => {
      const customer = customerOf(request);
      const { metadata, ...input } = normalizeCountry(request.body);
      checkContactName(input);
      const address = store.createAddress(request.params.tenant, customer, input);
      if (metadata?.mixins) address.metadata.mixins = structuredClone(metadata.mixins);
      return reply.code(201).send(createdIdBody(address.id));
    },
  );

  app.get<{ Params: TenantParams }>(BASE, { config: customerOnly }, async (request) =>
    customerOf(request).addresses.map(addressView),
  );

  app.get<{ Params: AddressParams }>(ONE, { config: customerOnly }, async (request) =>
    addressView(findAddress(customerOf(request), request.params.addressId)),
  );

  app.patch<{ Params: AddressParams; Body: AddressInput | undefined }>(
    ONE,
    { config: customerOnly, schema: { body: schemas.update } },
    async (request, reply) => {
      const customer = customerOf(request);
      const address = findAddress(customer, request.params.addressId);
      const input = normalizeCountry(request.body ?? {});
      checkContactName(input);
      // Validated as a whole above: from here on nothing can fail half-way.
      for (const name of ADDRESS_FIELD_NAMES) {
        const value = input[name];
        if (value !== undefined) address[name] = value;
      }
      if (input.tags !== undefined) address.tags = uniqueTags(input.tags);
      if (input.mixins !== undefined)
        address.mixins = { ...address.mixins, ...structuredClone(input.mixins) };
      if (input.metadata?.mixins !== undefined) {
        Object.assign(address.metadata.mixins, structuredClone(input.metadata.mixins));
      }
      if (input.isDefault === true) makeDefault(customer, address);
      store.touchAddress(address);
      return reply.code(200).send();
    },
  );

  app.delete<{ Params: AddressParams }>(ONE, { config: customerOnly }, async (request, reply) => {
    const customer = customerOf(request);
    const address = findAddress(customer, request.params.addressId);
    // Its id stays reserved on the tenant: it is never handed to another address.
    customer.addresses = customer.addresses.filter((a) => a !== address);
    const next = customer.addresses[0];
    if (address.isDefault && next) next.isDefault = true;
    return reply.code(204).send();
  });

  app.post<{ Params: AddressParams }>(`${ONE}/tags`, { config: customerOnly }, async (request, reply) => {
    const customer = customerOf(request);
    const address = findAddress(customer, request.params.addressId);
    const tags = tagsOf(request);
    const merged = uniqueTags([...address.tags, ...tags]);
    // The same bound as the `tags` array of an address body.
    if (merged.length > MAX_TAGS) {
      throw invalidField('tags', 'invalid_length', `an address has at most ${MAX_TAGS} tags`);
    }
    address.tags = merged;
    store.touchAddress(address);
    return reply.code(204).send();
  });

  app.delete<{ Params: AddressParams }>(`${ONE}/tags`, { config: customerOnly }, async (request, reply) => {
    const customer = customerOf(request);
    const address = findAddress(customer, request.params.addressId);
    const named = new Set(tagsOf(request));
    address.tags = address.tags.filter((tag) => !named.has(tag));
    store.touchAddress(address);
    return reply.code(204).send();
  });
}
