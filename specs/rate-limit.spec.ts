// The request-rate cap (helpers/rate-limit.ts): how EMPORIX_MAX_RPS is read, how the run's rate is
// shared between workers and shards, and the token bucket that keeps each worker to its share. A fake
// clock stands in for time, so nothing here waits.
import { expect, test } from '../fixtures/index.ts';
import {
  configureRequestRate,
  DEFAULT_MAX_RPS,
  maxRpsFrom,
  RateSettingError,
  takeRequestSlot,
  TokenBucket,
  workerShare,
} from '../helpers/rate-limit.ts';

/** A bucket on a clock that only moves when told to; `sleep` moves it. */
function fakeBucket(ratePerSecond: number, burst?: number) {
  let now = 1_000_000;
  const slept: number[] = [];
  const bucket = new TokenBucket({
    ratePerSecond,
    ...(burst !== undefined ? { burst } : {}),
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  return { bucket, slept, advance: (ms: number) => (now += ms) };
}

test.describe('request-rate cap @offline', () => {
  test.describe('EMPORIX_MAX_RPS', () => {
    test('defaults to a rate a production tenant bears when unset or empty', () => {
      expect(maxRpsFrom({})).toBe(DEFAULT_MAX_RPS);
      expect(maxRpsFrom({ EMPORIX_MAX_RPS: '  ' })).toBe(DEFAULT_MAX_RPS);
      expect(DEFAULT_MAX_RPS).toBe(5);
    });

    test('reads whole and decimal rates', () => {
      expect(maxRpsFrom({ EMPORIX_MAX_RPS: '12' })).toBe(12);
      expect(maxRpsFrom({ EMPORIX_MAX_RPS: '0.5' })).toBe(0.5);
    });

    test('reads "off" as no cap', () => {
      expect(maxRpsFrom({ EMPORIX_MAX_RPS: 'off' })).toBeNull();
      expect(maxRpsFrom({ EMPORIX_MAX_RPS: 'OFF' })).toBeNull();
    });

    for (const bad of ['0', '-3', 'fast', '5rps', '1e3', 'Infinity']) {
      test(`refuses ${JSON.stringify(bad)}, naming the setting and what it accepts`, () => {
        expect(() => maxRpsFrom({ EMPORIX_MAX_RPS: bad })).toThrow(RateSettingError);
        expect(() => maxRpsFrom({ EMPORIX_MAX_RPS: bad })).toThrow(
          `EMPORIX_MAX_RPS=${JSON.stringify(bad)} is not a request rate`,
        );
        expect(() => maxRpsFrom({ EMPORIX_MAX_RPS: bad })).toThrow(/"off" for no cap/);
      });
    }
  });

  test('gives every worker of every shard an equal share of the run rate', () => {
    expect(workerShare(6, 2)).toBe(3);
    expect(workerShare(6, 2, 3)).toBe(1);
    expect(workerShare(5, 0)).toBe(5); // a worker count of 0 is read as one worker
  });

  test.describe('token bucket', () => {
    test('lets the first request go at once, then spaces requests by 1/rate', async () => {
      const { bucket, slept } = fakeBucket(5);
      const waits = [];
      for (let i = 0; i < 4; i++) waits.push(bucket.reserve());
      expect(waits).toEqual([0, 200, 400, 600]);
      expect(slept).toEqual([]);
    });

    test('queues callers that take at the same moment in order', async () => {
      const { bucket, slept } = fakeBucket(2);
      const waited = await Promise.all([bucket.take(), bucket.take(), bucket.take()]);
      expect(waited).toEqual([0, 500, 1000]);
      expect(slept).toEqual([500, 1000]);
    });

    test('refills with time, never beyond its burst', () => {
      const { bucket, advance } = fakeBucket(1, 3);
      expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([
        0, 0, 0, 1000,
      ]);
      advance(60_000); // a long pause fills the bucket to 3, not to 60
      expect([bucket.reserve(), bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([
        0, 0, 0, 1000,
      ]);
    });

    test('keeps to its rate over a long run: n requests take (n - burst) / rate seconds', () => {
      const { bucket, advance } = fakeBucket(4);
      let elapsed = 0;
      for (let i = 0; i < 100; i++) {
        const wait = bucket.reserve();
        advance(wait);
        elapsed += wait;
      }
      expect(elapsed).toBe(((100 - 1) / 4) * 1000);
    });

    test('refuses a rate of 0', () => {
      expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(RangeError);
    });
  });

  test.describe('the process-wide slot', () => {
    test.afterAll(() => {
      configureRequestRate({ embeddedMock: true, maxRps: null, workers: 1 });
    });

    test('is not capped against the embedded mock or with "off"', async () => {
      expect(configureRequestRate({ embeddedMock: true, maxRps: 5, workers: 2 })).toBeNull();
      expect(configureRequestRate({ embeddedMock: false, maxRps: null, workers: 2 })).toBeNull();
      expect(await takeRequestSlot()).toBe(0);
    });

    test("is capped at this worker's share against any other target", () => {
      const bucket = configureRequestRate({ embeddedMock: false, maxRps: 5, workers: 2, shards: 3 });
      expect(bucket?.ratePerSecond).toBeCloseTo(5 / 6);
    });
  });
});
