// Masking computes, registration decides (helpers/mask.ts): the masking functions are pure (their
// result does not depend on what was masked before, and they register and note nothing), the
// transport registers every exchange's secrets on both sides, the configuration registers the
// configured credentials, and each secret is noted once for the redaction check. Needs no target
// (@offline): the exchanges go to a local server.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '../fixtures/index.ts';
import { ApiClient, sendRequest } from '../helpers/api-client.ts';
import { configuredSecrets, loadConfig } from '../helpers/config.ts';
import * as mask from '../helpers/mask.ts';

/** A value no other test (and no earlier run) has seen: each test starts with its secrets unregistered. */
const fresh = (label: string): string => `${label}-${randomBytes(12).toString('base64url')}`;

/** This process's notes for the redaction check. */
const notesFile = join(mask.SECRETS_DIR, `${process.pid}.jsonl`);
const notesText = (): string => (existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '');

/** The note lines this process wrote for one form of a secret (by its sha256). */
const notesWith = (sha256: string): string[] =>
  notesText()
    .split('\n')
    .filter((line) => line.includes(`"sha256":"${sha256}"`));

/** A registered secret shows in free text as its mask.fingerprint only. */
function expectMaskedInText(value: string, cls: mask.SecretClass, what: string): void {
  expect(mask.maskText(`before ${value} after`), `${what}: masked in free text`).toBe(
    `before ${mask.fingerprint(value, cls)} after`,
  );
}

/** Serves one JSON answer (200) to every request, on a port of its own, for the duration of `use`. */
async function withServer(body: object, use: (base: string) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    req.resume(); // the body is not read; the answer does not depend on it
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.close();
  }
}

test.describe('masking is pure @offline', () => {
  test('gives the same result in any order, and registers and notes nothing', () => {
    const access = fresh('access');
    const password = fresh('pwd');
    const clientSecret = fresh('sec');
    const inputs = {
      json: { access_token: access, nested: [{ password }], note: `quotes ${access}` },
      headers: { Authorization: `Bearer ${access}`, Accept: 'application/json' },
      url: `https://api.example.com/x/${access}?refresh_token=${access}&tenant=t`,
      form: `grant_type=client_credentials&client_secret=${clientSecret}`,
      body: JSON.stringify({ password }),
      text: `the token ${access} and the password ${password}`,
    };
    const maskAll = (order: 'forwards' | 'backwards') => {
      const steps: [string, () => unknown][] = [
        ['json', () => mask.maskJson(inputs.json)],
        ['headers', () => mask.maskHeaders(inputs.headers)],
        ['url', () => mask.maskUrl(inputs.url)],
        ['form', () => mask.maskFormString(inputs.form)],
        ['body', () => mask.maskBodyText(inputs.body, 'application/json')],
        ['text', () => mask.maskText(inputs.text)],
        ['fingerprint', () => mask.fingerprint(access)],
      ];
      if (order === 'backwards') steps.reverse();
      return Object.fromEntries(steps.map(([name, run]) => [name, run()]));
    };
    const registeredBefore = mask.registeredSecretCount();
    const notesBefore = notesText();

    const forwards = maskAll('forwards');
    const backwards = maskAll('backwards');
    expect(backwards, 'masking the free text last or first makes no difference').toEqual(forwards);
    expect(mask.registeredSecretCount(), 'no masking function registers a secret').toBe(registeredBefore);
    expect(notesText(), 'no masking function writes a note').toBe(notesBefore);

    // What a name says is secret is masked by its name, whatever was registered; the free text keeps
    // the unregistered secrets (see the next test).
    const { text, ...structured } = forwards;
    expect(JSON.stringify(structured)).not.toContain(password);
    expect(JSON.stringify(structured)).not.toContain(clientSecret);
    expect(text).toBe(inputs.text);
    expect(forwards.headers).toEqual({
      Authorization: `Bearer ${mask.fingerprint(access)}`,
      Accept: 'application/json',
    });
  });

  // Documented in helpers/mask.ts: free text is cleaned of registered secrets only. Masking a field by
  // its name no longer registers its value as a side effect, so text masked later does not depend on
  // which fields happened to be masked first. Every exchange registers its secrets before anyone can
  // quote them (the transport does), so a secret of the run is never in this case.
  test('leaves a secret nothing registered in free text, even after masking it by name', () => {
    const token = fresh('unregistered');
    expect(mask.maskJson({ access_token: token })).toEqual({ access_token: mask.fingerprint(token) });
    expect(mask.maskText(`the token ${token}`)).toBe(`the token ${token}`);
    expect(mask.maskUrl(`https://api.example.com/optin/${token}`)).toContain(token);
  });
});

