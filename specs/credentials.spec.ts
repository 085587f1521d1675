// The tutorial's "How to manage customer credentials", section by section: requesting a password
// reset, resetting it with the emailed token, changing it, and changing the login email (request,
// then confirm with the token emailed to the new address). Statuses and side effects follow
// docs/behaviour.md (Password reset, Password change, Email change) and docs/discrepancies.md rows
// 42 and 43. Each test has its own customer (the `newCustomer` / `customerSession` fixtures).
import { test, type Config, type CustomerSession } from '../fixtures/index.ts';
import { changeOwnPassword, requestPasswordReset, resetPasswordByEmail } from '../fixtures/steps-account.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { ensureBadRequest, ensureSameAnswer } from '../helpers/checks/negative.ts';
import {
  changePassword,
  confirmEmailChange,
  changeLoginEmail,
  ensureContactEmail,
  ensureLoginAccepted,
  ensureLoginOutcome,
  ensureLoginRefused,
  ensureLoginsAre,
  ensureNoContent,
  ensureProfileRefused,
  ensureRefreshRefused,
  logIn,
  readProfile,
  requestEmailChange,
  requestResetToken,
  resetPassword,
  type EmailChangeRequest,
} from '../helpers/checks/credentials.ts';
import { newPassword, uniqueEmail } from '../helpers/data.ts';
import type { Requirement } from '../helpers/findings.ts';
import * as REQ from '../helpers/requirements/index.ts';
import { ensureField } from '../helpers/checks/common.ts';

/** Which password a test logs in with after the password changed, and what the login must answer. */
interface PasswordLogin {
  title: string;
  password: 'new' | 'old';
  outcome: 'accepted' | 'refused';
  what: string;
  req?: Requirement;
}

/** A boxed step: logging in with the new or the old password, as the row says, is accepted or refused. */
async function ensurePasswordLogin(
  api: ApiClient,
  anonymousToken: string,
  email: string,
  passwords: { new: string; old: string },
  row: PasswordLogin,
): Promise<void> {
  const credentials = { email, password: passwords[row.password] };
  const step = `log in with the ${row.password} password`;
  await ensureLoginOutcome(step, api, anonymousToken, credentials, row.outcome, row.what, row.req);
}

/** A boxed step: the password a refused change left in place (`what`) still logs in. */
async function ensurePasswordKept(
  api: ApiClient,
  anonymousToken: string,
  customer: { email: string; password: string },
  what: string,
): Promise<void> {
  // Both refusals here are of a too-short password (behaviour.md: at least 6 characters everywhere).
  const step = `the ${what} still logs in`;
  await ensureLoginOutcome(step, api, anonymousToken, customer, 'accepted', what, REQ.PASSWORD_TOO_SHORT);
}

test.describe('Requesting a password reset', () => {
  test('answers 204 and emails a password-reset token to the customer @destructive @employee @email', async ({
    api,
    anonymous,
    newCustomer,
    mailbox,
  }) => {
    // Tutorial "Requesting a password reset"; operationId POST-customer-request-reset-password: 204.
    const after = new Date();
    const response = await requestPasswordReset(api, anonymous.accessToken, newCustomer.email);
    ensureNoContent(response, 'password reset for an existing customer');
    const mail = await mailbox.waitFor(newCustomer.email, 'password-reset', { after });
    ensureField(REQ.RESET_EMAILS_TOKEN, 'password-reset email', 'token (non-empty)', mail.token !== '', true);
  });

  test('answers 204 for an email no customer has @security', async ({ api, anonymous, config }) => {
    // behaviour.md Password reset: "204 always (no account enumeration)".
    const unknown = uniqueEmail(config.emailTemplate);
    const response = await requestPasswordReset(api, anonymous.accessToken, unknown);
    ensureNoContent(response, 'password reset for an unknown email', REQ.NO_ENUMERATION);
  });

  test('answers an unknown email exactly like an existing one (no account enumeration) @security @destructive @employee', async ({
    api,
    anonymous,
    newCustomer,
    config,
  }) => {
    // behaviour.md Password reset: the answer must not tell whether the account exists.
    const known = await requestPasswordReset(api, anonymous.accessToken, newCustomer.email);
    const unknown = await requestPasswordReset(api, anonymous.accessToken, uniqueEmail(config.emailTemplate));
    ensureSameAnswer(known, unknown, 'reset for an existing vs an unknown email');
  });
});

