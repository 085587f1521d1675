// The registry of deliberate deviations from docs/behaviour.md, to measure what the conformance
// suite detects. Every entry is a *fault* (the server breaks the contract; a good suite fails) or a
// *benign* variant (the server differs from this mock but still conforms; a good suite passes).
// Entries are switched on with `--fault NAME` (repeatable) or `MOCK_FAULT=a,b`.
//
// The mock's core (store, tokens, routes, server) knows nothing of this registry. Each switched-on
// entry becomes a layer (faultLayers() below) that the server applies from outside: it changes the
// core's `behaviour` (behaviour.ts), adds hooks, or both. An entry shows its whole effect in its own
// definition. With no entry switched on, no layer and no hook is added.
//
// ## The shape of an entry (FaultEntry, entry.ts)
//
//   {
//     name: 'kebab-case-name',          // unique; what --fault takes
//     kind: 'fault' | 'benign',
//     category: 'missing field',        // a short group name for the report
//     description: 'One sentence ending with a period.',
//     waitBound?: true,                 // slow without CPU (latency): the kill matrix adds workers
//     profile?: 'documented',           // run the suite with EMPORIX_PROFILE=documented (benign only)
//
//     // How it takes effect, any combination:
//     behaviour?: { checks: { uniqueLogin: false } },              // settings of the core
//     behaviour?: ({ lifetimes }) => ({ lifetimes: { ... } }),      // ... relative to the current ones
//     shape?: { routes?: [SIGNUP], status?: is(201), apply: (ctx) => setStatus(ctx, 200) },
//                                       // rewrites answers in one shared onSend hook (ShapeContext)
//     onRequest?: (request, reply) => ...,  // before authentication (auth holes)
//     preValidation?: (request) => ...,     // after parsing, before validation
//     preHandler?: (request) => ...,        // after authentication, before the handler
//     install?: (app) => { app.addHook(...) },  // anything else; state lives in the closure, per app
//   }
//
// Route keys (`'POST /customer/:tenant/signup'`) and the shaping helpers (onObject, onEach, is,
// ok, setStatus, setContentType, renameField, actAsSeedCustomer, routeKey, principalCustomer, ...)
// are in shaping.ts, with the constructors of entries of a common shape (statusRewrite,
// fieldsDropped, fieldRenamed, fieldsRetyped), which state only what differs. Entries are grouped by kind in responses.ts, state.ts, auth.ts, validation.ts,
// contract.ts (the 2026-08 contract's faults), benign.ts, documented.ts and sequence.ts (faults only
// exploration finds); a new group is a new file whose array is added to ENTRIES below.
//
// A new entry also needs its check in the CHECKS table of mock/test/faults.test.ts (sequence faults:
// faults-sequence.test.ts; the 2026-08 contract's: faults-contract.test.ts), which fails for an entry
// without one. A state fault becomes a `behaviour` setting where behaviour.ts has one, else an
// `install` that skips or undoes the handler's work from hooks around it (see state.ts).

import type { FastifyInstance } from 'fastify';
import type { MockLayer } from '../options.ts';
import { AUTH_FAULTS } from './auth.ts';
import { BENIGN_VARIANTS } from './benign.ts';
import { CONTRACT_FAULTS } from './contract.ts';
import { DOCUMENTED_VARIANTS } from './documented.ts';
import type { FaultDefinition, FaultEntry, ShapeContext, Shaping } from './entry.ts';
import { RESPONSE_FAULTS } from './responses.ts';
import { routeKey } from './shaping.ts';
import { SEQUENCE_FAULTS } from './sequence.ts';
import { STATE_FAULTS } from './state.ts';
import { VALIDATION_FAULTS } from './validation.ts';

export type { FaultDefinition } from './entry.ts';

const ENTRIES: readonly FaultEntry[] = [
  ...RESPONSE_FAULTS,
  ...STATE_FAULTS,
  ...AUTH_FAULTS,
  ...VALIDATION_FAULTS,
  ...CONTRACT_FAULTS, // token exchange, contactEmail and the 2026-08 removals
  ...SEQUENCE_FAULTS, // only an order of requests or a second customer shows them (exploration)
  ...BENIGN_VARIANTS,
  ...DOCUMENTED_VARIANTS,
];

const BY_NAME: ReadonlyMap<string, FaultEntry> = new Map(ENTRIES.map((entry) => [entry.name, entry]));

