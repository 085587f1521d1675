// Where the suite reads the tokens the service emails (opt-in, password reset, email change,
// profile deletion), chosen by MAILBOX: `mock` polls the test-only outbox of a mock server through
// the ApiClient, so each look is checked and recorded like any other exchange; `imap` reads a real
// mailbox (helpers/mailbox-imap.ts); `none` has no mailbox and the @email tests are skipped.
// The outbox is read as docs/mock-protocol.md defines it, and held to nothing more: `to`, `kind`,
// `token` and `sentAt` on each message, `subject` optional, the `to` filter optional (the messages
// are filtered here by recipient, kind and time).
import { test } from '@playwright/test';
import type { ApiClient } from './api-client.ts';
import type { Config } from './config.ts';
import { imapMailbox, imapOptionsFrom } from './mailbox-imap.ts';
import type { Mailbox, MailKind, MailMessage } from './mailbox-types.ts';

export type { Mailbox, MailKind, MailMessage };

export const DEFAULT_MAIL_TIMEOUT_MS = 10_000;

interface OutboxEntry {
  to: string;
  kind: string;
  token: string;
  sentAt: string;
  subject?: string;
}

function isOutboxEntry(value: unknown): value is OutboxEntry {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.to === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.token === 'string' &&
    typeof v.sentAt === 'string'
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The outbox of a mock server: GET /_mock/{tenant}/outbox?to= (a JSON array, oldest first). */
export function mockMailbox(
  api: ApiClient,
  config: Pick<Config, 'tenant'> & Partial<Pick<Config, 'mailTimeoutMs'>>,
): Mailbox {
  return {
    async waitFor(to, kind, opts = {}) {
      const timeoutMs = opts.timeoutMs ?? config.mailTimeoutMs ?? DEFAULT_MAIL_TIMEOUT_MS;
      const after = opts.after?.getTime() ?? 0;
      return await test.step(
        `wait for the ${kind} email to ${to}`,
        async () => {
          const deadline = Date.now() + timeoutMs;
          // The first looks come quickly (a mock has the message at once; a tenant's mail server
          // often within a second), then back off to one look a second.
          let delay = 25;
          let last: OutboxEntry[] = [];
          for (;;) {
            const response = await api.call('GET-mock-outbox', {
              path: { tenant: config.tenant },
              query: { to },
            });
            if (response.status !== 200 || !Array.isArray(response.body)) {
              throw new Error(
                `The outbox of tenant ${config.tenant} answered ${response.status}, expected 200 and a list`,
              );
            }
            last = response.body.filter(isOutboxEntry);
            const matching = last.filter(
              (m) =>
                m.kind === kind && m.to.toLowerCase() === to.toLowerCase() && Date.parse(m.sentAt) >= after,
            );
            const newest = matching.at(-1);
            if (newest) {
              return {
                to: newest.to,
                kind,
                token: newest.token,
                sentAt: new Date(newest.sentAt),
                ...(newest.subject !== undefined ? { subject: newest.subject } : {}),
              };
            }
            if (Date.now() + delay > deadline) break;
            await sleep(delay);
            delay = Math.min(delay * 2, 1000);
          }
          const seen = last.length
            ? last.map((m) => `${m.kind} at ${m.sentAt}`).join(', ')
            : 'no messages at all';
          throw new Error(
            `No ${kind} email to ${to} arrived within ${timeoutMs} ms` +
              `${opts.after ? ` (counting messages sent since ${opts.after.toISOString()})` : ''}; ` +
              `the outbox holds for that address: ${seen}`,
          );
        },
        { box: true },
      );
    },
  };
}

/** The configured mailbox, or undefined for MAILBOX=none. */
export function createMailbox(api: ApiClient, config: Config): Mailbox | undefined {
  switch (config.mailbox) {
    case 'mock':
      return mockMailbox(api, config);
    case 'imap':
      return imapMailbox(imapOptionsFrom(config));
    case 'none':
      return undefined;
  }
}
