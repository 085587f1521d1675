// The requests figure: what one full run sends, read from the exchange records the suite's client
// writes (helpers/records.ts), and how that compares with the fewest requests its checks need.
//
// The minimum, per test: every response the client receives is checked against the contract for its
// operation and status, and a test cannot observe an (operation, status) outcome without sending a
// request for it. So a test needs at least one request per distinct (operation, status) it observes;
// every further request repeats an outcome the test has already seen (polling, a second log-in, a
// loop of negative cases answered alike, set-up done twice). Set-up a test really needs (anonymous
// token, sign-up, employee token) counts as needed, once per test: tests are isolated by design.
// The contract minimum, per run, is the number of distinct (operation, status) pairs of the whole
// run: what a run would send if every test shared all of its set-up (a floor, not a target).
import { readRecords, type ExchangeRecord } from '../../helpers/records.ts';

export interface OperationCount {
  operationId: string;
  requests: number;
  /** Requests per received status ("none" for a transport error). */
  statuses: Record<string, number>;
  /** Tests that called the operation. */
  tests: number;
}

export interface RepeatingTest {
  test: string;
  project: string;
  requests: number;
  distinct: number;
  /** The outcomes seen more than once, e.g. "GET-customer-retrieve-customer-profile 200 ×3". */
  repeated: string[];
}

export interface RequestFigures {
  /** Exchanges recorded in one full run (all projects). */
  sent: number;
  transportErrors: number;
  /** Tests that sent at least one request. */
  testsWithRequests: number;
  perTestMean: number;
  byOperation: OperationCount[];
  /** Sum over tests of the distinct (operation, status) outcomes each one observes. */
  perTestMinimum: number;
  /** Distinct (operation, status) outcomes of the whole run. */
  contractMinimum: number;
  /** sent / perTestMinimum. */
  ratioToMinimum: number;
  /** sent / contractMinimum. */
  ratioToContractMinimum: number;
  /** Requests the fixtures' set-up operations account for (see SETUP_OPERATIONS). */
  setupOperationsShare: number;
  mostRepeating: RepeatingTest[];
}

/** Operations the fixtures call for set-up and clean-up (fixtures/index.ts), also called by specs. */
export const SETUP_OPERATIONS = [
  'GET-oauth-generate-anonymous-access-token',
  'POST-oauth-request-client-credentials',
  'POST-customer-create-customer-account',
  'PATCH-customer-tenant-update-customer',
  'DELETE-customer-tenant-remove-customer',
  'POST-customer-authenticate-customer',
  'GET-customer-logout-customer',
] as const;

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 100) / 100);

export function analyseRecords(recordsDir: string): RequestFigures {
  const exchanges = readRecords(recordsDir).filter((r): r is ExchangeRecord => r.kind === 'exchange');
  const outcome = (r: ExchangeRecord): string => `${r.operationId} ${r.status ?? 'none'}`;

  const operations = new Map<
    string,
    { requests: number; statuses: Record<string, number>; tests: Set<string> }
  >();
  const tests = new Map<
    string,
    { test: string; project: string; outcomes: Map<string, number>; requests: number }
  >();
  for (const r of exchanges) {
    const testKey = `${r.project}\u0000${r.file}\u0000${r.test}`;
    const op = operations.get(r.operationId) ?? { requests: 0, statuses: {}, tests: new Set<string>() };
    op.requests += 1;
    const status = String(r.status ?? 'none');
    op.statuses[status] = (op.statuses[status] ?? 0) + 1;
    op.tests.add(testKey);
    operations.set(r.operationId, op);

    const test = tests.get(testKey) ?? { test: r.test, project: r.project, outcomes: new Map(), requests: 0 };
    test.requests += 1;
    test.outcomes.set(outcome(r), (test.outcomes.get(outcome(r)) ?? 0) + 1);
    tests.set(testKey, test);
  }

  const perTestMinimum = [...tests.values()].reduce((sum, t) => sum + t.outcomes.size, 0);
  const contractMinimum = new Set(exchanges.map(outcome)).size;
  const setup = new Set<string>(SETUP_OPERATIONS);
  const setupRequests = exchanges.filter((r) => setup.has(r.operationId)).length;
  const sent = exchanges.length;

  return {
    sent,
    transportErrors: exchanges.filter((r) => r.status === null).length,
    testsWithRequests: tests.size,
    perTestMean: ratio(sent, tests.size),
    byOperation: [...operations]
      .map(([operationId, v]) => ({
        operationId,
        requests: v.requests,
        statuses: v.statuses,
        tests: v.tests.size,
      }))
      .sort((a, b) => b.requests - a.requests || a.operationId.localeCompare(b.operationId)),
    perTestMinimum,
    contractMinimum,
    ratioToMinimum: ratio(sent, perTestMinimum),
    ratioToContractMinimum: ratio(sent, contractMinimum),
    setupOperationsShare: ratio(setupRequests, sent),
    mostRepeating: [...tests.values()]
      .filter((t) => t.requests > t.outcomes.size)
      .sort((a, b) => b.requests - b.outcomes.size - (a.requests - a.outcomes.size))
      .slice(0, 5)
      .map((t) => ({
        test: t.test,
        project: t.project,
        requests: t.requests,
        distinct: t.outcomes.size,
        repeated: [...t.outcomes].filter(([, n]) => n > 1).map(([o, n]) => `${o} ×${n}`),
      })),
  };
}
