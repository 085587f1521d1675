// The routes of this chapter (GET, PATCH and DELETE /customer/{tenant}/me) live here.

import type { FastifyInstance } from 'fastify';

export default async function profileRoutes(_app: FastifyInstance): Promise<void> {}
