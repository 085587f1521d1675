// Moved to fixtures/session-fixtures.ts; the project's `test` (fixtures/index.ts) now has
// `makeCustomer` and `seedSession`. This file only keeps two specs' imports working until they import
// from fixtures/index.ts, and is then deleted (listed in .dependency-cruiser-known-violations.json).
export type { MadeCustomer } from '../fixtures/session-fixtures.ts';

/** The project's `test` already has the session fixtures: returns it unchanged. */
export function withSessions<T>(base: T): T {
  return base;
}
