// Fixtures the profile, address and security specs add to the project's `test`:
//   - `makeCustomer(options)`: one more customer, signed up (optionally with an address), activated
//     by an employee and logged in, for tests that need a second customer or a signup body other than
//     `newCustomer`'s; every customer it made is deleted after the test;
//   - `seedSession`: the configured existing customer logged in (read-only tests), logged out after.
// A spec applies them with `const test = withSessions(base)`, `base` being fixtures/index.ts's `test`.
import {
  SKIP_NO_EMPLOYEE,
  SKIP_NOT_DESTRUCTIVE,
  test as projectTest,
  type ApiResponse,
} from '../fixtures/index.ts';
import { cleanUp } from '../fixtures/cleanup.ts';
import { expectStatus } from './api-client.ts';
import { signupBody, type SignupBody, type SignupOptions } from './data.ts';
import { deleteCustomersAsEmployee } from './checks/auth.ts';

/** A customer made by `makeCustomer`, logged in. */
export interface MadeCustomer {
  customerNumber: string;
  email: string;
  password: string;
  signup: SignupBody;
  /** The signup answer, as received. */
  signupResponse: ApiResponse;
  /** The anonymous token the customer signed up and logged in with. */
  anonymousToken: string;
  accessToken: string;
  refreshToken: string;
}

/** The configured existing customer, logged in. */
export interface SeedSession {
  email: string;
  password: string;
  accessToken: string;
}

export type SessionFixtures = {
  makeCustomer: (options?: SignupOptions) => Promise<MadeCustomer>;
  seedSession: SeedSession;
};

function record(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

function text(body: unknown, field: string, what: string): string {
  const value = record(body)[field];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${what}: expected a non-empty string in "${field}", received ${JSON.stringify(value)}`);
  }
  return value;
}

/** The project's `test` with `makeCustomer` and `seedSession`. */
export function withSessions(base: typeof projectTest) {
  return base.extend<SessionFixtures>({
    makeCustomer: async ({ api, config, employeeTokenIfConfigured }, use, testInfo) => {
      const made: string[] = [];
      /** The employee token, or a skip stating why the test cannot make customers. */
      const requireEmployee = (): string => {
        // Destructive first: against a real tenant that forbids it, that is the reason to state.
        testInfo.skip(!config.allowDestructive, SKIP_NOT_DESTRUCTIVE);
        testInfo.skip(employeeTokenIfConfigured === null, SKIP_NO_EMPLOYEE);
        if (employeeTokenIfConfigured === null) throw new Error(SKIP_NO_EMPLOYEE); // not reached: skip throws
        return employeeTokenIfConfigured;
      };

      const make = async (options: SignupOptions = {}): Promise<MadeCustomer> => {
        const employeeToken = requireEmployee();
        return await base.step(
          'sign up, activate and log in another customer',
          async () => {
            const anonymous = await api.call('GET-oauth-generate-anonymous-access-token', {
              query: { tenant: config.tenant, client_id: config.storefrontClientId },
            });
            expectStatus(anonymous, 200, 'an anonymous token for the extra customer');
            const anonymousToken = text(anonymous.body, 'access_token', 'anonymous token');

            const signup = signupBody(config.emailTemplate, options);
            const signupResponse = await api.call('POST-customer-create-customer-account', {
              body: signup,
              token: anonymousToken,
            });
            expectStatus(signupResponse, 201, 'signing up the extra customer');
            const customerNumber = text(signupResponse.body, 'id', 'signup');
            made.push(customerNumber);

            const activation = await api.call('PATCH-customer-tenant-update-customer', {
              path: { customerNumber },
              body: { active: true, onHold: false },
              token: employeeToken,
            });
            expectStatus(activation, 200, 'activating the extra customer');

            const login = await api.call('POST-customer-authenticate-customer', {
              body: { email: signup.email, password: signup.password },
              token: anonymousToken,
            });
            expectStatus(login, 200, 'logging in the extra customer');
            return {
              customerNumber,
              email: signup.email,
              password: signup.password,
              signup,
              signupResponse,
              anonymousToken,
              accessToken: text(login.body, 'access_token', 'login'),
              refreshToken: text(login.body, 'refresh_token', 'login'),
            };
          },
          { box: true },
        );
      };

      await use(make);

      for (const customerNumber of made) {
        const employeeToken = requireEmployee();
        await cleanUp({
          title: `delete the extra customer ${customerNumber} as an employee`,
          leftBehind: `customer ${customerNumber}`,
          run: async () => await deleteCustomersAsEmployee(api, employeeToken, [customerNumber]),
        });
      }
    },

    seedSession: async ({ api, anonymous, seedCustomer }, use) => {
      const accessToken = await base.step(
        'log the existing customer in',
        async () => {
          const response = await api.call('POST-customer-authenticate-customer', {
            body: { email: seedCustomer.email, password: seedCustomer.password },
            token: anonymous.accessToken,
          });
          expectStatus(response, 200, 'the configured existing customer must be able to log in');
          return text(response.body, 'access_token', 'login');
        },
        { box: true },
      );
      await use({ email: seedCustomer.email, password: seedCustomer.password, accessToken });
      await cleanUp({
        title: 'log the existing customer out',
        leftBehind: `a live session of ${seedCustomer.email} (its token expires by itself)`,
        run: async () => {
          const response = await api.call('GET-customer-logout-customer', {
            query: { accessToken },
            token: accessToken,
          });
          expectStatus(response, [204, 401], 'logging out after the test');
        },
      });
    },
  });
}
