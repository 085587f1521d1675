// Shared inputs of the offline tests of runs and reports (runs, other-targets, reporting): the
// settings a plan is made from, and a test's outcome as the conformance reporter records it.
import type { TestOutcome } from '../../helpers/conformance.ts';

/** Settings of a run against the embedded mock with every capability configured. */
export const MOCK_RUN_SETTINGS = {
  target: 'embedded-mock' as const,
  allowDestructive: true,
  employee: { clientId: 'a', clientSecret: 'b' },
  customer: { email: 'c@example.com', password: 'p' },
  mailbox: 'mock' as const,
};

/** The same capabilities against a remote target that serves no outbox. */
export const REMOTE_RUN_SETTINGS = {
  ...MOCK_RUN_SETTINGS,
  target: 'remote' as const,
  mailbox: 'none' as const,
};

/** A test's outcome as the reporter records it, with no operation annotations. */
export const testOutcome = (
  title: string,
  result: TestOutcome['outcome'],
  file = 'specs/profile.spec.ts',
): TestOutcome => ({ title, file, project: 'conformance', outcome: result, operations: [] });