test.describe('registration @offline', () => {
  test("masks every secret of a registered exchange everywhere afterwards, by the catalog's names", () => {
    const secrets = {
      query: fresh('query'),
      path: fresh('path'),
      bearer: fresh('bearer'),
      password: fresh('pwd'),
      nestedSecret: fresh('nested'),
      formSecret: fresh('form'),
      cookie: fresh('cookie'),
      issued: fresh('issued'),
    };
    const plain = fresh('plain'); // under no secret name: never registered
    mask.registerExchangeSecrets({
      url: `https://api.example.com/optin/${secrets.path}?refreshToken=${encodeURIComponent(secrets.query)}&q=${plain}`,
      pathParams: { tenant: 'mocktenant', token: secrets.path },
      headers: { Authorization: `Bearer ${secrets.bearer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: plain,
        password: secrets.password,
        more: [{ clientSecret: secrets.nestedSecret }],
      }),
    });
    mask.registerExchangeSecrets({
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'set-cookie': secrets.cookie },
      body: `access_token=${secrets.issued}&client_secret=${secrets.formSecret}`,
    });

    expectMaskedInText(secrets.query, 'tok', 'a token in the query');
    expectMaskedInText(secrets.path, 'tok', 'a token in a path segment');
    expectMaskedInText(secrets.bearer, 'tok', 'the bearer credentials (without the scheme)');
    expectMaskedInText(secrets.password, 'pwd', 'a password in a JSON body');
    expectMaskedInText(secrets.nestedSecret, 'sec', 'a client secret deep in a JSON body');
    expectMaskedInText(secrets.cookie, 'tok', 'a cookie of the response');
    expectMaskedInText(secrets.issued, 'tok', 'a token in a form-encoded response');
    expectMaskedInText(secrets.formSecret, 'sec', 'a client secret in a form-encoded response');
    expect(mask.maskText(`look ${plain}`), 'a value under no secret name stays').toBe(`look ${plain}`);

    // Everywhere: a path segment of a URL, a body of any kind, a field under an ordinary name.
    expect(mask.maskUrl(`https://api.example.com/optin/${secrets.path}`)).toBe(
      `https://api.example.com/optin/${mask.fingerprint(secrets.path)}`,
    );
    expect(mask.maskBodyText(`refused: ${secrets.password}`, 'text/plain')).toBe(
      `refused: ${mask.fingerprint(secrets.password, 'pwd')}`,
    );
    expect(mask.maskJson({ message: `token ${secrets.issued} expired` })).toEqual({
      message: `token ${mask.fingerprint(secrets.issued)} expired`,
    });
  });

  test('leaves out values too short to search for in free text, and malformed credentials', () => {
    const before = mask.registeredSecretCount();
    mask.registerExchangeSecrets({
      headers: { Authorization: 'Bearer ' },
      body: JSON.stringify({ password: 'abc12', token: '' }),
    });
    expect(mask.registeredSecretCount(), 'a 5-character value would turn up inside ordinary words').toBe(
      before,
    );
    expect(mask.maskText('abc12')).toBe('abc12');
  });

  test('notes each secret once, when it is registered, in every form a report may show', () => {
    const password = `${fresh('pwd')} & "quoted"/+`; // differs URI-, form- and JSON-encoded
    const forms = mask.secretNotes(password, 'pwd');
    expect(forms.length, 'the four forms differ').toBe(4);

    mask.maskJson({ password });
    mask.maskText(password);
    for (const form of forms) expect(notesWith(form.sha256), 'masking notes nothing').toEqual([]);

    mask.registerSecrets([{ value: password, cls: 'pwd' }]);
    mask.registerSecrets([{ value: password, cls: 'pwd' }]);
    mask.registerExchangeSecrets({ body: JSON.stringify({ newPassword: password }) });
    for (const form of forms) {
      const written = notesWith(form.sha256);
      expect(written, `one note for the form of length ${form.length}`).toHaveLength(1);
      expect(JSON.parse(written[0] ?? '{}')).toEqual(form);
    }
    expect(notesText(), 'never the value itself').not.toContain(password);
  });
});

test.describe('who registers @offline', () => {
  test('the transport registers both sides of an exchange before anyone can quote them', async () => {
    const query = fresh('query');
    const bearer = fresh('bearer');
    const sent = fresh('sent');
    const issued = fresh('issued');
    await withServer({ access_token: issued, expires_in: 3599 }, async (base) => {
      const response = await sendRequest(
        `${base}/logout?accessToken=${query}`,
        'POST',
        { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        `grant_type=client_credentials&client_secret=${sent}`,
      );
      expect(response.status).toBe(200);
    });
    expectMaskedInText(query, 'tok', 'the query token');
    expectMaskedInText(bearer, 'tok', 'the bearer token');
    expectMaskedInText(sent, 'sec', 'the client secret of the form body');
    expectMaskedInText(issued, 'tok', 'the token of the response body');
  });

  test('the client registers a token in a path segment before it shows the URL', async () => {
    const optIn = fresh('optin');
    const anonymous = fresh('anonymous');
    const issued = fresh('issued');
    await withServer({ access_token: issued }, async (base) => {
      const client = new ApiClient({ ...loadConfig(), baseUrl: base }, undefined, []);
      // The answer lacks most of a customer token: the checks fail it, which does not matter here.
      const outcome = await client
        .call('GET-customer-signup-customer-optin', { path: { token: optIn }, token: anonymous })
        .then((response) => response.url)
        .catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
      expect(outcome, 'the URL and the messages show no token').not.toContain(optIn);
      expect(outcome).not.toContain(issued);
    });
    expectMaskedInText(optIn, 'tok', 'the opt-in token of the path');
    expectMaskedInText(anonymous, 'tok', 'the bearer token');
    expectMaskedInText(issued, 'tok', 'the token of the response body');
  });

  test("the configuration registers the run's credentials when it is loaded, a made-up one nothing", () => {
    const clientSecret = fresh('client-secret');
    const password = fresh('customer-pwd');
    const env = {
      EMPORIX_CLIENT_ID: 'svc',
      EMPORIX_CLIENT_SECRET: clientSecret,
      EMPORIX_CUSTOMER_EMAIL: 'someone@example.com',
      EMPORIX_CUSTOMER_PASSWORD: password,
    };
    expect(configuredSecrets(loadConfig(env, { envFile: null }))).toEqual([
      { value: clientSecret, cls: 'sec' },
      { value: password, cls: 'pwd' },
    ]);
    expect(mask.maskText(clientSecret), 'a unit test environment registers nothing').toBe(clientSecret);

    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    try {
      Object.assign(process.env, env);
      loadConfig(process.env, { envFile: null });
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expectMaskedInText(clientSecret, 'sec', 'the configured client secret');
    expectMaskedInText(password, 'pwd', 'the configured customer password');
  });
});
