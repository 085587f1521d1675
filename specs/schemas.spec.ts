// Offline checks of the suite's own contract: the schemas accept every example the vendor documents,
// reject what the documents rule out, report undocumented fields as warnings, and the operation
// catalog only points at schemas that exist. No server is needed.
import { test, expect } from '../fixtures/index.ts';
import {
  documentedPart,
  formatSchemaIssues,
  schemaIds,
  schemaUri,
  validateSchema,
  type SchemaCheck,
  type SchemaId,
} from '../helpers/schemas.ts';
import {
  catalogDocument,
  documentedStatuses,
  findCatalogProblems,
  operation,
  operationIds,
  operations,
  type CatalogDocument,
} from '../helpers/catalog.ts';
import { requestExamples, responseExamples } from './data/examples.ts';

/** Fails with the formatted issues, so a broken example names its field and rule. */
function expectValid(check: SchemaCheck, label: string): void {
  expect(check.valid, formatSchemaIssues(label, check.errors)).toBe(true);
}

/** Expects exactly one failing rule of the given keyword at the given field. */
function expectRejected(check: SchemaCheck, keyword: string, instancePath: string): void {
  expect(check.valid, 'the schema should reject this payload').toBe(false);
  expect(
    check.errors.map(({ keyword: k, instancePath: p }) => ({ keyword: k, instancePath: p })),
    formatSchemaIssues('negative case', check.errors),
  ).toContainEqual({ keyword, instancePath });
}

/**
 * Expects a payload the reference's reading accepts and the project's reading (`x-beyond-reference`)
 * refuses with the given keyword at the given field.
 */
function expectBeyondReference(check: SchemaCheck, keyword: string, instancePath: string): void {
  expect(check.valid, formatSchemaIssues('reference reading', check.errors)).toBe(true);
  expect(
    check.beyond.map(({ keyword: k, instancePath: p }) => ({ keyword: k, instancePath: p })),
    'the constraint beyond the reference should refuse this payload',
  ).toContainEqual({ keyword, instancePath });
}

/**
 * Expects the check to refuse (`rejected`: the reference's reading) or to go beyond the reference
 * (`beyond`: the project's reading) with `keyword` at `path`, and the issues, as printed for
 * `operation`, to say `says`, so the failure message explains the finding.
 */
function expectExplained(
  check: SchemaCheck,
  reading: 'rejected' | 'beyond',
  [keyword, path]: [string, string],
  operation: string,
  says: string,
): void {
  if (reading === 'rejected') expectRejected(check, keyword, path);
  else expectBeyondReference(check, keyword, path);
  expect(formatSchemaIssues(operation, reading === 'rejected' ? check.errors : check.beyond)).toContain(says);
}

/** The payload without the named fields. */
function without(payload: Record<string, unknown>, ...fields: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([name]) => !fields.includes(name)));
}

const ANONYMOUS_200 = 'GET /customerlogin/auth/anonymous/login → 200';
const LOGIN_200 = 'POST /customer/{tenant}/login → 200';

const anonymousToken = responseExamples.find((e) => e.schema === 'anonymous-token')!.payload as Record<
  string,
  unknown
>;
const loginToken = responseExamples.find((e) => e.source.startsWith('tutorial: Logging in a customer'))!
  .payload as Record<string, unknown>;
const customerProfile = responseExamples.find((e) => e.schema === 'customer-profile')!.payload as Record<
  string,
  unknown
>;
const storedAddress = responseExamples.find((e) => e.schema === 'address')!.payload as Record<
  string,
  unknown
>;

test.describe('documented examples @offline', () => {
  for (const example of responseExamples) {
    test(`accepts the response example "${example.source}" as ${example.schema}`, () => {
      const check = validateSchema(example.schema, example.payload);
      expectValid(check, example.source);
      expect(check.undocumented, 'a documented example has no undocumented fields').toEqual([]);
    });
  }
  for (const example of requestExamples) {
    test(`accepts the request example "${example.source}" as ${example.schema}`, () => {
      expectValid(validateSchema(example.schema, example.payload), example.source);
    });
  }
});