/** The registry without the hooks: name, kind, category, description, waitBound, profile. */
export const FAULT_REGISTRY: readonly FaultDefinition[] = ENTRIES.map((entry) => ({
  name: entry.name,
  kind: entry.kind,
  category: entry.category,
  description: entry.description,
  ...(entry.waitBound ? { waitBound: true } : {}),
  ...(entry.profile ? { profile: entry.profile } : {}),
}));

export function isKnownFault(name: string): boolean {
  return BY_NAME.has(name);
}

/** The registry as `--list-faults` prints it. */
export function formatFaultList(): string {
  const width = Math.max(...FAULT_REGISTRY.map((entry) => entry.name.length));
  const lines: string[] = [];
  for (const kind of ['fault', 'benign'] as const) {
    const entries = FAULT_REGISTRY.filter((entry) => entry.kind === kind);
    lines.push(kind === 'fault' ? `Faults (${entries.length}):` : `\nBenign variants (${entries.length}):`);
    for (const entry of entries) {
      const profile = entry.profile ? ` (profile: ${entry.profile})` : '';
      lines.push(`  ${entry.name.padEnd(width)}  [${entry.category}]${profile} ${entry.description}`);
    }
  }
  lines.push(
    '',
    'Entries without a profile are run in the strict profile; "profile: documented" entries make a choice',
    "the vendor's documents allow, and the kill matrix runs the suite against them with EMPORIX_PROFILE=documented.",
  );
  return `${lines.join('\n')}\n`;
}

/** The hooks of one entry (its behaviour is applied by the server, before any hook runs). */
function installEntry(app: FastifyInstance, entry: FaultEntry): void {
  const { onRequest, preValidation, preHandler } = entry;
  if (onRequest) app.addHook('onRequest', async (request, reply) => onRequest(request, reply));
  if (preValidation) app.addHook('preValidation', async (request) => preValidation(request));
  if (preHandler) app.addHook('preHandler', async (request) => preHandler(request));
  entry.install?.(app);
}

/** One onSend hook for every `shape` of the switched-on entries: the JSON body is parsed once. */
function installShapes(app: FastifyInstance, shapes: readonly Shaping[]): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/_mock/')) return payload;
    const route = routeKey(request);
    const status = reply.statusCode;
    const matching = shapes.filter(
      (shape) => (!shape.routes || shape.routes.includes(route)) && (!shape.status || shape.status(status)),
    );
    if (matching.length === 0) return payload;
    const text =
      typeof payload === 'string' ? payload : payload === undefined || payload === null ? '' : undefined;
    if (text === undefined) return payload;
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return payload;
      }
    }
    const header = reply.getHeader('content-type');
    const ctx: ShapeContext = {
      route,
      request,
      status,
      body,
      contentType: typeof header === 'string' ? header : undefined,
      headers: {},
    };
    for (const shape of matching) shape.apply(ctx);
    if (ctx.status !== status) reply.code(ctx.status);
    for (const [name, value] of Object.entries(ctx.headers)) reply.header(name, value);
    if (ctx.text === '') {
      // No body at all: no content type either.
      reply.removeHeader('content-type');
      return '';
    }
    if (ctx.body === undefined && ctx.text === undefined) return payload;
    reply.header('content-type', ctx.contentType ?? 'application/json; charset=utf-8');
    return ctx.text ?? JSON.stringify(ctx.body);
  });
}

/**
 * The switched-on entries as layers for buildMockServer({ layers }), in registry order: one per
 * entry (its behaviour and hooks), then one for all their answer shapes. Throws on an unknown name.
 */
export function faultLayers(names: readonly string[]): MockLayer[] {
  const unknown = names.filter((name) => !isKnownFault(name));
  if (unknown.length > 0) throw new Error(`unknown fault(s): ${unknown.join(', ')} (see --list-faults)`);
  const active = ENTRIES.filter((entry) => names.includes(entry.name));
  const layers: MockLayer[] = active.map((entry) => ({
    name: entry.name,
    ...(entry.behaviour ? { behaviour: entry.behaviour } : {}),
    install: (app: FastifyInstance) => installEntry(app, entry),
  }));
  const shapes = active.flatMap((entry) => (entry.shape ? [entry.shape] : []));
  if (shapes.length > 0) layers.push({ name: 'answer shapes', install: (app) => installShapes(app, shapes) });
  return layers;
}
