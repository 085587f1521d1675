// The routes of this chapter (addresses and address tags under /customer/{tenant}/me/addresses) live here.

import type { FastifyInstance } from 'fastify';

export default async function addressRoutes(_app: FastifyInstance): Promise<void> {}
