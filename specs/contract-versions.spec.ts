// What the contract versions change beyond operations (docs/contract-versions.md): anonymous login's
// session-context parameters and PATCH /me's CustomerPatchDto (contactEmail can be changed, never
// unset), both from the customer-managed reference of August 2026; and, offline, how the suite
// selects a version (EMPORIX_CONTRACT) and what each version's catalog documents.
import { skipBecause } from '../fixtures/skip.ts';
import { tokenFromCommand } from '../fixtures/subject-token.ts';
import { maskText } from '../helpers/mask.ts';
import { expect, test } from '../fixtures/index.ts';
import {
  catalogFor,
  contractLabel,
  inContract,
  listOperations,
  notServedStatuses,
  selectedContract,
  useContract,
  type ContractVersion,
} from '../helpers/catalog.ts';
import { ConfigError, loadConfig, loadContract } from '../helpers/config.ts';
import { buildConformanceReport, renderMarkdown } from '../helpers/conformance.ts';
import type { ExchangeRecord } from '../helpers/records.ts';
import { bodyOf } from '../helpers/checks/common.ts';
import { ensureBadRequestNames } from '../helpers/checks/negative.ts';
import { check, enforce } from '../helpers/findings.ts';
import { uniqueEmail } from '../helpers/data.ts';
import { CONTACT_EMAIL_NOT_UNSET, SESSION_CONTEXT_ACCEPTED } from '../helpers/requirements/index.ts';

const SESSION_CONTEXT = { currency: 'EUR', siteCode: 'main', language: 'en', targetLocation: 'DE' };

/** Skips a test of something only the 2026-08 documents describe, under an older selected contract. */
function skipBefore2026(what: string): void {
  if (selectedContract() === '2025-12') {
    skipBecause(
      `${what} is not in the 2025-12 contract: set EMPORIX_CONTRACT=2026-08 to test it`,
      'contract',
    );
  }
}

test.describe("Anonymous login's session context", () => {
  for (const [name, value] of Object.entries(SESSION_CONTEXT)) {
    test(`accepts the optional ${name} parameter @smoke`, async ({ api, config }) => {
      skipBefore2026(`anonymous login's ${name} parameter`);
      const response = await api.call('GET-oauth-generate-anonymous-access-token', {
        query: { tenant: config.tenant, client_id: config.storefrontClientId, [name]: value },
      });
      enforce(
        check(SESSION_CONTEXT_ACCEPTED, response.status === 200, () => ({
          operation: 'GET /customerlogin/auth/anonymous/login',
          field: name,
          expected: `200 with ${name}=${value}`,
          received: String(response.status),
        })),
      );
    });
  }

  test('starts a working session with all four session-context parameters @smoke', async ({
    api,
    config,
  }) => {
    skipBefore2026("anonymous login's session context");
    const response = await api.call('GET-oauth-generate-anonymous-access-token', {
      query: { tenant: config.tenant, client_id: config.storefrontClientId, ...SESSION_CONTEXT },
    });
    expect(response).toHaveStatus(200);
    const me = await api.call('GET-customer-retrieve-customer-profile', {
      token: String(bodyOf(response).access_token),
    });
    expect(me).toHaveStatus(200, 'GET /me with the anonymous token of a session started with its context');
  });
});

test.describe("PATCH /me's contactEmail @destructive @employee", () => {
  test('changes contactEmail to another address', async ({ api, config, customerSession }) => {
    // R (both versions): contactEmail is a member of the PATCH body.
    const contactEmail = uniqueEmail(config.emailTemplate);
    const patched = await api.call('PATCH-customer-update-customer', {
      token: customerSession.accessToken,
      body: { contactEmail },
    });
    expect(patched).toHaveStatus(200);
    const me = await api.call('GET-customer-retrieve-customer-profile', {
      token: customerSession.accessToken,
    });
    expect(me).toHaveStatus(200);
    expect(String(bodyOf(me).contactEmail).toLowerCase(), 'GET /me after PATCH: contactEmail').toBe(
      contactEmail.toLowerCase(),
    );
  });

  for (const [what, value] of [
    ['null', null],
    ['an empty string', ''],
  ] as const) {
    test(`refuses to unset contactEmail with ${what} and keeps it`, async ({ api, customerSession }) => {
      skipBefore2026("CustomerPatchDto's rule that contactEmail cannot be unset");
      const token = customerSession.accessToken;
      const before = bodyOf(await api.call('GET-customer-retrieve-customer-profile', { token })).contactEmail;
      const patched = await api.call('PATCH-customer-update-customer', {
        token,
        body: { contactEmail: value },
        skipRequestValidation: true,
      });
      const after = bodyOf(await api.call('GET-customer-retrieve-customer-profile', { token })).contactEmail;
      enforce(
        check(CONTACT_EMAIL_NOT_UNSET, patched.status === 400 && after === before, () => ({
          operation: 'PATCH /customer/{tenant}/me',
          field: 'contactEmail',
          expected: `400, and contactEmail still ${JSON.stringify(before)}`,
          received: `${patched.status}, contactEmail now ${JSON.stringify(after)}`,
        })),
      );
      ensureBadRequestNames(patched, `contactEmail set to ${what}`, ['contactEmail']);
    });
  }
});

