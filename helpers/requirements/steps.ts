// Requirements every step shares: the status a step's request is documented to answer, and the body
// schema of that answer. Which document promises it follows from the operation's chapter.
import { requirement, type Requirement } from '../findings.ts';
import type { OperationInfo } from '../catalog.ts';

/** A customer-managed step answers the status the tutorial gives for it (signup 201, login 200, ...). */
export const STEP_STATUS = requirement({
  code: 'step.status',
  source: 'T',
  reference: "Tutorial, each step's request and response; R: the operation's responses",
  summary: 'a tutorial step answers the status the tutorial and the reference give for it',
});

/** A tenant-managed (employee) step answers its documented status. */
export const STEP_STATUS_TENANT_MANAGED = requirement({
  code: 'step.status.tenant-managed',
  source: 'TM',
  reference: "TM: the operation's responses",
  summary: 'an employee step answers the status the tenant-managed reference gives for it',
});

/** The service token request answers 200. */
export const STEP_STATUS_OAUTH = requirement({
  code: 'step.status.oauth',
  source: 'O',
  reference: 'O: POST /oauth/token 200',
  summary: 'the client-credentials token request answers the status the OAuth reference gives for it',
});

/** The mock's own test-only paths (outbox, identity provider): the project's own contract. */
export const STEP_STATUS_TEST_ONLY = requirement({
  code: 'step.status.test-only',
  source: 'B',
  reference: 'docs/behaviour.md "Test-only paths"',
  summary: "the mock's test-only paths answer as the project defines them",
});

/** A body matches the schema of the answer the reference documents. */
export const STEP_SCHEMA = requirement({
  code: 'step.schema',
  source: 'R',
  reference: "R: the operation's response schema (schemas/ hold the project's reading of it)",
  summary: "an answer's body matches the schema documented for that answer",
});

/** The requirement a step's status belongs to, by the document that describes its operation. */
export function stepStatusRequirement(op: Pick<OperationInfo, 'chapter' | 'id' | 'testOnly'>): Requirement {
  if (op.testOnly) return STEP_STATUS_TEST_ONLY;
  if (op.id === 'POST-oauth-request-client-credentials') return STEP_STATUS_OAUTH;
  if (op.chapter === 'employee') return STEP_STATUS_TENANT_MANAGED;
  return STEP_STATUS;
}
