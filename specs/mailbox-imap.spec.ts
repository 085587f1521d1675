// The IMAP mailbox adapter against a real IMAP server: a Dovecot process this spec starts on a free
// port of 127.0.0.1, from a temporary configuration with one passwd-file user and a maildir. Mail
// arrives the way a tenant's email would: as a file delivered into the maildir's `new/` folder.
// Needs no API target (@offline). Skipped, with the reason, only where Dovecot is not installed;
// on CI (.ci/run installs it) a missing Dovecot fails instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '../fixtures/index.ts';
import { DEFAULT_MAIL_KINDS, DEFAULT_MAIL_TOKEN_PATTERN, parseMailKindRules } from '../helpers/config.ts';
import { checkImapMailbox, imapMailbox, type ImapMailboxOptions } from '../helpers/mailbox-imap.ts';

const DOVECOT_PATHS = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot', '/opt/homebrew/sbin/dovecot'];
const USER = 'qa';
const PASSWORD = 'imap-test-password';

interface Delivery {
  to: string;
  subject: string;
  text?: string;
  html?: string;
  /** When it arrived (the file's mtime is Dovecot's INTERNALDATE); now by default. */
  arrived?: Date;
}

interface ImapServer {
  options: (overrides?: Partial<ImapMailboxOptions>) => ImapMailboxOptions;
  deliver: (mail: Delivery) => void;
}