test.describe('Resetting a password using token', () => {
  // Tutorial "Resetting a password using token"; behaviour.md Password reset: 204, "the new password
  // works" and "the old one no longer does".
  const afterReset: PasswordLogin[] = [
    {
      title:
        'sets the new password with the emailed token (204), and the new password logs in @destructive @employee @email',
      password: 'new',
      outcome: 'accepted',
      what: 'new password',
    },
    {
      title: 'refuses the old password once the password is reset (401) @destructive @employee @email',
      password: 'old',
      outcome: 'refused',
      what: 'old password after a reset',
      req: REQ.OLD_PASSWORD_REFUSED,
    },
  ];
  for (const row of afterReset) {
    test(row.title, async ({ api, anonymous, newCustomer, mailbox }) => {
      const { email } = newCustomer;
      const reset = await resetPasswordByEmail(
        api,
        mailbox,
        anonymous.accessToken,
        email,
        'reset with the emailed token',
      );
      const passwords = { new: reset.password, old: newCustomer.password };
      await ensurePasswordLogin(api, anonymous.accessToken, email, passwords, row);
    });
  }

  test('accepts a reset token only once: the second use is 400 @security @destructive @employee @email', async ({
    api,
    anonymous,
    newCustomer,
    mailbox,
  }) => {
    // behaviour.md Password reset: the token is single-use; "used token: 400".
    const { token, password: first } = await resetPasswordByEmail(
      api,
      mailbox,
      anonymous.accessToken,
      newCustomer.email,
      'first use of the token',
    );
    const second = newPassword();
    await test.step('use the same token again', async () => {
      ensureBadRequest(
        await resetPassword(api, anonymous.accessToken, token, second),
        'reset token used twice',
        REQ.RESET_TOKEN_REFUSED,
      );
    });
    await test.step('the first reset still holds', async () => {
      ensureLoginAccepted(
        await logIn(api, anonymous.accessToken, newCustomer.email, first),
        'first new password',
      );
      ensureLoginRefused(
        await logIn(api, anonymous.accessToken, newCustomer.email, second),
        'password of the refused second reset',
        REQ.RESET_TOKEN_REFUSED,
      );
    });
  });

  test('refuses a reset token that was never issued with 400 @security', async ({ api, anonymous }) => {
    // behaviour.md Password reset: "Bad, used or expired token: 400".
    const response = await resetPassword(
      api,
      anonymous.accessToken,
      'never-issued-reset-token-0000',
      newPassword(),
    );
    ensureBadRequest(response, 'unknown reset token', REQ.RESET_TOKEN_REFUSED);
  });

  test('refuses a new password shorter than 6 characters with 400 and keeps the old one @destructive @employee @email', async ({
    api,
    anonymous,
    newCustomer,
    mailbox,
  }) => {
    // behaviour.md Password reset: "Password shorter than 6: 400".
    const token = await requestResetToken(api, mailbox, anonymous.accessToken, newCustomer.email);
    ensureBadRequest(
      await resetPassword(api, anonymous.accessToken, token, 'Ab1!x'),
      '5-character password',
      REQ.PASSWORD_TOO_SHORT,
    );
    await ensurePasswordKept(api, anonymous.accessToken, newCustomer, 'old password after a refused reset');
  });

  test("revokes the customer's access and refresh tokens when the password is reset @security @destructive @employee @email", async ({
    api,
    anonymous,
    customerSession,
    mailbox,
  }) => {
    // behaviour.md Password reset: "every customer token of that customer is revoked".
    const { email } = customerSession.customer;
    await resetPasswordByEmail(api, mailbox, anonymous.accessToken, email, 'reset');
    await ensureProfileRefused(api, customerSession.accessToken, 'access token issued before the reset');
    await ensureRefreshRefused(
      api,
      anonymous.accessToken,
      customerSession.refreshToken,
      'refresh token issued before the reset',
    );
  });
});

