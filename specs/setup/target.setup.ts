// Reachability of the target, checked once before the conformance specs: when the URL, tenant or
// keys are wrong, this is the one failure to read instead of one per test.
import { expect, test } from '../../fixtures/index.ts';

test('the target answers an anonymous login for the configured tenant and storefront client id @smoke', async ({
  anonymous,
  config,
}) => {
  // Tutorial, "Requesting an anonymous token": the client's checks validated the body already.
  expect(anonymous.accessToken, `anonymous login on ${config.baseUrl} for tenant ${config.tenant}`).not.toBe(
    '',
  );
});

test('the configured employee credentials yield a service token @smoke @employee', async ({
  employeeToken,
}) => {
  expect(employeeToken, 'service token from POST /oauth/token').not.toBe('');
});