/** A free port on 127.0.0.1 (released just before Dovecot binds it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, process: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`dovecot exited with ${process.exitCode}:\n${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`dovecot did not listen on 127.0.0.1:${port} within 15 s:\n${log()}`);
}

const test = base.extend<{ mail: ImapServer }, { dovecot: ImapServer }>({
  dovecot: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring pattern
    async ({}, use) => {
      const binary = DOVECOT_PATHS.find((p) => existsSync(p));
      if (!binary) {
        const reason =
          'dovecot is not installed (apt-get install dovecot-imapd): the IMAP adapter needs a real IMAP server to be tested';
        if (process.env.CI) throw new Error(`${reason}; .ci/run installs it, so on CI this is a failure`);
        base.skip(true, reason);
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'imap-test-'));
      chmodSync(dir, 0o755); // the mail user must reach its maildir
      const maildir = join(dir, 'mail', USER, 'Maildir');
      for (const sub of ['new', 'cur', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
      writeFileSync(join(dir, 'passwd'), `${USER}:{PLAIN}${PASSWORD}\n`);
      mkdirSync(join(dir, 'run'));
      mkdirSync(join(dir, 'state'));
      // Dovecot refuses to serve mail as root: as root, the mail belongs to nobody (65534).
      const root = process.getuid?.() === 0;
      const [uid, gid] = root ? [65534, 65534] : [process.getuid?.() ?? 0, process.getgid?.() ?? 0];
      if (root) {
        for (const p of [
          join(dir, 'mail'),
          join(dir, 'mail', USER),
          maildir,
          ...['new', 'cur', 'tmp'].map((s) => join(maildir, s)),
        ]) {
          chownSync(p, uid, gid);
        }
      }
      const port = await freePort();
      const me = userInfo().username;
      writeFileSync(
        join(dir, 'dovecot.conf'),
        [
          `base_dir = ${join(dir, 'run')}`,
          `state_dir = ${join(dir, 'state')}`,
          `log_path = ${join(dir, 'dovecot.log')}`,
          'protocols = imap',
          'listen = 127.0.0.1',
          'ssl = no',
          'disable_plaintext_auth = no',
          'auth_mechanisms = plain login',
          ...(root ? [] : [`default_login_user = ${me}`, `default_internal_user = ${me}`]),
          `mail_location = maildir:${join(dir, 'mail')}/%u/Maildir`,
          'passdb {',
          '  driver = passwd-file',
          `  args = scheme=PLAIN username_format=%u ${join(dir, 'passwd')}`,
          '}',
          'userdb {',
          '  driver = static',
          `  args = uid=${uid} gid=${gid} home=${join(dir, 'mail')}/%u`,
          '}',
          'service imap-login {',
          '  chroot =',
          '  inet_listener imap {',
          '    address = 127.0.0.1',
          `    port = ${port}`,
          '  }',
          '  inet_listener imaps {',
          '    port = 0',
          '  }',
          '}',
          'service anvil {',
          '  chroot =',
          '}',
          '',
        ].join('\n'),
      );
      let output = '';
      const server = spawn(binary, ['-F', '-c', join(dir, 'dovecot.conf')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout?.on('data', (d) => (output += d));
      server.stderr?.on('data', (d) => (output += d));
      const logFile = join(dir, 'dovecot.log');
      /** What Dovecot said, for an error message. */
      const log = () => `${output}${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`;
      let n = 0;
      try {
        await waitForPort(port, server, log);
        await use({
          options: (overrides = {}) => ({
            imap: {
              host: '127.0.0.1',
              port,
              secure: false,
              user: USER,
              password: PASSWORD,
              mailbox: 'INBOX',
            },
            tokenPattern: new RegExp(DEFAULT_MAIL_TOKEN_PATTERN),
            kindRules: parseMailKindRules(DEFAULT_MAIL_KINDS, []),
            timeoutMs: 3_000,
            pollIntervalMs: 200,
            ...overrides,
          }),
          deliver: (mail) => {
            n += 1;
            const boundary = `b${randomBytes(6).toString('hex')}`;
            const arrived = mail.arrived ?? new Date();
            const headers = [
              'From: Shop <noreply@shop.example>',
              `To: ${mail.to}`,
              `Subject: ${mail.subject}`,
              `Date: ${arrived.toUTCString()}`,
              `Message-ID: <${n}.${boundary}@shop.example>`,
              'MIME-Version: 1.0',
            ];
            const body =
              mail.html === undefined
                ? [...headers, 'Content-Type: text/plain; charset=utf-8', '', mail.text ?? '']
                : [
                    ...headers,
                    `Content-Type: multipart/alternative; boundary="${boundary}"`,
                    '',
                    `--${boundary}`,
                    'Content-Type: text/plain; charset=utf-8',
                    '',
                    mail.text ?? '',
                    `--${boundary}`,
                    'Content-Type: text/html; charset=utf-8',
                    '',
                    mail.html,
                    `--${boundary}--`,
                  ];
            // Maildir delivery: write into tmp/, then move into new/ in one step.
            const name = `${Math.floor(arrived.getTime() / 1000)}.M${n}P${process.pid}.test`;
            const tmp = join(maildir, 'tmp', name);
            writeFileSync(tmp, `${body.join('\r\n')}\r\n`);
            if (root) chownSync(tmp, uid, gid);
            utimesSync(tmp, arrived, arrived);
            renameSync(tmp, join(maildir, 'new', name));
          },
        });
      } finally {
        server.kill('SIGTERM');
        await new Promise((resolve) =>
          server.exitCode !== null ? resolve(null) : server.once('exit', resolve),
        );
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { scope: 'worker' },
  ],
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

test.describe('IMAP mailbox @offline', () => {
  test('hands over the token of the password-reset email sent to the address', async ({ mail }) => {
    const to = address();
    const t = token();
    mail.deliver({
      to,
      subject: 'Reset your password',
      text: `Open https://shop.example/reset?token=${t} within an hour.`,
    });
    const message = await imapMailbox(mail.options()).waitFor(to, 'password-reset');
    expect(message).toMatchObject({ to, kind: 'password-reset', token: t, subject: 'Reset your password' });
  });

  test('finds the token in the HTML body when the text has none', async ({ mail }) => {
    const to = address();
    const t = token();
    mail.deliver({
      to,
      subject: 'Please confirm your registration',
      text: 'Click the button in this email.',
      html: `<p><a href="https://shop.example/optin/${t}">Confirm</a></p>`,
    });
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
    const to = address();
    const t = token();
    mail.deliver({ to, subject: 'Your shop', text: `token=${t}` });
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