test.describe('Changing a password', () => {
  // Tutorial "Changing a password" (operationId POST-customer-change-account-password: 204): the new
  // password replaces the current one.
  const afterChange: PasswordLogin[] = [
    {
      title: 'changes the password (204), and the new password logs in @destructive @employee',
      password: 'new',
      outcome: 'accepted',
      what: 'new password',
    },
    {
      title: 'refuses the old password after a change (401) @destructive @employee',
      password: 'old',
      outcome: 'refused',
      what: 'old password after a change',
      req: REQ.OLD_PASSWORD_REFUSED,
    },
  ];
  for (const row of afterChange) {
    test(row.title, async ({ api, anonymous, customerSession }) => {
      const { customer } = customerSession;
      const password = await changeOwnPassword(api, customerSession, 'password change');
      const passwords = { new: password, old: customer.password };
      await ensurePasswordLogin(api, anonymous.accessToken, customer.email, passwords, row);
    });
  }

  test('refuses a wrong current password with 400 and changes nothing @security @destructive @employee', async ({
    api,
    anonymous,
    customerSession,
  }) => {
    // behaviour.md Password change: "wrong current password: 400" (discrepancies row 43: 401 is for tokens).
    const { customer } = customerSession;
    const proposed = newPassword();
    const response = await changePassword(
      api,
      customerSession.accessToken,
      `${customer.password}-wrong`,
      proposed,
    );
    ensureBadRequest(response, 'wrong current password', REQ.WRONG_CURRENT_PASSWORD);
    await test.step('the password is unchanged', async () => {
      ensureLoginAccepted(
        await logIn(api, anonymous.accessToken, customer.email, customer.password),
        'current password after a refused change',
      );
      ensureLoginRefused(
        await logIn(api, anonymous.accessToken, customer.email, proposed),
        'password of the refused change',
        REQ.WRONG_CURRENT_PASSWORD,
      );
    });
  });

  test('refuses a new password shorter than 6 characters with 400 and changes nothing @destructive @employee', async ({
    api,
    anonymous,
    customerSession,
  }) => {
    // discrepancies row 15 (behaviour.md: passwords of at least 6 characters everywhere).
    const { customer, accessToken } = customerSession;
    const response = await changePassword(api, accessToken, customer.password, 'Ab1!x');
    ensureBadRequest(response, '5-character new password', REQ.PASSWORD_TOO_SHORT);
    await ensurePasswordKept(api, anonymous.accessToken, customer, 'current password after a refused change');
  });

  test("ends the customer's other sessions when the password changes @security @destructive @employee", async ({
    api,
    anonymous,
    customerSession,
  }) => {
    // behaviour.md Password change: "revokes every other token of the customer".
    const other = await test.step('log in a second session', async () => {
      const { email, password } = customerSession.customer;
      const response = await logIn(api, anonymous.accessToken, email, password);
      ensureLoginAccepted(response, 'second session');
      return response.body as { access_token: string; refresh_token: string };
    });
    await changeOwnPassword(api, customerSession, 'password change from the first session');
    await ensureProfileRefused(
      api,
      other.access_token,
      'access token of the other session',
      REQ.CHANGE_REVOKES_OTHER_TOKENS,
    );
    await ensureRefreshRefused(
      api,
      anonymous.accessToken,
      other.refresh_token,
      'refresh token of the other session',
      REQ.CHANGE_REVOKES_OTHER_TOKENS,
    );
  });

  test('keeps the calling token working after a change @destructive @employee', async ({
    api,
    customerSession,
  }) => {
    // behaviour.md Password change: "the calling token keeps working".
    await changeOwnPassword(api, customerSession, 'password change');
    const profile = await readProfile(api, customerSession.accessToken, 'calling token after the change');
    ensureField(
      REQ.CHANGE_KEEPS_CALLER,
      'GET /me with the calling token',
      'customerNumber',
      profile.customerNumber,
      customerSession.customer.customerNumber,
    );
  });
});

