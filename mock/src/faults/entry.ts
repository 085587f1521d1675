// The shape of one registry entry (documented with examples in index.ts).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MockLayer } from '../options.ts';

export type FaultKind = 'fault' | 'benign';

/**
 * The suite profile (EMPORIX_PROFILE) the kill matrix runs an entry in; absent means `strict`.
 * `documented`: only findings against the vendor's documents fail, so a variant that makes a choice
 * the documents leave open must pass there.
 */
export type FaultProfile = 'documented';

/** What the registry tells about an entry (no hooks): what --list-faults and the kill matrix read. */
export interface FaultDefinition {
  name: string;
  kind: FaultKind;
  category: string;
  /** One sentence: how the server deviates, or why the variant still conforms. */
  description: string;
  /**
   * Answers are slow without costing CPU (added latency), so a suite run against this variant may
   * use more parallel workers than the machine has cores.
   */
  waitBound?: boolean;
  profile?: FaultProfile;
}

/** What the onSend hook hands to a shaping function; it edits the fields in place. */
export interface ShapeContext {
  readonly route: string;
  readonly request: FastifyRequest;
  status: number;
  /** The parsed JSON body; undefined when the answer has none. */
  body: unknown;
  /** Raw text that replaces the serialized body (pretty printing; '' sends no body at all). */
  text?: string;
  contentType: string | undefined;
  headers: Record<string, string>;
}

export interface Shaping {
  /** `METHOD /route/:pattern` keys; absent means every route except the test-only ones. */
  routes?: readonly string[];
  status?: (status: number) => boolean;
  apply: (ctx: ShapeContext) => void;
}

/** A registry entry: its definition and how it takes effect (any combination of the fields below). */
export interface FaultEntry extends FaultDefinition {
  /** Settings of the neutral core (behaviour.ts) this entry changes. */
  behaviour?: MockLayer['behaviour'];
  /** Rewrites answers (status, body, headers) in one shared onSend hook. */
  shape?: Shaping;
  /** Runs before authentication (an auth hole may change the Authorization header here). */
  onRequest?: (request: FastifyRequest, reply: FastifyReply) => Promise<void> | void;
  /** Runs after the body is parsed, before it is validated. */
  preValidation?: (request: FastifyRequest) => void;
  /** Runs after validation and authentication, before the handler. */
  preHandler?: (request: FastifyRequest) => void;
  /** Anything else: adds its own hooks to the app; state it needs lives in this closure, per app. */
  install?: (app: FastifyInstance) => void;
}
