// The tutorial's "How to manage customer credentials", section by section: requesting a password
// reset, resetting it with the emailed token, changing it, and changing the login email (request,
// then confirm with the token emailed to the new address). Statuses and side effects follow
// docs/behaviour.md (Password reset, Password change, Email change) and docs/discrepancies.md rows
// 42 and 43. Each test has its own customer (the `newCustomer` / `customerSession` fixtures).
import { test } from '../fixtures/index.ts';
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
} from '../helpers/checks/credentials.ts';
import { newPassword, uniqueEmail } from '../helpers/data.ts';
import * as REQ from '../helpers/requirements/index.ts';
import { ensureField } from '../helpers/checks/common.ts';

test.describe('Requesting a password reset', () => {
  test('answers 204 and emails a password-reset token to the customer @destructive @employee @email', async ({
    api,
    anonymous,
    newCustomer,
    mailbox,
  }) => {
    // Tutorial "Requesting a password reset"; operationId POST-customer-request-reset-password: 204.
    const after = new Date();
    const response = await api.call('POST-customer-request-reset-password', {
      body: { email: newCustomer.email, site: 'main' },
      token: anonymous.accessToken,
    });
    ensureNoContent(response, 'password reset for an existing customer');
    const mail = await mailbox.waitFor(newCustomer.email, 'password-reset', { after });
    ensureField(REQ.RESET_EMAILS_TOKEN, 'password-reset email', 'token (non-empty)', mail.token !== '', true);
  });

  test('answers 204 for an email no customer has @security', async ({ api, anonymous, config }) => {
    // behaviour.md Password reset: "204 always (no account enumeration)".
    const response = await api.call('POST-customer-request-reset-password', {
      body: { email: uniqueEmail(config.emailTemplate), site: 'main' },
      token: anonymous.accessToken,
    });
    ensureNoContent(response, 'password reset for an unknown email', REQ.NO_ENUMERATION);
  });

  test('answers an unknown email exactly like an existing one (no account enumeration) @security @destructive @employee', async ({
    api,
    anonymous,
    newCustomer,
    config,
  }) => {
    // behaviour.md Password reset: the answer must not tell whether the account exists.
    const known = await api.call('POST-customer-request-reset-password', {
      body: { email: newCustomer.email, site: 'main' },
      token: anonymous.accessToken,
    });
    const unknown = await api.call('POST-customer-request-reset-password', {
      body: { email: uniqueEmail(config.emailTemplate), site: 'main' },
      token: anonymous.accessToken,
    });
    ensureSameAnswer(known, unknown, 'reset for an existing vs an unknown email');
  });
});

