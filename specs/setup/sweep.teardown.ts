// The final sweep: runs after every test of the run, also when tests failed or the run was
// interrupted, and deletes (as an employee) every customer the run's cleanup ledger still holds:
// those a fixture could not delete, those a spec signed up directly, those of a killed worker.
// What it cannot delete is listed, with the ledger file, and fails this one test.
import { expect, test } from '../../fixtures/index.ts';
import { expectStatus } from '../../helpers/api-client.ts';
import { ledgerFile, openEntries, otherRunsWithOpenEntries, sweepLedger } from '../../helpers/ledger.ts';

test('deletes every customer this run created and left behind', async ({ api, config }, testInfo) => {
  const ledger = { runId: config.runId };
  const open = openEntries(ledger);

  // Earlier runs against this target and tenant only: a run against another mock port is not ours to mention.
  const here = (e: { target: string; tenant: string }) =>
    e.target === config.baseUrl && e.tenant === config.tenant;
  for (const other of otherRunsWithOpenEntries(ledger)
    .map((r) => ({ ...r, open: r.open.filter(here) }))
    .filter((r) => r.open.length > 0)) {
    testInfo.annotations.push({
      type: 'warning',
      description:
        `The ledger of an earlier run ${other.runId} still holds ${other.open.length} customers ` +
        `(${other.open.map((e) => `${e.customerNumber} ${e.email}`).join(', ')}): ` +
        `a run that was killed. Sweep it with EMPORIX_RUN_ID=${other.runId} npx playwright test --project=sweep`,
    });
  }
  testInfo.annotations.push({
    type: 'sweep',
    description: `${open.length} customers of run ${config.runId} still open in ${ledgerFile(ledger)}`,
  });
  if (open.length === 0) return;

  // An employee token only now, when there is something to delete: a clean run sends nothing here.
  const employee = config.employee;
  expect(
    employee,
    `${open.length} customers of this run are left on tenant ${config.tenant} and no employee credentials ` +
      `are configured to delete them: ${open.map((e) => `${e.customerNumber} ${e.email}`).join(', ')}`,
  ).toBeDefined();
  const tokenResponse = await api.call('POST-oauth-request-client-credentials', {
    form: {
      grant_type: 'client_credentials',
      client_id: employee?.clientId ?? '',
      client_secret: employee?.clientSecret ?? '',
      scope: `tenant=${config.tenant}`,
    },
  });
  expectStatus(tokenResponse, 200, 'the sweep deletes as an employee');
  const token = String((tokenResponse.body as { access_token?: unknown }).access_token);

  const results = await sweepLedger(
    { ...ledger, target: config.baseUrl, tenant: config.tenant, by: 'final sweep' },
    async (entry) =>
      (
        await api.call('DELETE-customer-tenant-remove-customer', {
          path: { tenant: entry.tenant, customerNumber: entry.customerNumber },
          token,
        })
      ).status,
  );
  for (const r of results) {
    testInfo.annotations.push({
      type: 'sweep',
      description: `${r.outcome}: customer ${r.entry.customerNumber} ${r.entry.email} (created by ${r.entry.by})${r.detail ? `: ${r.detail}` : ''}`,
    });
  }
  const left = results.filter((r) => r.outcome === 'failed');
  expect(
    left.map((r) => `${r.entry.customerNumber} ${r.entry.email}: ${r.detail}`),
    `customers left behind on tenant ${config.tenant} (ledger ${ledgerFile(ledger)})`,
  ).toEqual([]);
});
