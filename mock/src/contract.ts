// Which vendor documents the mock serves. The December 2025 reference and the August 2026 one differ
// in three operations of the customer-managed API:
//
//   2026-08 removed   DELETE /customer/{tenant}/me
//                     POST   /customer/{tenant}/me/accounts/internal
//   2026-08 added     POST   /customer/{tenant}/exchangeauthtoken
//
// (The tenant-managed POST /customers/{customerNumber}/accounts/internal, also removed in 2026-08,
// was never served by this mock.) `contract: 'all'` (the default) serves every operation either
// version documents, so one suite run walks the whole lifecycle. Under one version, an operation that
// version does not document is answered as an unknown route is: the route stays registered, and a
// gate sends the request to the not-found handler before any tenant, fault or token check, so the
// answer is the same 404 `resource_not_found` an unknown path gets.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from './errors.ts';
import type { MockOptions } from './options.ts';

export const CONTRACT_VERSIONS = ['2025-12', '2026-08', 'all'] as const;
export type ContractVersion = (typeof CONTRACT_VERSIONS)[number];

/** Route keys (`METHOD /fastify/:pattern`) of the operations each version does not document. */
const NOT_DOCUMENTED: Record<ContractVersion, readonly string[]> = {
  '2025-12': ['POST /customer/:tenant/exchangeauthtoken'],
  '2026-08': ['DELETE /customer/:tenant/me', 'POST /customer/:tenant/me/accounts/internal'],
  all: [],
};

/** Token exchange configuration ids a tenant knows besides the default (no `config` parameter). */
export const DEFAULT_EXCHANGE_CONFIGS = ['site_PL', 'site_DE'] as const;

/** A configuration id: letters, digits, '_' and '-', 1 to 64 characters. */
const CONFIG_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isContractVersion(value: string): value is ContractVersion {
  return (CONTRACT_VERSIONS as readonly string[]).includes(value);
}

/** Whether the route (`METHOD /pattern`) is served under the contract. */
export function isServed(contract: ContractVersion, routeKey: string): boolean {
  return !NOT_DOCUMENTED[contract].includes(routeKey);
}

function routeKeyOf(request: FastifyRequest): string | undefined {
  const url = request.routeOptions.url;
  return url === undefined ? undefined : `${request.method} ${url}`;
}

function patternOf(routeKey: string): { method: string; path: RegExp } {
  const [method = '', url = ''] = routeKey.split(' ');
  const path = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, path: new RegExp(`^${path}/?$`) };
}

/** Whether a request (method and path, no query) names an operation the contract does not document. */
export function hidesRequest(contract: ContractVersion, method: string, path: string): boolean {
  return NOT_DOCUMENTED[contract].some((key) => {
    const pattern = patternOf(key);
    return pattern.method === method && pattern.path.test(path);
  });
}

/**
 * Installs the gate for the operations the selected contract does not document. Call first, before
 * the tenant check, the faults and authentication. Registers nothing under `all`.
 */
export function installContractGate(app: FastifyInstance, options: Pick<MockOptions, 'contract'>): void {
  const hidden = NOT_DOCUMENTED[options.contract];
  if (hidden.length === 0) return;
  const patterns = hidden.map(patternOf);

  app.addHook('onRequest', async (request, reply) => {
    const key = routeKeyOf(request);
    if (key === undefined || isServed(options.contract, key)) return;
    reply.callNotFound();
    return reply;
  });

  // A wrong method on a path whose only other methods are hidden is a 404 too, and 405's Allow
  // header does not offer a hidden method.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 405) return payload;
    const path = (request.url.split('?')[0] ?? '').replace(/\/{2,}/g, '/');
    const hiddenHere = new Set(patterns.filter((p) => p.path.test(path)).map((p) => p.method));
    if (hiddenHere.size === 0) return payload;
    const allow = String(reply.getHeader('allow') ?? '')
      .split(',')
      .map((method) => method.trim())
      .filter((method) => method !== '' && !hiddenHere.has(method));
    if (allow.some((method) => method !== 'HEAD')) {
      reply.header('allow', allow.join(', '));
      return payload;
    }
    reply.removeHeader('allow');
    reply.code(404);
    return JSON.stringify(errorBody(404, 'resource_not_found', `No resource at ${request.method} ${path}.`));
  });
}

/**
 * Reads `--contract` and `--exchange-configs` (or MOCK_CONTRACT, MOCK_EXCHANGE_CONFIGS) into the
 * options; each problem found is appended to `errors`.
 */
export function parseContractOptions(
  values: Record<string, string | undefined>,
  options: Pick<MockOptions, 'contract' | 'exchangeConfigs'>,
  errors: string[],
): void {
  const contract = values['--contract']?.trim();
  if (contract !== undefined && contract !== '') {
    if (isContractVersion(contract)) options.contract = contract;
    else
      errors.push(
        `--contract/MOCK_CONTRACT: expected one of ${CONTRACT_VERSIONS.join(', ')}, got '${contract}'`,
      );
  }
  const configs = values['--exchange-configs'];
  if (configs !== undefined) {
    const ids = configs
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const bad = ids.filter((id) => !CONFIG_ID.test(id));
    for (const id of bad) {
      errors.push(
        `--exchange-configs/MOCK_EXCHANGE_CONFIGS: a config id has 1 to 64 letters, digits, '_' or '-', got '${id}'`,
      );
    }
    if (bad.length === 0) options.exchangeConfigs = [...new Set(ids)];
  }
}