test.describe('Resetting a password using token', () => {
  test('sets the new password with the emailed token (204), and the new password logs in @destructive @employee @email', async ({
    api,
    anonymous,
    newCustomer,
    mailbox,
  }) => {
    // Tutorial "Resetting a password using token"; behaviour.md: 204, "the new password works".
    const token = await requestResetToken(api, mailbox, anonymous.accessToken, newCustomer.email);
    const password = newPassword();
    ensureNoContent(
      await resetPassword(api, anonymous.accessToken, token, password),
      'reset with the emailed token',
    );
    await ensureLoginOutcome(
      'log in with the new password',
      api,
      anonymous.accessToken,
      { email: newCustomer.email, password: password },
      'accepted',
      'new password',
    );
  });

  test('refuses the old password once the password is reset (401) @destructive @employee @email', async ({
    api,
    anonymous,
    newCustomer,
    mailbox,
  }) => {
    // behaviour.md Password reset: "the old one no longer does".
    const token = await requestResetToken(api, mailbox, anonymous.accessToken, newCustomer.email);
    ensureNoContent(await resetPassword(api, anonymous.accessToken, token, newPassword()), 'reset');
    await ensureLoginOutcome(
      'log in with the old password',
      api,
      anonymous.accessToken,
      { email: newCustomer.email, password: newCustomer.password },
      'refused',
      'old password after a reset',
      REQ.OLD_PASSWORD_REFUSED,
    );
  });

  test('accepts a reset token only once: the second use is 400 @security @destructive @employee @email', async ({
    api,
    anonymous,
    newCustomer,
    mailbox,
  }) => {
    // behaviour.md Password reset: the token is single-use; "used token: 400".
    const token = await requestResetToken(api, mailbox, anonymous.accessToken, newCustomer.email);
    const first = newPassword();
    ensureNoContent(await resetPassword(api, anonymous.accessToken, token, first), 'first use of the token');
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
    await ensureLoginOutcome(
      'the old password still logs in',
      api,
      anonymous.accessToken,
      { email: newCustomer.email, password: newCustomer.password },
      'accepted',
      'old password after a refused reset',
      REQ.PASSWORD_TOO_SHORT,
    );
  });

  test("revokes the customer's access and refresh tokens when the password is reset @security @destructive @employee @email", async ({
    api,
    anonymous,
    customerSession,
    mailbox,
  }) => {
    // behaviour.md Password reset: "every customer token of that customer is revoked".
    const { customer } = customerSession;
    const token = await requestResetToken(api, mailbox, anonymous.accessToken, customer.email);
    ensureNoContent(await resetPassword(api, anonymous.accessToken, token, newPassword()), 'reset');
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
  test('changes the password (204), and the new password logs in @destructive @employee', async ({
    api,
    anonymous,
    customerSession,
  }) => {
    // Tutorial "Changing a password"; operationId POST-customer-change-account-password: 204.
    const { customer } = customerSession;
    const password = newPassword();
    ensureNoContent(
      await changePassword(api, customerSession.accessToken, customer.password, password),
      'password change',
    );
    await test.step('log in with the new password', async () => {
      ensureLoginAccepted(await logIn(api, anonymous.accessToken, customer.email, password), 'new password');
    });
  });

  test('refuses the old password after a change (401) @destructive @employee', async ({
    api,
    anonymous,
    customerSession,
  }) => {
    // Tutorial "Changing a password": the new password replaces the current one.
    const { customer } = customerSession;
    ensureNoContent(
      await changePassword(api, customerSession.accessToken, customer.password, newPassword()),
      'password change',
    );
    await ensureLoginOutcome(
      'log in with the old password',
      api,
      anonymous.accessToken,
      { email: customer.email, password: customer.password },
      'refused',
      'old password after a change',
      REQ.OLD_PASSWORD_REFUSED,
    );
  });

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
    const { customer } = customerSession;
    const response = await changePassword(api, customerSession.accessToken, customer.password, 'Ab1!x');
    ensureBadRequest(response, '5-character new password', REQ.PASSWORD_TOO_SHORT);
    await ensureLoginOutcome(
      'the password is unchanged',
      api,
      anonymous.accessToken,
      { email: customer.email, password: customer.password },
      'accepted',
      'current password after a refused change',
      REQ.PASSWORD_TOO_SHORT,
    );
  });

  test("ends the customer's other sessions when the password changes @security @destructive @employee", async ({
    api,
    anonymous,
    customerSession,
  }) => {
    // behaviour.md Password change: "revokes every other token of the customer".
    const { customer } = customerSession;
    const other = await test.step('log in a second session', async () => {
      const response = await logIn(api, anonymous.accessToken, customer.email, customer.password);
      ensureLoginAccepted(response, 'second session');
      return response.body as { access_token: string; refresh_token: string };
    });
    ensureNoContent(
      await changePassword(api, customerSession.accessToken, customer.password, newPassword()),
      'password change from the first session',
    );
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
    const { customer } = customerSession;
    ensureNoContent(
      await changePassword(api, customerSession.accessToken, customer.password, newPassword()),
      'password change',
    );
    const profile = await readProfile(api, customerSession.accessToken, 'calling token after the change');
    ensureField(
      REQ.CHANGE_KEEPS_CALLER,
      'GET /me with the calling token',
      'customerNumber',
      profile.customerNumber,
      customer.customerNumber,
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
    const { customer } = customerSession;
    const newEmail = uniqueEmail(config.emailTemplate);
    const after = new Date();
    const response = await requestEmailChange(api, customerSession.accessToken, {
      email: customer.email,
      password: customer.password,
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

  test('refuses a wrong password with 400 @security @destructive @employee', async ({
    api,
    customerSession,
    config,
  }) => {
    // behaviour.md Email change: "Wrong password ... 400".
    const { customer } = customerSession;
    const response = await requestEmailChange(api, customerSession.accessToken, {
      email: customer.email,
      password: `${customer.password}-wrong`,
      newEmail: uniqueEmail(config.emailTemplate),
    });
    ensureBadRequest(response, 'wrong password', REQ.EMAIL_CHANGE_REFUSED);
  });

  test("refuses an email that is not the customer's login with 400 @security @destructive @employee", async ({
    api,
    customerSession,
    config,
  }) => {
    // behaviour.md Email change: "`email` not the customer's login: 400".
    const { customer } = customerSession;
    const response = await requestEmailChange(api, customerSession.accessToken, {
      email: uniqueEmail(config.emailTemplate),
      password: customer.password,
      newEmail: uniqueEmail(config.emailTemplate),
    });
    ensureBadRequest(response, "email is not the customer's login", REQ.EMAIL_CHANGE_REFUSED);
  });

  test('refuses a new email that is already a login on the tenant with 400, not 409 @destructive @employee', async ({
    api,
    customerSession,
    seedCustomer,
  }) => {
    // behaviour.md Email change: "`newEmail` already a login on the tenant: 400 (this operation documents no 409)"; discrepancies row 42.
    const { customer } = customerSession;
    const response = await requestEmailChange(api, customerSession.accessToken, {
      email: customer.email,
      password: customer.password,
      newEmail: seedCustomer.email,
    });
    ensureBadRequest(response, "newEmail is another customer's login", REQ.EMAIL_CHANGE_REFUSED);
  });
});

test.describe('Confirming an email change', () => {
  test('confirms the change with the emailed token (204), and the new email logs in @destructive @employee @email', async ({
    api,
    anonymous,
    customerSession,
    mailbox,
    config,
  }) => {
    // Tutorial "Confirming an email change"; behaviour.md: 204, "the login email becomes newEmail".
    const { customer } = customerSession;
    const newEmail = uniqueEmail(config.emailTemplate);
    await changeLoginEmail(api, mailbox, anonymous.accessToken, customerSession, newEmail);
    await ensureLoginOutcome(
      'log in with the new email',
      api,
      anonymous.accessToken,
      { email: newEmail, password: customer.password },
      'accepted',
      'new login email',
    );
  });

  test('refuses the old email at login after the change (401) @destructive @employee @email', async ({
    api,
    anonymous,
    customerSession,
    mailbox,
    config,
  }) => {
    // behaviour.md Email change: "the old one fails with 401".
    const { customer } = customerSession;
    await changeLoginEmail(
      api,
      mailbox,
      anonymous.accessToken,
      customerSession,
      uniqueEmail(config.emailTemplate),
    );
    await ensureLoginOutcome(
      'log in with the old email',
      api,
      anonymous.accessToken,
      { email: customer.email, password: customer.password },
      'refused',
      'old login email after the change',
      REQ.EMAIL_CHANGE_NEW_LOGIN,
    );
  });

  test('lists the new email, not the old one, in accounts[].id @destructive @employee @email', async ({
    api,
    anonymous,
    customerSession,
    mailbox,
    config,
  }) => {
    // behaviour.md Email change: "`accounts[].id` changes".
    const { customer } = customerSession;
    const newEmail = uniqueEmail(config.emailTemplate);
    await changeLoginEmail(api, mailbox, anonymous.accessToken, customerSession, newEmail);
    const profile =
      await test.step('read the profile as the customer, logged in with the new email', async () => {
        const access = ensureLoginAccepted(
          await logIn(api, anonymous.accessToken, newEmail, customer.password),
          'new login email',
        );
        return await readProfile(api, access, 'after the email change');
      });
    ensureLoginsAre(profile, newEmail, customer.email, 'after the email change');
  });

  for (const sync of [true, false]) {
    test(`${sync ? 'updates' : 'leaves'} contactEmail ${sync ? 'to the new email' : 'unchanged'} when syncContactEmail is ${sync} @destructive @employee @email`, async ({
      api,
      anonymous,
      customerSession,
      mailbox,
      config,
    }) => {
      // Tutorial "Request an email change" (syncContactEmail); behaviour.md: "`contactEmail` too when `syncContactEmail` was true".
      const { customer } = customerSession;
      const newEmail = uniqueEmail(config.emailTemplate);
      await changeLoginEmail(api, mailbox, anonymous.accessToken, customerSession, newEmail, {
        syncContactEmail: sync,
      });
      const access = ensureLoginAccepted(
        await logIn(api, anonymous.accessToken, newEmail, customer.password),
        'new login email',
      );
      const profile = await readProfile(api, access, `after the change with syncContactEmail ${sync}`);
      // The signup set contactEmail to the login email (helpers/data.ts signupBody).
      ensureContactEmail(
        profile,
        sync ? newEmail : customer.email,
        `syncContactEmail ${sync}`,
        REQ.EMAIL_CHANGE_SYNC_CONTACT,
      );
    });
  }

  test('accepts an email-change token only once: the second use is 400 @security @destructive @employee @email', async ({
    api,
    anonymous,
    customerSession,
    mailbox,
    config,
  }) => {
    // behaviour.md Email change confirm: "Bad or used token: 400".
    const token = await changeLoginEmail(
      api,
      mailbox,
      anonymous.accessToken,
      customerSession,
      uniqueEmail(config.emailTemplate),
    );
    ensureBadRequest(
      await confirmEmailChange(api, anonymous.accessToken, token),
      'email-change token used twice',
      REQ.EMAIL_CHANGE_TOKEN_REFUSED,
    );
  });

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
