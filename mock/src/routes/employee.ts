// Tenant-managed customer operations an employee token may call: read, update (activation) and
// delete one customer.

import type { FastifyInstance } from 'fastify';
import { applyProfilePatch, checkVersion, type ProfileInput } from '../customers.ts';
import { notFound } from '../errors.ts';
import { employeeCustomerView } from '../payloads.ts';
import { employeePatchBodySchema } from '../schemas.ts';

interface CustomerParams {
  tenant: string;
  customerNumber: string;
}

interface EmployeePatch extends ProfileInput {
  active?: boolean;
  onHold?: boolean;
}

const PATH = '/customer/:tenant/customers/:customerNumber';
const config = { tokenKinds: ['employee'] } as const;

function customerNotFound(customerNumber: string) {
  return notFound(`Customer ${customerNumber} not found.`);
}

export default async function employeeRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: CustomerParams; Querystring: { expand?: string } }>(
    PATH,
    { config, schema: { querystring: { type: 'object', properties: { expand: { type: 'string' } } } } },
    async (request) => {
      const { tenant, customerNumber } = request.params;
      const customer = app.store.getCustomer(tenant, customerNumber);
      if (!customer) throw customerNotFound(customerNumber);
      const expand = (request.query.expand ?? '').split(',').map((part) => part.trim());
      return employeeCustomerView(customer, { expandAddresses: expand.includes('addresses') });
    },
  );

  app.patch<{ Params: CustomerParams; Body: EmployeePatch }>(
    PATH,
    { config, schema: { body: employeePatchBodySchema } },
    async (request, reply) => {
      const { tenant, customerNumber } = request.params;
      const customer = app.store.getCustomer(tenant, customerNumber);
      if (!customer) throw customerNotFound(customerNumber);
      const body = request.body;
      checkVersion(customer, body);
      applyProfilePatch(customer, body);
      if (body.active !== undefined) customer.active = body.active;
      if (body.onHold !== undefined) customer.onHold = body.onHold;
      app.store.touch(customer);
      return reply.code(200).send();
    },
  );

  app.delete<{ Params: CustomerParams }>(PATH, { config }, async (request, reply) => {
    const { tenant, customerNumber } = request.params;
    if (!app.store.deleteCustomer(tenant, customerNumber)) throw customerNotFound(customerNumber);
    return reply.code(202).send();
  });
}
