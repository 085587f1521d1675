// What every mailbox offers (helpers/mailbox.ts chooses one by MAILBOX): the test-only outbox of a
// mock server, or a real mailbox over IMAP (helpers/mailbox-imap.ts). Its own module so that both
// implementations and the chooser import it, and none of them imports another.

export type MailKind = 'opt-in' | 'password-reset' | 'email-change' | 'profile-delete';

export interface MailMessage {
  to: string;
  kind: MailKind;
  token: string;
  sentAt: Date;
  subject?: string;
}

export interface WaitForOptions {
  /** Only messages sent at or after this moment count (take it just before the triggering call). */
  after?: Date;
  /** How long to wait; MAILBOX_TIMEOUT_SECONDS (10 s) by default. */
  timeoutMs?: number;
}

export interface Mailbox {
  /** The newest message of `kind` to `to` (sent at or after `opts.after`), waiting for it to arrive. */
  waitFor(to: string, kind: MailKind, opts?: WaitForOptions): Promise<MailMessage>;
}
