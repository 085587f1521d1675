// The routes of this chapter (accounts/internal, password reset, update and change, and email change and confirm) live here.

import type { FastifyInstance } from 'fastify';

export default async function credentialRoutes(_app: FastifyInstance): Promise<void> {}