test.describe('token schemas reject what the documents rule out @offline', () => {
  for (const field of ['access_token', 'token_type', 'expires_in', 'sessionId', 'scope', 'refresh_token']) {
    test(`rejects an anonymous token without ${field}`, () => {
      const { [field]: _removed, ...rest } = anonymousToken;
      expectRejected(validateSchema('anonymous-token', rest), 'required', '');
    });
  }

  test('holds an anonymous sessionId to a UUID beyond the reference (a plain string there)', () => {
    const check = validateSchema('anonymous-token', { ...anonymousToken, sessionId: 'session-42' });
    expectExplained(check, 'beyond', ['format', '/sessionId'], ANONYMOUS_200, 'not a UUID');
  });

  test('rejects a lifetime sent as a string and says so', () => {
    const check = validateSchema('anonymous-token', { ...anonymousToken, expires_in: '3599' });
    expectRejected(check, 'type', '/expires_in');
    expect(formatSchemaIssues(ANONYMOUS_200, check.errors)).toBe(
      'GET /customerlogin/auth/anonymous/login → 200: /expires_in must be integer (type), received "3599" — a number sent as a string',
    );
  });

  test('rejects a customer lifetime in milliseconds (beyond int32) and names the unit', () => {
    const check = validateSchema('customer-token', { ...loginToken, expires_in: 2591999000 });
    const says = '2591999000 looks like milliseconds, not seconds';
    expectExplained(check, 'rejected', ['maximum', '/expires_in'], LOGIN_200, says);
  });

  test('lets an anonymous lifetime in milliseconds that fits int32 through: only the plausibility check can catch it', () => {
    // 3599000 is a valid integer; the window check around 3599 s belongs to the specs, not to the schema.
    expectValid(
      validateSchema('anonymous-token', { ...anonymousToken, expires_in: 3599000 }),
      'anonymous token',
    );
  });

  test('rejects a fractional lifetime', () => {
    expectRejected(
      validateSchema('customer-token', { ...loginToken, expires_in: 3599.5 }),
      'type',
      '/expires_in',
    );
  });

  test('accepts token_type in any letter case (RFC 6749 section 5.1), and beyond the reference nothing other than Bearer', () => {
    const bearer = validateSchema('customer-token', { ...loginToken, token_type: 'bearer' });
    expectValid(bearer, 'bearer');
    expect(bearer.beyond).toEqual([]);
    expectBeyondReference(
      validateSchema('customer-token', { ...loginToken, token_type: 'Basic' }),
      'pattern',
      '/token_type',
    );
  });

  test('holds saas_token to a JWT shape beyond the reference (a non-empty string there)', () => {
    const check = validateSchema('customer-token', {
      ...loginToken,
      saas_token: 'aYR3Lu3rpsQ9ODhBIR83b3txTr5K',
    });
    expectExplained(check, 'beyond', ['pattern', '/saas_token'], LOGIN_200, 'not a JWT');
    expectRejected(
      validateSchema('customer-token', { ...loginToken, saas_token: '' }),
      'minLength',
      '/saas_token',
    );
  });

  test('rejects a login answer without saas_token', () => {
    expectRejected(validateSchema('customer-token', without(loginToken, 'saas_token')), 'required', '');
  });

  test('rejects initialPassword sent as the string "false"', () => {
    const check = validateSchema('customer-token', { ...loginToken, initialPassword: 'false' });
    expectExplained(check, 'rejected', ['type', '/initialPassword'], LOGIN_200, 'a boolean sent as a string');
  });

  test('rejects a refreshed customer token without session_id', () => {
    const refreshed = without(loginToken, 'session_id', 'saas_token', 'initialPassword');
    expectRejected(validateSchema('refreshed-customer-token', refreshed), 'required', '');
  });

  test('requires the refresh fields unless the deprecated anonymous_token refresh was used', () => {
    const { refresh_token: _r, refresh_token_expires_in: _e, ...withoutRefresh } = anonymousToken;
    expect(validateSchema('anonymous-token', withoutRefresh).valid).toBe(false);
    expectValid(validateSchema('anonymous-token-deprecated-refresh', withoutRefresh), 'deprecated refresh');
  });

  test('rejects a deprecated-refresh answer carrying a refresh token without its lifetime', () => {
    const { refresh_token_expires_in: _e, ...halfPair } = anonymousToken;
    expectRejected(validateSchema('anonymous-token-deprecated-refresh', halfPair), 'dependentRequired', '');
  });

  test('accepts social-login lifetimes as digit strings or integers, nothing else', () => {
    const social = responseExamples.find((e) => e.schema === 'social-login-token')!.payload as Record<
      string,
      unknown
    >;
    expectValid(validateSchema('social-login-token', { ...social, expires_in: 2591999 }), 'integer lifetime');
    expectRejected(
      validateSchema('social-login-token', { ...social, expires_in: '30 days' }),
      'pattern',
      '/expires_in',
    );
    expectRejected(
      validateSchema('social-login-token', { ...social, expires_in: '-1' }),
      'pattern',
      '/expires_in',
    );
  });

  test('rejects a service token whose refresh_token_expires_in is missing', () => {
    const service = responseExamples.find((e) => e.schema === 'service-token')!.payload as Record<
      string,
      unknown
    >;
    const { refresh_token_expires_in: _removed, ...rest } = service;
    expectRejected(validateSchema('service-token', rest), 'required', '');
  });

  test('holds the scope to naming the tenant beyond the reference', () => {
    expectBeyondReference(
      validateSchema('anonymous-token', { ...anonymousToken, scope: 'customer.customer_read' }),
      'pattern',
      '/scope',
    );
  });
});