test.describe('Request an email change', () => {
  test('answers 204 and emails an email-change token to the new address @destructive @employee @email', async ({
    api,
    customerSession,
    mailbox,
    config,
  }) => {
    // Tutorial "Request an email change": "This sends a confirmation token to the new email address."
    const { email, password } = customerSession.customer;
    const newEmail = uniqueEmail(config.emailTemplate);
    const after = new Date();
    const response = await requestEmailChange(api, customerSession.accessToken, {
      email,
      password,
      newEmail,
      syncContactEmail: true,
    });
    ensureNoContent(response, 'email change request');
    const mail = await mailbox.waitFor(newEmail, 'email-change', { after });
    ensureField(
      REQ.EMAIL_CHANGE_TO_NEW_ADDRESS,
      'email-change email',
      'to',
      mail.to.toLowerCase(),
      newEmail.toLowerCase(),
    );
  });

  // behaviour.md Email change: "Wrong password ... 400" and "`email` not the customer's login: 400".
  const refusedRequests: {
    title: string;
    what: string;
    body: (customer: { email: string; password: string }, config: Config) => EmailChangeRequest;
  }[] = [
    {
      title: 'refuses a wrong password with 400 @security @destructive @employee',
      what: 'wrong password',
      body: (customer, config) => ({
        email: customer.email,
        password: `${customer.password}-wrong`,
        newEmail: uniqueEmail(config.emailTemplate),
      }),
    },
    {
      title: "refuses an email that is not the customer's login with 400 @security @destructive @employee",
      what: "email is not the customer's login",
      body: (customer, config) => ({
        email: uniqueEmail(config.emailTemplate),
        password: customer.password,
        newEmail: uniqueEmail(config.emailTemplate),
      }),
    },
  ];
  for (const { title, what, body } of refusedRequests) {
    test(title, async ({ api, customerSession, config }) => {
      const request = body(customerSession.customer, config);
      const response = await requestEmailChange(api, customerSession.accessToken, request);
      ensureBadRequest(response, what, REQ.EMAIL_CHANGE_REFUSED);
    });
  }

  test('refuses a new email that is already a login on the tenant with 400, not 409 @destructive @employee', async ({
    api,
    customerSession,
    seedCustomer,
  }) => {
    // behaviour.md Email change: "`newEmail` already a login on the tenant: 400 (this operation documents no 409)"; discrepancies row 42.
    const { customer } = customerSession;
    const taken = { email: customer.email, password: customer.password, newEmail: seedCustomer.email };
    const response = await requestEmailChange(api, customerSession.accessToken, taken);
    ensureBadRequest(response, "newEmail is another customer's login", REQ.EMAIL_CHANGE_REFUSED);
  });
});

/** What a test of a confirmed email change checks with: the customer, its new email, the used token. */
interface EmailChanged {
  api: ApiClient;
  anonymousToken: string;
  customer: CustomerSession['customer'];
  newEmail: string;
  token: string;
}

/** Logs in with the new email and the unchanged password (200) and reads the profile. */
async function readProfileAsNewLogin(changed: EmailChanged, what: string) {
  const { api, anonymousToken, newEmail, customer } = changed;
  return await test.step('read the profile as the customer, logged in with the new email', async () => {
    const access = ensureLoginAccepted(
      await logIn(api, anonymousToken, newEmail, customer.password),
      'new login email',
    );
    return await readProfile(api, access, what);
  });
}

