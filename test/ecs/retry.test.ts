import {
  backoffDelay,
  withRetry,
  RetryAbortedError,
  RetryDeadlineError,
  type RetryPolicy,
} from "../../src/ecs/retry";

const policy: RetryPolicy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
const noSleep = async () => undefined;

class Transient extends Error {}
class Permanent extends Error {}
const retryTransient = (e: unknown) => e instanceof Transient;

describe("backoffDelay", () => {
  it("grows the ceiling exponentially from the base and caps it", () => {
    const almostOne = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 10, 60].map((n) => backoffDelay(n, policy, almostOne))).toEqual([
      99, 199, 399, 799, 999, 999, 999, 999,
    ]);
  });

  it("jitters fully: random 0 gives no wait", () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it("stays within [0, min(cap, base * 2^n)) for any random value", () => {
    for (let n = 0; n < 12; n++) {
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n);
      for (let i = 0; i < 200; i++) {
        const d = backoffDelay(n, policy);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it("waits at least a server's retry-after hint, but never beyond the cap", () => {
    expect(backoffDelay(0, policy, () => 0, 300)).toBe(300);
    expect(backoffDelay(0, policy, () => 0, 60_000)).toBe(1000);
  });
});

describe("withRetry", () => {
  it("returns the value and counts one attempt on first success", async () => {
    const outcome = await withRetry(async () => "ok", retryTransient, policy, { sleep: noSleep });
    expect(outcome).toEqual({ value: "ok", attempts: 1 });
  });

  it("retries retryable failures and counts every attempt", async () => {
    let calls = 0;
    const outcome = await withRetry(
      async (attempt) => {
        calls++;
        expect(attempt).toBe(calls);
        if (attempt < 3) throw new Transient();
        return attempt;
      },
      retryTransient,
      policy,
      { sleep: noSleep },
    );
    expect(outcome).toEqual({ value: 3, attempts: 3 });
  });

  it("makes at most maxRetries + 1 attempts, then throws the last error", async () => {
    let calls = 0;
    const delays: number[] = [];
    await expect(
      withRetry(
        async (attempt) => {
          calls++;
          throw new Transient(`attempt ${attempt}`);
        },
        retryTransient,
        policy,
        { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
      ),
    ).rejects.toThrow("attempt 6");
    expect(calls).toBe(6);
    expect(delays).toEqual([50, 100, 200, 400, 500]);
  });

  it("does not retry what the predicate rejects", async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Permanent("no");
        },
        retryTransient,
        policy,
        { sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(Permanent);
    expect(calls).toBe(1);
  });

  it("makes exactly one attempt with maxRetries 0", async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Transient();
        },
        retryTransient,
        { ...policy, maxRetries: 0 },
        { sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(Transient);
    expect(calls).toBe(1);
  });

  it("stops during a backoff as soon as the signal aborts", async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withRetry(
      async () => {
        calls++;
        throw new Transient();
      },
      retryTransient,
      { maxRetries: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      { signal: controller.signal, random: () => 0.99 },
    );
    setTimeout(() => controller.abort(), 20);
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryAbortedError);
    // One attempt and no second one: the abort ended the 60 s wait before it.
    expect((error as RetryAbortedError).attempts).toBe(1);
    expect(calls).toBe(1);
  });

  it("abandons an attempt in flight when the signal aborts", async () => {
    const controller = new AbortController();
    const never = new Promise<string>(() => undefined);
    const run = withRetry(() => never, retryTransient, policy, { signal: controller.signal });
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(RetryAbortedError);
  });

  it("does not start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        return 1;
      },
      retryTransient,
      policy,
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryAbortedError);
    expect((error as RetryAbortedError).attempts).toBe(0);
    expect(calls).toBe(0);
  });
});

describe("withRetry with a deadline", () => {
  /** A clock that moves only when withRetry sleeps. */
  const clock = () => {
    let now = 0;
    return { now: () => now, sleep: async (ms: number) => void (now += ms) };
  };

  it("stops before a backoff that would end past the deadline, with the last error and the time spent", async () => {
    const c = clock();
    const e = await withRetry(
      async () => {
        throw new Transient("busy");
      },
      retryTransient,
      { maxRetries: 1000, baseDelayMs: 100, maxDelayMs: 1000 },
      { ...c, random: () => 0.5, deadline: 3_000 },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RetryDeadlineError);
    const d = e as RetryDeadlineError;
    expect(d.lastError).toBeInstanceOf(Transient);
    expect(d.elapsedMs).toBeLessThanOrEqual(3_000);
    expect(c.now() + 500).toBeGreaterThanOrEqual(3_000); // it did not give up early either
  });

  it("errors that do not count are retried past maxRetries, until the deadline", async () => {
    const c = clock();
    let attempts = 0;
    const outcome = await withRetry(
      async () => {
        if (++attempts < 20) throw new Transient();
        return "through";
      },
      retryTransient,
      { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 100 },
      { ...c, deadline: 60_000, counts: () => false },
    );
    expect(outcome).toEqual({ value: "through", attempts: 20 });
  });

  it("abandons an attempt still running at the deadline", async () => {
    // The attempt never settles: only giving up at the deadline ends the call.
    const e = await withRetry(() => new Promise<never>(() => undefined), retryTransient, policy, {
      deadline: Date.now() + 100,
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RetryDeadlineError);
    expect((e as RetryDeadlineError).lastError).toBeUndefined();
  });
});