test.describe('profile, address and error schemas reject what the documents rule out @offline', () => {
  /** The documented customer profile with `fields` changed, checked as a customer-profile. */
  const profileWith = (fields: Record<string, unknown>) =>
    validateSchema('customer-profile', { ...customerProfile, ...fields });

  test('holds an address country to ISO 3166-1 alpha-2 beyond the reference (AddressDto: a plain string)', () => {
    const check = validateSchema('address', { ...storedAddress, country: 'DEU' });
    const readAddress = 'GET /customer/{tenant}/me/addresses/{addressId} → 200';
    expectExplained(check, 'beyond', ['pattern', '/country'], readAddress, 'ISO 3166-1 alpha-2');
  });

  test('rejects a four-letter preferred currency (the reference states three characters)', () => {
    const check = profileWith({ preferredCurrency: 'EURO' });
    expectRejected(check, 'maxLength', '/preferredCurrency');
    expect(check.beyond, 'a value the reference refuses is its finding alone').toEqual([]);
    expectBeyondReference(profileWith({ preferredCurrency: 'eur' }), 'pattern', '/preferredCurrency');
  });

  test('rejects a customer profile without metadata.version', () => {
    expectRejected(profileWith({ metadata: { mixins: {} } }), 'required', '/metadata');
  });

  test('accepts a customer profile whose lastLogin is null', () => {
    expectValid(profileWith({ lastLogin: null }), 'lastLogin null');
  });

  test('rejects a lastLogin that is not a date-time', () => {
    expectRejected(profileWith({ lastLogin: 'yesterday' }), 'format', '/lastLogin');
  });

  test('rejects an anonymous profile that carries a customer number', () => {
    expectRejected(
      validateSchema('anonymous-profile', {
        firstName: 'Anonymous',
        lastName: 'Anonymous',
        preferredSite: 'default',
        customerNumber: '13869000',
        id: '00000000',
        accounts: [],
      }),
      'const',
      '/customerNumber',
    );
  });

  test('rejects an employee view of a customer without active', () => {
    expectRejected(
      validateSchema('employee-customer', {
        id: '13869000',
        customerNumber: '13869000',
        onHold: false,
        metadata: { version: 1 },
      }),
      'required',
      '',
    );
  });

  test('rejects an address without id', () => {
    expectRejected(validateSchema('address', without(storedAddress, 'id')), 'required', '');
  });

  test('rejects a 401 fault without its errorcode', () => {
    const fault = { fault: { faultstring: 'Invalid access token', detail: {} } };
    expectRejected(validateSchema('fault', fault), 'required', '/fault/detail');
  });

  test('rejects an error body whose status is not a number', () => {
    const error = { status: '400', type: 'bad_request', message: 'x' };
    expectRejected(validateSchema('error', error), 'type', '/status');
  });
});

