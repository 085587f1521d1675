// Configuration of the mock tenant: who it serves (tenants, keys, seed customers), how it behaves
// (behaviour.ts), and the layers added from outside. The CLI's flags are read in cli-options.ts.

import type { FastifyInstance } from 'fastify';
import {
  behaviourProblems,
  defaultBehaviour,
  mergeBehaviour,
  type Behaviour,
  type BehaviourPatch,
} from './behaviour.ts';
import { DEFAULT_EXCHANGE_CONFIGS } from './contract.ts';

export type { Behaviour, BehaviourPatch, Lifetimes } from './behaviour.ts';

export interface EmployeeClient {
  clientId: string;
  clientSecret: string;
}

export interface SeedCustomer {
  email: string;
  password: string;
}

/**
 * Something added to the neutral mock from outside: a change of its behaviour, hooks, or both.
 * The server knows no layer by name; it merges the behaviour of each layer in order over the
 * options' behaviour, and calls each `install` after the tenant check and before authentication
 * (so an onRequest hook may still change the Authorization header), before any route exists.
 */
export interface MockLayer {
  readonly name: string;
  /** Merged over the behaviour so far; a function receives that behaviour (to set relative values). */
  readonly behaviour?: BehaviourPatch | ((current: Behaviour) => BehaviourPatch);
  /** Adds hooks (onRequest, preHandler, onSend, ...) to the app; any state it keeps lives in its closure. */
  readonly install?: (app: FastifyInstance) => void;
}

export interface MockOptions {
  host: string;
  port: number;
  tenants: string[];
  storefrontClientIds: string[];
  employeeClients: EmployeeClient[];
  seedCustomers: SeedCustomer[];
  /** Token exchange `config` ids the tenants know besides the default one (no `config`). */
  exchangeConfigs: string[];
  behaviour: Behaviour;
  /** Clock in milliseconds; tests pass a fake one to watch tokens expire. */
  now: () => number;
  logger: boolean;
  /** Layers (variants of the mock) in the order they apply; none by default. */
  layers: readonly MockLayer[];
}

/** What buildMockServer() accepts: any option, and any part of the behaviour. */
export type MockOptionsInput = Partial<Omit<MockOptions, 'behaviour'>> & { behaviour?: BehaviourPatch };

export const TENANT_PATTERN = /^[a-z][a-z0-9]+$/;

export function isValidTenantName(name: string): boolean {
  return name.length >= 3 && name.length <= 16 && TENANT_PATTERN.test(name);
}

export function defaultMockOptions(): MockOptions {
  return {
    host: '127.0.0.1',
    port: 4010,
    tenants: ['mocktenant', 'othertenant'],
    storefrontClientIds: ['mock-storefront-client'],
    employeeClients: [{ clientId: 'mock-service-client', clientSecret: 'mock-service-secret' }],
    seedCustomers: [{ email: 'seed.customer@example.com', password: 'Seed-Passw0rd!' }],
    exchangeConfigs: [...DEFAULT_EXCHANGE_CONFIGS],
    behaviour: defaultBehaviour(),
    now: () => Date.now(),
    logger: false,
    layers: [],
  };
}

/**
 * Merges the input over the defaults: the behaviour field by field, then each layer's behaviour in
 * order. Throws when the resulting behaviour cannot be served (e.g. a negative lifetime).
 */
export function resolveMockOptions(input: MockOptionsInput = {}): MockOptions {
  const defaults = defaultMockOptions();
  let behaviour = mergeBehaviour(defaults.behaviour, input.behaviour);
  for (const layer of input.layers ?? []) {
    const patch = typeof layer.behaviour === 'function' ? layer.behaviour(behaviour) : layer.behaviour;
    behaviour = mergeBehaviour(behaviour, patch);
  }
  const problems = behaviourProblems(behaviour);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return { ...defaults, ...input, behaviour, layers: [...(input.layers ?? [])] };
}
