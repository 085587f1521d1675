// The `imap` mailbox: reads the tokens a real tenant emails (opt-in, password reset, email change,
// profile deletion) from a real mailbox over IMAP, e.g. a catch-all or plus-addressed inbox that
// receives every run's `qa+{run}-{n}@...` addresses. The folder is opened read-only: nothing is
// flagged, moved or deleted.
//
// Which message counts, for `waitFor(to, kind, {after})`:
// - its `To` header names `to` (case-insensitive); other recipients' mail is never read further;
// - it arrived (IMAP INTERNALDATE) at or after `after` less ARRIVAL_SLACK_MS, for the clocks of the
//   mail server and this machine differ a little;
// - its kind, from the first rule of MAILBOX_KINDS whose keywords appear in the subject, else in
//   the text, is `kind` (with MAILBOX_KINDS=ignore every message counts, whatever it says);
// - MAILBOX_TOKEN_PATTERN finds a token in its text body, else in its HTML body.
// The newest such message wins. The folder is searched again until one comes or the time is up;
// the timeout's message lists what did arrive for the address.
// imapflow and mailparser are loaded when a mailbox is first read, not with this module: loading them
// cost every worker process about 0.35 s of CPU, and only runs with MAILBOX=imap use them.
import type { ImapFlow, ImapFlowOptions } from 'imapflow';
import type { AddressObject, ParsedMail } from 'mailparser';
import { test } from '@playwright/test';
import type { Config, ImapSettings, MailKindRules } from './config.ts';
import { registerSecrets } from './mask.ts';
import type { Mailbox, MailKind, MailMessage, WaitForOptions } from './mailbox-types.ts';

/** How much earlier than `after` a message may have arrived and still count. */
export const ARRIVAL_SLACK_MS = 5_000;

export interface ImapMailboxOptions {
  imap: ImapSettings;
  tokenPattern: RegExp;
  kindRules: MailKindRules;
  /** Default wait for `waitFor` (MAILBOX_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** Pause between two searches; 1 s by default. */
  pollIntervalMs?: number;
  /** Extra TLS options, e.g. a test server's certificate. */
  tls?: ImapFlowOptions['tls'];
}

/** The options of an IMAP mailbox from the configuration (MAILBOX=imap). */
export function imapOptionsFrom(config: Config): ImapMailboxOptions {
  if (!config.imap) throw new Error('MAILBOX=imap but the IMAP settings are missing');
  return {
    imap: config.imap,
    tokenPattern: config.mailTokenPattern,
    kindRules: config.mailKindRules,
    timeoutMs: config.mailTimeoutMs,
  };
}

async function client(options: ImapMailboxOptions): Promise<ImapFlow> {
  const { imap } = options;
  const { ImapFlow } = await import('imapflow');
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    ...(options.tls ? { tls: options.tls } : {}),
  });
}

/** The first kind whose keywords appear in the subject, else in the text; undefined when none does. */
export function inferKind(subject: string, text: string, rules: MailKindRules): string | undefined {
  if (rules === 'ignore') return undefined;
  for (const source of [subject, text]) {
    for (const [kind, pattern] of rules) if (pattern.test(source)) return kind;
  }
  return undefined;
}