test.describe('request schemas describe exactly what the suite sends @offline', () => {
  test('refuses an unknown top-level signup field', () => {
    const signup = { email: 'a@example.com', password: 'Passw0rd!', nickname: 'x' };
    expectRejected(validateSchema('signup', signup), 'additionalProperties', '');
  });

  test('refuses a signup password shorter than 6 characters', () => {
    const signup = { email: 'a@example.com', password: '12345' };
    expectRejected(validateSchema('signup', signup), 'minLength', '/password');
  });

  test('refuses a profile update that sets the customer number', () => {
    expectRejected(validateSchema('profile-update', { customerNumber: '1' }), 'unevaluatedProperties', '');
  });

  // R's AddressCreateDto requires no field: contactName is required by the project's reading only.
  test('refuses an address without contactName on create, beyond the reference', () => {
    expectBeyondReference(validateSchema('address-create', { city: 'Berlin' }), 'required', '');
  });

  // R and TM ErrorMessage require no member: status, type and message are the project's reading.
  test('refuses an error body without type beyond the reference, a type of the wrong type as the reference', () => {
    expectBeyondReference(validateSchema('error', { status: 400, message: 'x' }), 'required', '');
    expectRejected(validateSchema('error', { status: 400, type: 7, message: 'x' }), 'type', '/type');
  });

  test('refuses a token request with another grant type', () => {
    const form = { grant_type: 'password', client_id: 'a', client_secret: 'b' };
    expectRejected(validateSchema('oauth-token-request', form), 'const', '/grant_type');
  });
});

test.describe('undocumented fields are warnings @offline', () => {
  test('reports an extra top-level field at its pointer without failing validation', () => {
    const check = validateSchema('customer-token', { ...loginToken, exchange_token: 'x' });
    expect(check.valid).toBe(true);
    expect(check.undocumented).toEqual(['/exchange_token']);
  });

  test('reports extra nested fields at their pointers, inside arrays too', () => {
    const check = validateSchema('customer-profile', {
      ...customerProfile,
      accounts: [{ id: 'example@customer.com', verified: true }],
      metadata: { version: 2, mixins: {}, etag: 'x' },
    });
    expect(check.valid).toBe(true);
    expect(check.undocumented).toEqual(['/accounts/0/verified', '/metadata/etag']);
  });

  test('escapes "/" and "~" in the reported pointer', () => {
    const check = validateSchema('resource-id', { id: 'x', 'a/b~c': 1 });
    expect(check.undocumented).toEqual(['/a~1b~0c']);
  });

  test('never reports the contents of open maps such as mixins', () => {
    const check = validateSchema('customer-profile', {
      ...customerProfile,
      mixins: { loyalty: { points: 10, tier: 'gold' } },
      metadata: { version: 2, mixins: { loyalty: 'https://example.com/loyalty.json' } },
    });
    expect(check.undocumented).toEqual([]);
  });

  test('never reports the deprecated camelCase token fields', () => {
    const check = validateSchema('customer-token', {
      ...loginToken,
      accessToken: loginToken.access_token,
      saasToken: loginToken.saas_token,
      expiresIn: 2591999,
      refreshToken: loginToken.refresh_token,
      refreshTokenExpiresIn: 86399,
    });
    expect(check.valid).toBe(true);
    expect(check.undocumented).toEqual([]);
  });

  test('reports undocumented fields in each item of an address list', () => {
    const check = validateSchema('address-list', [storedAddress, { ...storedAddress, id: 'c1', geo: {} }]);
    expect(check.undocumented).toEqual(['/1/geo']);
  });

  test('keeps only the documented members when two answers are compared', () => {
    const answer = { ...storedAddress, trace: 'per-answer', metadata: { version: 3, etag: 'x' } };
    const documented = documentedPart('address', answer) as Record<string, unknown>;
    expect(documented.trace, 'an undocumented member is left out').toBeUndefined();
    expect(documented.metadata, 'an undocumented nested member is left out').toEqual({ version: 3 });
    expect(documented.id, 'documented members are kept').toBe(storedAddress.id);
    expect(answer.trace, 'the answer itself is not changed').toBe('per-answer');
  });
});

test.describe('schema registry @offline', () => {
  test('accepts a schema by short name, file name or full $id', () => {
    for (const ref of ['fault', 'fault.json', schemaUri('fault')]) {
      expect(
        validateSchema(ref, { fault: { faultstring: 'x', detail: { errorcode: 'y' } } }).valid,
        ref,
      ).toBe(true);
    }
  });

  test('throws on an unknown schema id instead of passing silently', () => {
    expect(() => validateSchema('no-such-schema', {})).toThrow(/Unknown schema "no-such-schema"/);
  });

  test('names the operation, the field, the rule and what was received', () => {
    const check = validateSchema('anonymous-token', {
      ...anonymousToken,
      sessionId: undefined,
      token_type: 7,
    });
    const text = formatSchemaIssues('GET /customerlogin/auth/anonymous/login → 200', check.errors);
    expect(text).toContain('GET /customerlogin/auth/anonymous/login → 200: /sessionId is missing (required)');
    expect(text).toContain('/token_type must be string (type), received 7');
  });

  test('every schema compiles and carries its $id', () => {
    for (const id of schemaIds) {
      expect(() => validateSchema(id, {}), id).not.toThrow();
    }
  });
});

