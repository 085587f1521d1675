// The request-rate cap for any target but the embedded mock (EMPORIX_MAX_RPS), so a nightly run never
// competes with a tenant's shoppers for the tenant's rate limit.
//
// - EMPORIX_MAX_RPS is the whole run's rate, in requests per second: unset means DEFAULT_MAX_RPS
//   (5/s, a pace a production tenant bears beside its shoppers), a positive number sets it (decimals
//   allowed, e.g. 0.5), `off` removes the cap. Against the embedded mock there is no cap.
// - The run's rate is shared without talking between processes: every Playwright worker of every
//   shard takes an equal share (rate ÷ workers ÷ shards) and keeps to it with its own token bucket.
//   Idle workers leave their share unused, so the run never exceeds the cap even when all are busy.
// - Each attempt is one request: a retry takes a slot like the first try.
//
// Use: `configureRequestRate(...)` once per worker process (from the worker's config), then
// `await takeRequestSlot()` right before each request is sent; unconfigured, it never waits.

/** The whole run's default rate against a real tenant, requests per second. */
export const DEFAULT_MAX_RPS = 5;

export const MAX_RPS_VARIABLE = 'EMPORIX_MAX_RPS';

export class RateSettingError extends Error {
  override name = 'RateSettingError';
}

/**
 * The run's request rate from the environment: a number of requests per second, `null` for no cap
 * (`off`), DEFAULT_MAX_RPS when unset or empty. Throws RateSettingError naming the setting otherwise.
 */
export function maxRpsFrom(env: Readonly<Record<string, string | undefined>> = process.env): number | null {
  const raw = env[MAX_RPS_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_MAX_RPS;
  if (raw.toLowerCase() === 'off') return null;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RateSettingError(
      `${MAX_RPS_VARIABLE}=${JSON.stringify(raw)} is not a request rate: set a positive number of ` +
        `requests per second for the whole run (e.g. ${DEFAULT_MAX_RPS}, or 0.5), or "off" for no cap`,
    );
  }
  return value;
}

/** One process's share of the run's rate: every worker of every shard takes an equal part. */
export function workerShare(maxRps: number, workers: number, shards = 1): number {
  return maxRps / Math.max(1, workers) / Math.max(1, shards);
}

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Tokens the bucket holds at most: how many requests may go at once after a pause. Default 1. */
  burst?: number;
  /** Injected in unit tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket. `take()` reserves a token at once (the balance may go below zero: that is the
 * queue) and waits until it is due, so callers that take at the same moment are spaced out in order.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private tokens: number;
  private last: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be above 0');
    this.ratePerSecond = options.ratePerSecond;
    this.burst = Math.max(1, options.burst ?? 1);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Reserves one token; returns how long the caller must wait for it, in ms (0: go now). */
  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }

  /** Waits for one token; resolves with the time waited, in ms. */
  async take(): Promise<number> {
    const wait = this.reserve();
    if (wait > 0) await this.sleep(wait);
    return wait;
  }
}

export interface RequestRateSettings {
  /** True against the embedded mock: no cap. */
  embeddedMock: boolean;
  /** EMPORIX_MAX_RPS as maxRpsFrom returns it (null: no cap). */
  maxRps: number | null;
  /** Playwright's configured workers (`workerInfo.config.workers`). */
  workers: number;
  /** Shards of the run (`workerInfo.config.shard?.total`), each with its own workers. */
  shards?: number;
}

let bucket: TokenBucket | null = null;

/** Sets this process's share of the run's rate; returns its bucket, or null when nothing is capped. */
export function configureRequestRate(settings: RequestRateSettings): TokenBucket | null {
  bucket =
    settings.embeddedMock || settings.maxRps === null
      ? null
      : new TokenBucket({ ratePerSecond: workerShare(settings.maxRps, settings.workers, settings.shards) });
  return bucket;
}

/** Waits until this process may send its next request (at once when no cap is configured). */
export async function takeRequestSlot(): Promise<number> {
  return bucket ? await bucket.take() : 0;
}