/** The token in a message: capture group 1 of the pattern, in the text body first, then the HTML. */
export function findToken(text: string, html: string, pattern: RegExp): string | undefined {
  for (const source of [text, html]) {
    const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(source);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

function recipients(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

interface Seen {
  uid: number;
  arrived: Date;
  subject: string;
  kind: string | undefined;
  token: string | undefined;
  sentAt: Date;
}

function describe(message: Seen): string {
  return (
    `"${message.subject}" arrived ${message.arrived.toISOString()} ` +
    `(kind ${message.kind ?? 'not recognised'}, ${message.token ? 'token found' : 'no token found by MAILBOX_TOKEN_PATTERN'})`
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` as a boxed step inside a test, plainly outside one (a script). */
async function step<T>(title: string, fn: () => Promise<T>): Promise<T> {
  try {
    test.info();
  } catch {
    return await fn();
  }
  return await test.step(title, fn, { box: true });
}

export function imapMailbox(options: ImapMailboxOptions): Mailbox {
  const where = `IMAP ${options.imap.user}@${options.imap.host}:${options.imap.port} folder ${options.imap.mailbox}`;
  return {
    async waitFor(to: string, kind: MailKind, opts: WaitForOptions = {}): Promise<MailMessage> {
      const timeoutMs = opts.timeoutMs ?? options.timeoutMs;
      const after = opts.after ? opts.after.getTime() - ARRIVAL_SLACK_MS : 0;
      const address = to.toLowerCase();
      return await step(`wait for the ${kind} email to ${to} (IMAP)`, async () => {
        const deadline = Date.now() + timeoutMs;
        const imap = await client(options);
        const { simpleParser } = await import('mailparser');
        const seen = new Map<number, Seen>();
        /** Messages the search found whose To header names someone else: never fetched again. */
        const others = new Set<number>();
        await imap.connect();
        try {
          await imap.mailboxOpen(options.imap.mailbox, { readOnly: true });
          for (;;) {
            await imap.noop(); // lets the server report what arrived since the last look
            // SEARCH TO is a substring match and SINCE a whole day: both only narrow; the checks below decide.
            const uids =
              (await imap.search(
                { to: address, ...(opts.after ? { since: new Date(after - 86_400_000) } : {}) },
                { uid: true },
              )) || [];
            const fresh = uids.filter((uid) => !seen.has(uid) && !others.has(uid));
            if (fresh.length > 0) {
              for await (const fetched of imap.fetch(
                fresh,
                { uid: true, internalDate: true, source: true },
                { uid: true },
              )) {
                if (!fetched.source) continue;
                const parsed: ParsedMail = await simpleParser(fetched.source);
                if (!recipients(parsed.to).includes(address)) {
                  others.add(fetched.uid);
                  continue;
                }
                const text = parsed.text ?? '';
                const html = typeof parsed.html === 'string' ? parsed.html : '';
                const subject = parsed.subject ?? '';
                const arrived = new Date(fetched.internalDate ?? parsed.date ?? Date.now());
                seen.set(fetched.uid, {
                  uid: fetched.uid,
                  arrived,
                  subject,
                  kind: inferKind(subject, text || html, options.kindRules),
                  token: findToken(text, html, options.tokenPattern),
                  sentAt: parsed.date ?? arrived,
                });
              }
            }
            const mine = [...seen.values()];
            const matching = mine
              .filter((m) => m.arrived.getTime() >= after)
              .filter((m) => options.kindRules === 'ignore' || m.kind === kind)
              .filter((m) => m.token !== undefined)
              .sort((a, b) => a.arrived.getTime() - b.arrived.getTime() || a.uid - b.uid);
            const newest = matching.at(-1);
            if (newest?.token) {
              // An emailed token crossed no exchange of the suite's yet: a secret from now on.
              registerSecrets([{ value: newest.token, cls: 'tok' }]);
              return {
                to,
                kind,
                token: newest.token,
                sentAt: newest.sentAt,
                ...(newest.subject ? { subject: newest.subject } : {}),
              };
            }
            if (Date.now() + (options.pollIntervalMs ?? 1000) > deadline) {
              const lines = mine.length
                ? mine.map((m) => `  - ${describe(m)}`).join('\n')
                : '  (no message whose To header names that address)';
              throw new Error(
                `No ${kind} email to ${to} arrived within ${timeoutMs} ms in ${where}` +
                  `${opts.after ? ` (counting messages that arrived since ${new Date(after).toISOString()})` : ''}. ` +
                  `Messages to that address:\n${lines}` +
                  (others.size
                    ? `\n  (${others.size} other messages matched the search but not the To header)`
                    : '') +
                  (mine.some((m) => m.token === undefined)
                    ? '\nA message without a token: check MAILBOX_TOKEN_PATTERN against the email template.'
                    : '') +
                  (mine.some((m) => m.token && m.kind !== kind)
                    ? `\nA message of another kind: check MAILBOX_KINDS (or set it to ignore).`
                    : ''),
              );
            }
            await sleep(options.pollIntervalMs ?? 1000);
          }
        } finally {
          await imap.logout().catch(() => imap.close());
        }
      });
    },
  };
}

/** Logs in and opens the folder read-only: what `npm run doctor` checks. Returns the message count. */
export async function checkImapMailbox(options: ImapMailboxOptions): Promise<number> {
  const imap = await client(options);
  await imap.connect();
  try {
    const box = await imap.mailboxOpen(options.imap.mailbox, { readOnly: true });
    return box.exists;
  } finally {
    await imap.logout().catch(() => imap.close());
  }
}
