// The final sweep: runs after every test of the run, also when tests failed or the run was
// interrupted, and deletes (as an employee) every customer the run's cleanup ledger still holds:
// those a fixture could not delete, those a spec signed up directly, those of a killed worker.
// A customer it could not delete is looked up afresh, and only one that look still finds fails this
// test; one it cannot confirm either way is a warning. Earlier runs' open customers on this target
// (a killed run, or last night's, whose ledger the nightly workflow keeps) are looked up too: those
// gone are crossed out, the others are warned about, each customer once.
import { expect, test } from '../../fixtures/index.ts';
import { expectStatus, type ApiClient } from '../../helpers/api-client.ts';
import {
  ledgerFile,
  openEntries,
  otherRunsWithOpenEntries,
  recheckEarlierRuns,
  sweepLedger,
  type CreatedEntry,
  type CustomerLookup,
} from '../../helpers/ledger.ts';

const named = (e: CreatedEntry) => `${e.customerNumber} ${e.email}`;

/** An employee GET of the customer, answering its status. */
function lookupWith(api: ApiClient, token: string): CustomerLookup {
  return async (entry) =>
    (
      await api.call('GET-customer-tenant-retrieve-customer', {
        path: { tenant: entry.tenant, customerNumber: entry.customerNumber },
        token,
      })
    ).status;
}

test('deletes every customer this run created and left behind', async ({ api, config }, testInfo) => {
  const ledger = { runId: config.runId };
  const where = { ...ledger, target: config.baseUrl, tenant: config.tenant, by: 'final sweep' };
  const open = openEntries(ledger);
  const here = (e: CreatedEntry) => e.target === config.baseUrl && e.tenant === config.tenant;
  const earlier = otherRunsWithOpenEntries(ledger).some((r) => r.open.some(here));
  testInfo.annotations.push({
    type: 'sweep',
    description: `${open.length} customers of run ${config.runId} still open in ${ledgerFile(ledger)}`,
  });
  if (open.length === 0 && !earlier) return;

  // An employee token only now, when there is something to delete or look up: a clean run sends nothing here.
  const employee = config.employee;
  if (!employee) {
    expect(
      open.map(named),
      `customers of this run are left on tenant ${config.tenant} and no employee credentials are configured to delete them`,
    ).toEqual([]);
    testInfo.annotations.push({
      type: 'warning',
      description: `earlier runs left customers open on tenant ${config.tenant}; no employee credentials to look them up`,
    });
    return;
  }
  const tokenResponse = await api.call('POST-oauth-request-client-credentials', {
    form: {
      grant_type: 'client_credentials',
      client_id: employee.clientId,
      client_secret: employee.clientSecret,
      scope: `tenant=${config.tenant}`,
    },
  });
  expectStatus(tokenResponse, 200, 'the sweep deletes as an employee');
  const token = String((tokenResponse.body as { access_token?: unknown }).access_token);
  const lookup = lookupWith(api, token);

  const results = await sweepLedger(
    where,
    async (entry) =>
      (
        await api.call('DELETE-customer-tenant-remove-customer', {
          path: { tenant: entry.tenant, customerNumber: entry.customerNumber },
          token,
        })
      ).status,
    lookup,
  );
  for (const r of results) {
    testInfo.annotations.push({
      type: r.outcome === 'unconfirmed' ? 'warning' : 'sweep',
      description: `${r.outcome}: customer ${named(r.entry)} (created by ${r.entry.by})${r.detail ? `: ${r.detail}` : ''}`,
    });
  }

  for (const r of await recheckEarlierRuns(where, lookup)) {
    testInfo.annotations.push({
      type: 'warning',
      description:
        `${r.outcome}: customer ${named(r.entry)} of an earlier run ${r.runId} (${r.detail}). ` +
        `Sweep it with EMPORIX_RUN_ID=${r.runId} npx playwright test --project=sweep`,
    });
  }

  const left = results.filter((r) => r.outcome === 'left behind');
  expect(
    left.map((r) => `${named(r.entry)}: ${r.detail}`),
    `customers left behind on tenant ${config.tenant} (ledger ${ledgerFile(ledger)})`,
  ).toEqual([]);
});
