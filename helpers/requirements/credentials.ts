// Requirements of the tutorial's "How to manage customer credentials": password reset and change,
// and the two-step login-email change.
import { requirement } from '../findings.ts';

export const NEW_PASSWORD_WORKS = requirement({
  code: 'password.new-works',
  source: 'T',
  reference: 'Tutorial, "Resetting a password using token", "Changing a password"',
  summary: 'after a reset or change the new password logs in',
});

export const OLD_PASSWORD_REFUSED = requirement({
  code: 'password.old-refused',
  source: 'T',
  reference: 'Tutorial, "Changing a password": the new password replaces the current one',
  summary: 'after a reset or change the old password is refused (401)',
});

export const RESET_TOKEN_REFUSED = requirement({
  code: 'password-reset.token-refused.400',
  source: 'B',
  reference: 'docs/behaviour.md "Password reset": bad, used or expired token → 400',
  summary: 'an unknown or used reset token is refused with 400',
});

export const PASSWORD_TOO_SHORT = requirement({
  code: 'password.too-short.400',
  source: 'B',
  reference:
    'docs/behaviour.md "Password reset", "Password change": at least 6 characters; discrepancies row 15',
  summary: 'a password shorter than 6 characters is refused with 400',
});

export const WRONG_CURRENT_PASSWORD = requirement({
  code: 'password-change.wrong-current.400',
  source: 'B',
  reference: 'docs/behaviour.md "Password change"; discrepancies row 43',
  summary: 'a password change with a wrong current password is refused with 400',
});

export const RESET_REVOKES_TOKENS = requirement({
  code: 'password-reset.revokes-tokens',
  source: 'B',
  reference: 'docs/behaviour.md "Password reset"',
  summary: "a password reset revokes the customer's access and refresh tokens",
});

export const CHANGE_REVOKES_OTHER_TOKENS = requirement({
  code: 'password-change.revokes-other-tokens',
  source: 'B',
  reference: 'docs/behaviour.md "Password change"',
  summary: "a password change revokes the customer's other sessions",
});

export const CHANGE_KEEPS_CALLER = requirement({
  code: 'password-change.keeps-calling-token',
  source: 'B',
  reference: 'docs/behaviour.md "Password change"',
  summary: 'the token that changed the password keeps working',
});

export const RESET_EMAILS_TOKEN = requirement({
  code: 'password-reset.emails-token',
  source: 'T',
  reference: 'Tutorial, "Requesting a password reset": sends a unique token to the email address',
  summary: 'a password reset request emails a token to the customer',
});

export const EMAIL_CHANGE_TO_NEW_ADDRESS = requirement({
  code: 'email-change.token-to-new-address',
  source: 'T',
  reference: 'Tutorial, "Request an email change": a confirmation token to the new email address',
  summary: 'the email-change token is sent to the new address',
});

export const EMAIL_CHANGE_REFUSED = requirement({
  code: 'email-change.refused.400',
  source: 'B',
  reference:
    'docs/behaviour.md "Email change": wrong password, email not the customer\'s login, newEmail taken; discrepancies row 42',
  summary: 'an email change with a wrong password, a foreign email or a taken newEmail is refused with 400',
});

export const EMAIL_CHANGE_TOKEN_REFUSED = requirement({
  code: 'email-change.token-refused.400',
  source: 'B',
  reference: 'docs/behaviour.md "Email change confirm": bad or used token → 400',
  summary: 'an unknown or used email-change token is refused with 400',
});

export const EMAIL_CHANGE_NEW_LOGIN = requirement({
  code: 'email-change.new-login',
  source: 'T',
  reference: 'Tutorial, "Confirming an email change": the login email becomes the new one',
  summary: 'after the confirmation the new email logs in, the old one is refused, accounts[].id follows',
});

export const EMAIL_CHANGE_SYNC_CONTACT = requirement({
  code: 'email-change.sync-contact-email',
  source: 'R',
  reference: 'R: EmailChangeRequest.syncContactEmail',
  summary: 'contactEmail follows the new login email exactly when syncContactEmail was true',
});
