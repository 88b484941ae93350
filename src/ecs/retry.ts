/**
 * Retries with capped exponential backoff and full jitter
 * (delay = random in [0, min(cap, base * 2^n))), until a deadline, cancellable
 * by an AbortSignal. Generic: the caller says which errors are worth another
 * attempt and which of them count against `maxRetries`.
 */

export interface RetryPolicy {
  /**
   * Retries after errors that count (see `withRetry`): at most `maxRetries + 1`
   * attempts when every error counts. Errors that do not count (throttling) are
   * retried until the deadline.
   */
  readonly maxRetries: number;
  /** Ceiling of the first backoff. */
  readonly baseDelayMs: number;
  /** No backoff is ever longer than this. */
  readonly maxDelayMs: number;
}

/**
 * The cap suits ECS throttling, which blocks a caller until the next minute:
 * once the ceiling reaches 20 s, a blocked caller asks about three times a
 * minute on average, and is through within about 20 s of the block ending.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 5, baseDelayMs: 200, maxDelayMs: 20_000 };

/** Waits `ms`; rejects early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryHooks {
  /** @default a timer that stops early on abort */
  readonly sleep?: Sleep;
  /** Uniform in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Stops waiting and retrying; the current attempt's result is abandoned. */
  readonly signal?: AbortSignal;
  /** Told before each backoff, e.g. for logging. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** No attempt starts, and none is waited for, after this time (per `now`). */
  readonly deadline?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Whether a retryable error counts against `maxRetries`. @default every error counts */
  readonly counts?: (error: unknown) => boolean;
}

/**
 * Thrown when the deadline comes: the last error (undefined when the first
 * attempt was still running), the attempts started, and the time spent.
 */
export class RetryDeadlineError extends Error {
  constructor(
    readonly lastError: unknown,
    readonly attempts: number,
    readonly elapsedMs: number,
  ) {
    super(`deadline reached after ${attempts} attempt${attempts === 1 ? "" : "s"} in ${elapsedMs} ms`);
    this.name = "RetryDeadlineError";
  }
}

/** Thrown when the signal aborts; says how many attempts were started. */
export class RetryAbortedError extends Error {
  constructor(readonly attempts: number) {
    super(`operation canceled after ${attempts} attempt${attempts === 1 ? "" : "s"}`);
    this.name = "AbortError";
  }
}

/**
 * The wait before retry number `retry` (0 for the first retry): full jitter
 * under an exponentially growing, capped ceiling. A server's `retryAfterMs`
 * hint raises the wait (still capped).
 */
export function backoffDelay(
  retry: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const cap = Math.max(0, policy.maxDelayMs);
  // 2^retry overflows to Infinity long after it passed the cap; min() handles both.
  const ceiling = Math.min(cap, Math.max(0, policy.baseDelayMs) * 2 ** Math.max(0, retry));
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.min(Math.floor(r * ceiling), Math.max(0, ceiling - 1));
  const hinted = retryAfterMs !== undefined && retryAfterMs > 0 ? Math.min(retryAfterMs, cap) : 0;
  return Math.max(jittered, hinted);
}

/** A timer that stops early (rejecting with the signal's abort) when `signal` aborts. */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Settles like `promise`, or rejects as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    // The abandoned attempt may still fail later; that is no longer anyone's concern.
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export interface RetryOutcome<T> {
  readonly value: T;
  /** Attempts made, including the successful one. */
  readonly attempts: number;
}

/**
 * Runs `operation(attempt)` (attempt starts at 1) until it succeeds, fails
 * with an error `isRetryable` rejects, or `maxRetries` retries after counting
 * errors are spent (the last error is thrown as is). When the next attempt
 * could only start after the deadline, or the deadline passes during an
 * attempt, it throws RetryDeadlineError. An abort throws RetryAbortedError.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
  retryAfterMs: (error: unknown) => number | undefined = () => undefined,
): Promise<RetryOutcome<T>> {
  const sleep = hooks.sleep ?? abortableSleep;
  const random = hooks.random ?? Math.random;
  const now = hooks.now ?? Date.now;
  const counts = hooks.counts ?? (() => true);
  const { signal, deadline } = hooks;
  const started = now();
  const maxCounted = Math.max(0, Math.floor(policy.maxRetries));
  let counted = 0;
  let lastError: unknown;
  const late = (attempts: number) => new RetryDeadlineError(lastError, attempts, now() - started);
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw new RetryAbortedError(attempt - 1);
    if (deadline !== undefined && attempt > 1 && now() >= deadline) throw late(attempt - 1);
    const timer = deadline === undefined ? undefined : deadlineSignal(deadline - now(), signal);
    try {
      const value = await raceAbort(operation(attempt), timer?.signal ?? signal);
      return { value, attempts: attempt };
    } catch (error) {
      if (signal?.aborted) throw new RetryAbortedError(attempt);
      if (timer?.expired()) throw late(attempt);
      lastError = error;
      if (!isRetryable(error)) throw error;
      if (counts(error) && ++counted > maxCounted) throw error;
      // The n-th backoff grows with every retry, counted or not: throttling backs off too.
      const delayMs = backoffDelay(attempt - 1, policy, random, retryAfterMs(error));
      if (deadline !== undefined && now() + delayMs >= deadline) throw late(attempt);
      hooks.onRetry?.({ attempt, delayMs, error });
      try {
        await sleep(delayMs, signal);
      } catch (sleepError) {
        if (signal?.aborted) throw new RetryAbortedError(attempt);
        throw sleepError;
      }
    } finally {
      timer?.dispose();
    }
  }
}

/** A signal that aborts after `ms` or with `outer`; `expired()` tells the two apart. */
function deadlineSignal(
  ms: number,
  outer: AbortSignal | undefined,
): { signal: AbortSignal; expired: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(
    () => {
      expired = true;
      controller.abort(new Error("deadline reached"));
    },
    Math.max(0, ms),
  );
  timer.unref?.();
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}
