// The server under exploration as the commands see it: every request goes through the project's
// client (schema-checked, masked, recorded, in the cleanup ledger), counted against the run's request
// budget and written into the story of the current sequence.
import type { ApiClient, ApiResponse, CallOptions } from '../api-client.ts';
import { operationLabel } from '../api-client.ts';
import type { OperationId } from '../catalog.ts';
import type { Config } from '../config.ts';
import type { Finding } from '../findings.ts';
import { formatFinding } from '../findings.ts';
import type { Mailbox, MailKind } from '../mailbox.ts';
import { maskText } from '../mask.ts';

/** Thrown when the request budget or the time limit is spent: the sequence stops there, unjudged. */
export class BudgetSpent extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'BudgetSpent';
  }
}

export interface Budget {
  /** Requests the exploration may still send. */
  requestsLeft: number;
  /** When no further request may start (ms since the epoch). */
  deadline: number;
  /** Requests sent so far. */
  sent: number;
}

export interface StoryExchange {
  request: string;
  status: number;
}

/** One step of a sequence as a person reads it. */
export interface StoryStep {
  text: string;
  exchanges: StoryExchange[];
  /** What the model expected and what came, when the step failed. */
  findings: string[];
}

export class Story {
  readonly steps: StoryStep[] = [];

  begin(text: string): StoryStep {
    const step: StoryStep = { text, exchanges: [], findings: [] };
    this.steps.push(step);
    return step;
  }

  get current(): StoryStep | undefined {
    return this.steps.at(-1);
  }
}

/** The step title a command runs under (a Playwright step when inside a test). */
export type StepRunner = <T>(title: string, body: () => Promise<T>) => Promise<T>;

export interface SystemOptions {
  api: ApiClient;
  config: Config;
  employeeToken: string;
  mailbox: Mailbox | undefined;
  budget: Budget;
  story: Story;
  step: StepRunner;
}

export class System {
  readonly api: ApiClient;
  readonly config: Config;
  readonly employeeToken: string;
  readonly mailbox: Mailbox | undefined;
  readonly budget: Budget;
  readonly story: Story;
  readonly step: StepRunner;
  /** Customers this sequence signed up (deleted when it ends). */
  readonly created: string[] = [];

  constructor(options: SystemOptions) {
    this.api = options.api;
    this.config = options.config;
    this.employeeToken = options.employeeToken;
    this.mailbox = options.mailbox;
    this.budget = options.budget;
    this.story = options.story;
    this.step = options.step;
  }

  /** Fails fast when `requests` more would overrun the budget or the time limit. */
  reserve(requests: number): void {
    if (this.budget.requestsLeft < requests) throw new BudgetSpent('request budget spent');
    if (Date.now() > this.budget.deadline) throw new BudgetSpent('time limit reached');
  }

  async call(opId: OperationId, options: CallOptions = {}): Promise<ApiResponse> {
    this.budget.requestsLeft -= 1;
    this.budget.sent += 1;
    try {
      const response = await this.api.call(opId, options);
      this.story.current?.exchanges.push({
        request: operationLabel(response.operation),
        status: response.status,
      });
      return response;
    } catch (error) {
      // The client refused the answer (status not documented, schema broken): the story says so.
      const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      this.story.current?.findings.push(maskText(first));
      throw error;
    }
  }

  /** The newest emailed token of `kind` to `to` sent since `after`, read from the configured mailbox. */
  async emailed(to: string, kind: MailKind, after: Date): Promise<string> {
    if (!this.mailbox) throw new Error(`no mailbox to read the ${kind} email from`);
    this.budget.requestsLeft -= 1;
    this.budget.sent += 1;
    const message = await this.mailbox.waitFor(to, kind, { after });
    this.story.current?.exchanges.push({ request: `mailbox: the ${kind} email to ${to}`, status: 200 });
    return message.token;
  }

  /** Writes the findings of a step into the story (masked), before they are enforced. */
  note(findings: readonly Finding[]): void {
    for (const f of findings) this.story.current?.findings.push(maskText(formatFinding(f)));
  }
}