test.describe('operation catalog @offline', () => {
  test('every $ref of the catalog names an existing schema', () => {
    expect(findCatalogProblems(catalogDocument)).toEqual([]);
    for (const info of Object.values(operations)) {
      for (const ref of [info.requestSchema, ...Object.values(info.responses)]) {
        if (ref == null) continue;
        expect(() => validateSchema(ref, {}), `${info.id} → ${ref}`).not.toThrow();
      }
    }
  });

  test('detects a $ref to a schema that does not exist', () => {
    const broken = structuredClone(catalogDocument) as CatalogDocument;
    const login = broken.paths?.['/customer/{tenant}/login']?.post;
    login!.responses!['200'] = {
      description: 'typo',
      content: {
        'application/json': { schema: { $ref: schemaUri('customer-token').replace('customer', 'custmer') } },
      },
    };
    expect(findCatalogProblems(broken)).toEqual([
      expect.stringContaining('POST-customer-authenticate-customer (POST /customer/{tenant}/login): $ref'),
    ]);
  });

  test('lists every operation once, each with a success status', () => {
    expect(Object.keys(operations).sort()).toEqual([...operationIds].sort());
    for (const id of operationIds) {
      expect(
        documentedStatuses(id).some((s) => s >= 200 && s < 300),
        id,
      ).toBe(true);
    }
  });

  test('maps every 401 to the fault body and every other 4xx to the error body', () => {
    for (const info of Object.values(operations)) {
      for (const [status, schema] of Object.entries(info.responses)) {
        const code = Number(status);
        if (code === 401) expect(schema, `${info.id} 401`).toBe(schemaUri('fault'));
        else if (code >= 400) expect(schema, `${info.id} ${code}`).toBe(schemaUri('error'));
      }
    }
  });

  test('marks the mock-only paths as test-only and no others', () => {
    for (const info of Object.values(operations)) {
      expect(info.testOnly, info.id).toBe(info.path.startsWith('/_mock/'));
      expect(info.chapter === 'test-only', info.id).toBe(info.testOnly);
    }
  });

  test('records the token kinds of docs/behaviour.md', () => {
    expect(operation('GET-oauth-generate-anonymous-access-token').tokenKinds).toEqual([]);
    expect(operation('POST-customer-authenticate-customer').tokenKinds).toEqual(['anonymous']);
    expect(operation('GET-customer-refresh-authtoken').tokenKinds).toEqual(['anonymous', 'customer']);
    expect(operation('GET-customer-retrieve-customer-profile').tokenKinds).toEqual(['customer', 'anonymous']);
    expect(operation('PATCH-customer-tenant-update-customer').tokenKinds).toEqual(['employee']);
  });

  test('accepts the statuses decided beyond the reference, and says which they are', () => {
    expect(documentedStatuses('GET-oauth-generate-anonymous-access-token')).toEqual([200, 400, 401]);
    expect(operation('PATCH-customer-update-customer').addedStatuses).toEqual([409]);
    expect(documentedStatuses('PATCH-customer-update-customer')).toEqual([200, 400, 401, 403, 409]);
    expect(operation('GET-customer-validate-token').responses[401]).toBe(schemaUri('fault'));
  });

  test('names the request schema and content type of each body the suite sends', () => {
    expect(operation('POST-oauth-request-client-credentials')).toMatchObject({
      requestSchema: schemaUri('oauth-token-request'),
      requestContentType: 'application/x-www-form-urlencoded',
    });
    const expected: Partial<Record<(typeof operationIds)[number], SchemaId>> = {
      'POST-customer-create-customer-account': 'signup',
      'PATCH-customer-update-customer': 'profile-update',
      'PATCH-customer-tenant-update-customer': 'employee-customer-update',
      'POST-mock-idp-authorize': 'idp-authorize',
    };
    for (const [id, schema] of Object.entries(expected)) {
      expect(operation(id as (typeof operationIds)[number]).requestSchema, id).toBe(schemaUri(schema));
    }
  });
});
