// The IMAP mailbox adapter against a real IMAP server: the project's `dovecot` worker fixture
// (fixtures/imap-server.ts) starts a Dovecot process on a free port of 127.0.0.1, from a temporary
// configuration with one passwd-file user and a maildir. Mail arrives the way a tenant's email would:
// as a file delivered into the maildir's `new/` folder. Needs no API target (@offline). Skipped, with
// the reason, only where Dovecot is not installed; on CI (.ci/run installs it) a missing Dovecot fails
// instead.
import { randomBytes } from 'node:crypto';
import { test as base, expect } from '../fixtures/index.ts';
import { USER, type Delivery, type ImapServer } from '../fixtures/imap-server.ts';
import { checkImapMailbox, imapMailbox } from '../helpers/mailbox-imap.ts';

// Test-scoped fixtures only: a worker-scoped one declared here would give this spec worker processes
// of its own (the `dovecot` server is a worker fixture of fixtures/index.ts).
const test = base.extend<{ mail: ImapServer }>({
  mail: async ({ dovecot }, use) => {
    await use(dovecot);
  },
});

/** A fresh address of this test, like the suite's own. */
function address(): string {
  return `qa+imaptest${randomBytes(3).toString('hex')}-1@example.com`;
}

/** A 64-character token like the ones the service emails. */
function token(): string {
  return randomBytes(48)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(64, 'x')
    .slice(0, 64);
}

/** Delivers one message, composed around a fresh token, to a fresh address; returns both. */
function deliverFresh(
  mail: ImapServer,
  compose: (t: string) => Omit<Delivery, 'to'>,
): { to: string; t: string } {
  const to = address();
  const t = token();
  mail.deliver({ to, ...compose(t) });
  return { to, t };
}

test.describe('IMAP mailbox @offline', () => {
  test('hands over the token of the password-reset email sent to the address', async ({ mail }) => {
    const { to, t } = deliverFresh(mail, (fresh) => ({
      subject: 'Reset your password',
      text: `Open https://shop.example/reset?token=${fresh} within an hour.`,
    }));
    const message = await imapMailbox(mail.options()).waitFor(to, 'password-reset');
    expect(message).toMatchObject({ to, kind: 'password-reset', token: t, subject: 'Reset your password' });
  });

  test('finds the token in the HTML body when the text has none', async ({ mail }) => {
    const { to, t } = deliverFresh(mail, (fresh) => ({
      subject: 'Please confirm your registration',
      text: 'Click the button in this email.',
      html: `<p><a href="https://shop.example/optin/${fresh}">Confirm</a></p>`,
    }));
    expect((await imapMailbox(mail.options()).waitFor(to, 'opt-in')).token).toBe(t);
  });

  test('reads only messages whose To header names the address', async ({ mail }) => {
    const to = address();
    const mine = token();
    mail.deliver({ to, subject: 'Reset your password', text: `token=${mine}` });
    // Newer, so they would win were the To header not checked: another run's address, and one that
    // merely contains this one (IMAP SEARCH TO matches substrings).
    mail.deliver({
      to: to.replace('qa+', 'qa+other'),
      subject: 'Reset your password',
      text: `token=${token()}`,
    });
    mail.deliver({ to: `x${to}`, subject: 'Reset your password', text: `token=${token()}` });
    expect((await imapMailbox(mail.options()).waitFor(to, 'password-reset')).token).toBe(mine);
  });

  test('picks the message of the awaited kind', async ({ mail }) => {
    const to = address();
    const optIn = token();
    const reset = token();
    mail.deliver({ to, subject: 'Activate your account', text: `token=${optIn}` });
    mail.deliver({ to, subject: 'Reset your password', text: `token=${reset}` });
    const mailbox = imapMailbox(mail.options());
    expect((await mailbox.waitFor(to, 'opt-in')).token).toBe(optIn);
    expect((await mailbox.waitFor(to, 'password-reset')).token).toBe(reset);
  });

  test('counts only messages that arrived after the triggering call', async ({ mail }) => {
    const to = address();
    const fresh = token();
    mail.deliver({
      to,
      subject: 'Reset your password',
      text: `token=${token()}`,
      arrived: new Date(Date.now() - 600_000),
    });
    const after = new Date();
    const mailbox = imapMailbox(mail.options({ timeoutMs: 1_000 }));
    await expect(mailbox.waitFor(to, 'password-reset', { after })).rejects.toThrow(/arrived since/);
    mail.deliver({ to, subject: 'Reset your password', text: `token=${fresh}` });
    expect((await mailbox.waitFor(to, 'password-reset', { after })).token).toBe(fresh);
  });

  test('waits for a message that arrives while it polls', async ({ mail }) => {
    const to = address();
    const t = token();
    setTimeout(
      () => mail.deliver({ to, subject: 'Confirm your new email address', text: `token=${t}` }),
      800,
    );
    const message = await imapMailbox(mail.options()).waitFor(to, 'email-change', { timeoutMs: 5_000 });
    expect(message.token).toBe(t);
  });

  test('with MAILBOX_KINDS=ignore takes the newest message whatever it says', async ({ mail }) => {
    const { to, t } = deliverFresh(mail, (fresh) => ({ subject: 'Your shop', text: `token=${fresh}` }));
    const mailbox = imapMailbox(mail.options({ kindRules: 'ignore' }));
    expect((await mailbox.waitFor(to, 'profile-delete')).token).toBe(t);
  });

  test('says on timeout what arrived for the address and why it did not count', async ({ mail }) => {
    const to = address();
    mail.deliver({ to, subject: 'Reset your password', text: 'Your reset link is on its way.' });
    mail.deliver({ to, subject: 'Activate your account', text: `token=${token()}` });
    const started = Date.now();
    const error = await imapMailbox(mail.options({ timeoutMs: 1_500 }))
      .waitFor(to, 'password-reset')
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(
      `No password-reset email to ${to} arrived within 1500 ms in IMAP ${USER}@127.0.0.1:`,
    );
    expect(message).toContain('"Reset your password" arrived');
    expect(message).toContain('no token found by MAILBOX_TOKEN_PATTERN');
    expect(message).toContain('"Activate your account" arrived');
    expect(message).toContain('kind opt-in, token found');
    expect(Date.now() - started, 'gives up near the timeout').toBeLessThan(5_000);
  });

  test('the doctor check logs in and opens the folder; a wrong password is refused', async ({ mail }) => {
    expect(await checkImapMailbox(mail.options())).toBeGreaterThanOrEqual(0);
    const wrong = mail.options();
    await expect(
      checkImapMailbox({ ...wrong, imap: { ...wrong.imap, password: 'wrong' } }),
    ).rejects.toThrow();
  });
});