test.describe('Confirming an email change', () => {
  // Each test changes the login email (request, then confirm with the emailed token: 204), then checks
  // one promise of the change.
  const afterEmailChange: {
    title: string;
    syncContactEmail?: boolean;
    check: (changed: EmailChanged) => Promise<void>;
  }[] = [
    {
      // Tutorial "Confirming an email change"; behaviour.md: 204, "the login email becomes newEmail".
      title:
        'confirms the change with the emailed token (204), and the new email logs in @destructive @employee @email',
      check: async ({ api, anonymousToken, customer, newEmail }) => {
        const login = { email: newEmail, password: customer.password };
        await ensureLoginOutcome(
          'log in with the new email',
          api,
          anonymousToken,
          login,
          'accepted',
          'new login email',
        );
      },
    },
    {
      // behaviour.md Email change: "the old one fails with 401".
      title: 'refuses the old email at login after the change (401) @destructive @employee @email',
      check: async ({ api, anonymousToken, customer }) => {
        await ensureLoginOutcome(
          'log in with the old email',
          api,
          anonymousToken,
          { email: customer.email, password: customer.password },
          'refused',
          'old login email after the change',
          REQ.EMAIL_CHANGE_NEW_LOGIN,
        );
      },
    },
    {
      // behaviour.md Email change: "`accounts[].id` changes".
      title: 'lists the new email, not the old one, in accounts[].id @destructive @employee @email',
      check: async (changed) => {
        const profile = await readProfileAsNewLogin(changed, 'after the email change');
        ensureLoginsAre(profile, changed.newEmail, changed.customer.email, 'after the email change');
      },
    },
    // Tutorial "Request an email change" (syncContactEmail); behaviour.md: "`contactEmail` too when
    // `syncContactEmail` was true". The signup set contactEmail to the login email (helpers/data.ts signupBody).
    ...[true, false].map((sync) => ({
      title: `${sync ? 'updates' : 'leaves'} contactEmail ${sync ? 'to the new email' : 'unchanged'} when syncContactEmail is ${sync} @destructive @employee @email`,
      syncContactEmail: sync,
      check: async (changed: EmailChanged) => {
        const what = `syncContactEmail ${sync}`;
        const profile = await readProfileAsNewLogin(changed, `after the change with ${what}`);
        const expected = sync ? changed.newEmail : changed.customer.email;
        ensureContactEmail(profile, expected, what, REQ.EMAIL_CHANGE_SYNC_CONTACT);
      },
    })),
    {
      // behaviour.md Email change confirm: "Bad or used token: 400".
      title:
        'accepts an email-change token only once: the second use is 400 @security @destructive @employee @email',
      check: async ({ api, anonymousToken, token }) => {
        ensureBadRequest(
          await confirmEmailChange(api, anonymousToken, token),
          'email-change token used twice',
          REQ.EMAIL_CHANGE_TOKEN_REFUSED,
        );
      },
    },
  ];
  for (const { title, syncContactEmail, check } of afterEmailChange) {
    test(title, async ({ api, anonymous, customerSession, mailbox, config }) => {
      const newEmail = uniqueEmail(config.emailTemplate);
      const anonymousToken = anonymous.accessToken;
      const options = syncContactEmail === undefined ? {} : { syncContactEmail };
      const token = await changeLoginEmail(api, mailbox, anonymousToken, customerSession, newEmail, options);
      await check({ api, anonymousToken, customer: customerSession.customer, newEmail, token });
    });
  }

  test('refuses an email-change token that was never issued with 400 @security', async ({
    api,
    anonymous,
  }) => {
    // behaviour.md Email change confirm: "Bad or used token: 400".
    const response = await confirmEmailChange(
      api,
      anonymous.accessToken,
      'never-issued-email-change-token-0000',
    );
    ensureBadRequest(response, 'unknown email-change token', REQ.EMAIL_CHANGE_TOKEN_REFUSED);
  });
});