test.describe('contract versions @offline', () => {
  test('defaults to 2026-08, the documents the vendor publishes now', () => {
    expect(loadConfig({}, { envFile: null }).contract).toBe('2026-08');
    expect(loadContract({}, { envFile: null })).toBe('2026-08');
    expect(loadConfig({ EMPORIX_CONTRACT: '2025-12' }, { envFile: null }).contract).toBe('2025-12');
  });

  test('refuses an unknown version and names the valid ones', () => {
    expect(() => loadConfig({ EMPORIX_CONTRACT: '2026' }, { envFile: null })).toThrow(
      /EMPORIX_CONTRACT="2026" is not a contract version: use 2025-12 or 2026-08/,
    );
    expect(() => loadContract({ EMPORIX_CONTRACT: 'latest' }, { envFile: null })).toThrow(ConfigError);
  });

  test('refuses a subject token and a subject token command together', () => {
    expect(() =>
      loadConfig(
        { EMPORIX_SUBJECT_TOKEN: 'a.b.c', EMPORIX_SUBJECT_TOKEN_COMMAND: 'echo a.b.c' },
        { envFile: null },
      ),
    ).toThrow(/EMPORIX_SUBJECT_TOKEN and EMPORIX_SUBJECT_TOKEN_COMMAND are both set/);
  });

  const ids = (version: ContractVersion) => listOperations(catalogFor(version)).map((op) => op.id);

  test('2025-12 documents DELETE /me and POST /me/accounts/internal, not token exchange', () => {
    expect(ids('2025-12')).toEqual(
      expect.arrayContaining([
        'DELETE-customer-remove-customer-profile',
        'POST-customer-assign-customer-account',
      ]),
    );
    expect(ids('2025-12')).not.toContain('POST-customer-exchange-authtoken');
  });

  test('2026-08 documents token exchange, not DELETE /me nor POST /me/accounts/internal', () => {
    expect(ids('2026-08')).toContain('POST-customer-exchange-authtoken');
    expect(ids('2026-08')).not.toContain('DELETE-customer-remove-customer-profile');
    expect(ids('2026-08')).not.toContain('POST-customer-assign-customer-account');
  });

  test("keeps anonymous login's session-context parameters out of 2025-12", () => {
    const names = (version: ContractVersion) => {
      const item = catalogFor(version).paths?.['/customerlogin/auth/anonymous/login'];
      return (item?.get?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    };
    expect(names('2025-12')).toEqual(['tenant', 'client_id']);
    expect(names('2026-08')).toEqual([
      'tenant',
      'client_id',
      'currency',
      'siteCode',
      'language',
      'targetLocation',
    ]);
  });

  test('counts 404 and 405 as "not served" only for an operation the contract does not document', () => {
    expect(notServedStatuses('DELETE-customer-remove-customer-profile', '2026-08')).toEqual([404, 405]);
    expect(notServedStatuses('DELETE-customer-remove-customer-profile', '2025-12')).toEqual([]);
    expect(notServedStatuses('GET-customer-retrieve-address-by-id', '2026-08')).toEqual([]);
    expect(inContract('POST-customer-exchange-authtoken', '2025-12')).toBe(false);
  });

  test('names the contract for reports', () => {
    expect(contractLabel('2025-12')).toBe("contract 2025-12 (the vendor's documents of December 2025)");
    expect(contractLabel('2026-08')).toBe("contract 2026-08 (the vendor's documents of August 2026)");
  });

  test('reports a removed operation answered 404 as not served under 2026-08, as undocumented under 2025-12', () => {
    const probe = {
      kind: 'exchange',
      operationId: 'DELETE-customer-remove-customer-profile',
      method: 'DELETE',
      path: '/customer/{tenant}/me',
      status: 404,
      documented: true,
      schemaId: null,
      valid: null,
      undocumented: [],
      problems: [],
      test: 'profile › answers 202',
      file: 'specs/profile.spec.ts',
      project: 'conformance',
      at: '2026-08-01T00:00:00.000Z',
    } as unknown as ExchangeRecord;
    const target = { url: 'https://api.example.com', tenant: 'shop1', kind: 'real tenant' };
    const rowOf = (version: ContractVersion) => {
      useContract(version);
      try {
        const markdown = renderMarkdown(buildConformanceReport({ records: [probe], target }));
        return markdown.split('\n').find((line) => line.startsWith('| `DELETE /customer/{tenant}/me`')) ?? '';
      } finally {
        useContract(undefined);
      }
    };
    expect(rowOf('2026-08')).toContain('⏭ not in this contract, not served');
    expect(rowOf('2026-08')).toContain('404×1 (not served)');
    expect(rowOf('2025-12')).toContain('**404×1** (undocumented)');
  });

  test('takes the subject token from the last line the command prints, masked from then on', async () => {
    const token = await tokenFromCommand(
      "echo starting; echo 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'",
    );
    expect(token).toBe('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    expect(maskText(`token ${token}`)).not.toContain(token);
  });

  test('refuses a command that fails, prints nothing or outlasts its timeout, quoting neither it nor its output', async () => {
    await expect(tokenFromCommand('echo secret-output; exit 3')).rejects.toThrow(
      /^EMPORIX_SUBJECT_TOKEN_COMMAND failed \(exit code 3\): run it by hand to see why$/,
    );
    await expect(tokenFromCommand('true')).rejects.toThrow(/printed nothing/);
    await expect(tokenFromCommand('sleep 5', 200)).rejects.toThrow(/did not finish within 0.2 s/);
  });
});
