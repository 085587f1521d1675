// Runs once before the workers start: empties the exchange records of the previous run, so the
// coverage and conformance reports describe this run only. Its returned function is Playwright's
// global teardown: the last-resort sweep of the cleanup ledger. Playwright runs it also when the run
// is interrupted (Ctrl-C), when the `sweep` teardown project does not run; after a normal run that
// project has emptied the ledger already and this finds nothing to do.
import { ApiClient } from '../../helpers/api-client.ts';
import { loadConfig } from '../../helpers/config.ts';
import { ledgerFile, openEntries, sweepLedger } from '../../helpers/ledger.ts';
import { clearRecords, readRecords } from '../../helpers/records.ts';
import { assertMaySend } from '../../helpers/safety.ts';
import { operation } from '../../helpers/catalog.ts';
import { clearEarlierResults, DEFAULT_REPORT_PLACES } from '../../helpers/run-stopped.ts';
import { writeOperationIndex } from '../../helpers/selection.ts';
import { resetTargetHealth } from '../../helpers/target-health.ts';

export default function globalSetup(): () => Promise<void> {
  // Another run on this machine may be writing into the directory just now (ENOTEMPTY): try again.
  for (let attempt = 1; ; attempt += 1) {
    try {
      clearRecords();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt === 5) throw error;
    }
  }
  // Files written before this Playwright process started belong to earlier runs (trends come from
  // Allure's history, which the nightly workflow keeps); this run's, e.g. the environment the
  // reporter wrote at its start, are kept.
  clearEarlierResults(DEFAULT_REPORT_PLACES.allureResultsDir, performance.timeOrigin);
  resetTargetHealth();
  return async () => {
    // Which tests call which operation, for EMPORIX_OPERATIONS selections of later runs.
    writeOperationIndex(readRecords());
    await finalSweep();
  };
}

async function finalSweep(): Promise<void> {
  const config = loadConfig(); // the same environment, so the same run id as the workers
  const ledger = { runId: config.runId };
  const open = openEntries(ledger);
  if (open.length === 0) return;
  const say = (line: string) => process.stderr.write(`Final sweep: ${line}\n`);
  const list = open.map((e) => `${e.customerNumber} ${e.email}`).join(', ');
  if (!config.employee) {
    say(
      `${open.length} customers left on tenant ${config.tenant} and no employee credentials to delete them: ${list}`,
    );
    return;
  }
  try {
    const api = new ApiClient(config);
    const tokenResponse = await api.call('POST-oauth-request-client-credentials', {
      form: {
        grant_type: 'client_credentials',
        client_id: config.employee.clientId,
        client_secret: config.employee.clientSecret,
        scope: `tenant=${config.tenant}`,
      },
    });
    const token = (tokenResponse.body as { access_token?: unknown } | undefined)?.access_token;
    if (tokenResponse.status !== 200 || typeof token !== 'string') {
      say(`no employee token (HTTP ${tokenResponse.status}); left on tenant ${config.tenant}: ${list}`);
      return;
    }
    const results = await sweepLedger(
      { ...ledger, target: config.baseUrl, tenant: config.tenant, by: 'global teardown sweep' },
      async (entry) => {
        assertMaySend(config, operation('DELETE-customer-tenant-remove-customer'));
        return (
          await api.call('DELETE-customer-tenant-remove-customer', {
            path: { tenant: entry.tenant, customerNumber: entry.customerNumber },
            token,
          })
        ).status;
      },
      async (entry) =>
        (
          await api.call('GET-customer-tenant-retrieve-customer', {
            path: { tenant: entry.tenant, customerNumber: entry.customerNumber },
            token,
          })
        ).status,
    );
    const gone = results.filter((r) => r.outcome === 'deleted' || r.outcome === 'already gone');
    const listOf = (outcome: 'left behind' | 'unconfirmed') =>
      results
        .filter((r) => r.outcome === outcome)
        .map((r) => `${r.entry.customerNumber} ${r.entry.email}: ${r.detail}`)
        .join('; ');
    say(
      `${gone.length} of ${results.length} customers left by run ${config.runId} deleted or already gone` +
        (listOf('left behind') ? `; left behind (see ${ledgerFile(ledger)}): ${listOf('left behind')}` : '') +
        (listOf('unconfirmed') ? `; not confirmed either way: ${listOf('unconfirmed')}` : ''),
    );
  } catch (error) {
    say(`failed: ${(error as Error).message.split('\n')[0]}; left on tenant ${config.tenant}: ${list}`);
  }
}
