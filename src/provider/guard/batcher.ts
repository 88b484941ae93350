/** When batches are sent. */
export interface BatchTiming {
  /** Send once no call has asked for anything (a new key or one already known) for this long (ms). */
  readonly quietMs: number;
  /** Send once the first key of a batch has waited this long, however calls keep coming (ms). */
  readonly maxWaitMs: number;
  /** Hold a batch while the last one is out (the calls waiting on it come back with more keys). */
  readonly oneAtATime: boolean;
}

/**
 * Plan-time reads. Measured with terraform 1.11.4 and its default
 * `-parallelism=10` on 1000 attachments over 250 instances
 * (docs/benchmarks.md): Terraform spaces its calls by its own work between
 * them, and most calls of a walk ask for an instance already described, so a
 * fixed 2 ms window sent batches of one or two IDs (85-127 DescribeInstances
 * per walk). A batch now waits while calls keep coming and while the last
 * batch is out: the calls that need a describe fill Terraform's ten slots,
 * the calls stop, and the batch goes out with all of them (25-30 per walk).
 * A single-resource plan waits `quietMs`, once.
 */
export const PLANNING_BATCH_TIMING: BatchTiming = { quietMs: 10, maxWaitMs: 500, oneAtATime: true };

/** Apply re-checks: each step describes right before its calls, so only steps sent together share one. */
export const APPLYING_BATCH_TIMING: BatchTiming = { quietMs: 2, maxWaitMs: 20, oneAtATime: false };

/**
 * The clock several batchers share: any call that asks one of them for a key
 * (even one already cached) pushes back the send of every batch waiting, so
 * that batches go out when Terraform has stopped calling, that is when every
 * call in flight waits on a describe.
 */
export class BatchWindow {
  private readonly batchers = new Set<{ send(): void; waiting(): boolean }>();
  private quiet: NodeJS.Timeout | undefined;
  /** Calls that asked so far. */
  private calls = 0;

  constructor(readonly timing: BatchTiming = PLANNING_BATCH_TIMING) {}

  join(b: { send(): void; waiting(): boolean }): void {
    this.batchers.add(b);
  }

  /** A call asked for something: wait for quiet again, if anything is waiting. */
  activity(): void {
    this.calls++;
    if (![...this.batchers].some((b) => b.waiting())) return;
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => {
      this.quiet = undefined;
      // Timers run before the event loop reads the sockets: a busy process may have calls that
      // arrived while it worked, unread. Look once they are read (and have asked) before sending.
      const seen = this.calls;
      setImmediate(() => {
        if (this.calls !== seen) return;
        for (const b of this.batchers) if (b.waiting()) b.send();
      });
    }, this.timing.quietMs);
  }
}

/**
 * Gathers keys asked for at about the same time into one batched fetch (at
 * most `maxBatch` keys each). Terraform calls the provider concurrently for
 * many resources during one walk; batching turns N describes into N/100.
 */
export class Batcher<V> {
  private pending = new Map<
    string,
    { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]
  >();
  private cap: NodeJS.Timeout | undefined;
  /** Fetches sent and not yet answered. */
  private out = 0;

  constructor(
    private readonly fetch: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxBatch = 100,
    private readonly window: BatchWindow = new BatchWindow(),
  ) {
    window.join(this);
  }

  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (this.pending.size >= this.maxBatch) return this.flush();
      this.cap ??= setTimeout(() => this.flush(), this.window.timing.maxWaitMs);
      this.window.activity();
    });
  }

  /** Keys wait to be fetched. */
  waiting(): boolean {
    return this.pending.size > 0;
  }

  /**
   * The window is quiet: send, unless a fetch is still out. The calls waiting on it hold some of
   * Terraform's slots; once it is back they are answered, Terraform makes its next calls, and the
   * keys waiting here go out with theirs (the next quiet, or the cap).
   */
  send(): void {
    if (this.out === 0 || !this.window.timing.oneAtATime) this.flush();
  }

  private flush(): void {
    clearTimeout(this.cap);
    this.cap = undefined;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.maxBatch) {
      const chunk = keys.slice(i, i + this.maxBatch);
      this.out++;
      this.fetch(chunk)
        .then(
          (found) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.resolve(found.get(k)))),
          (err: unknown) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.reject(err))),
        )
        .finally(() => {
          this.out--;
          if (this.waiting()) this.window.activity();
        });
    }
  }
}

/** A Batcher whose answers are kept: each key is fetched at most once (failures are not kept). */
export class CachedBatcher<V> {
  private readonly cache = new Map<string, Promise<V | undefined>>();
  private readonly batcher: Batcher<V>;

  constructor(
    fetch: (keys: string[]) => Promise<Map<string, V>>,
    maxBatch = 100,
    private readonly window: BatchWindow = new BatchWindow(),
  ) {
    this.batcher = new Batcher(fetch, maxBatch, window);
  }

  load(key: string): Promise<V | undefined> {
    let hit = this.cache.get(key);
    if (hit) {
      this.window.activity();
      return hit;
    }
    hit = this.batcher.load(key);
    this.cache.set(key, hit);
    hit.catch(() => this.cache.delete(key));
    return hit;
  }

  /** Forgets a key, e.g. after this process changed it. */
  forget(key: string): void {
    this.cache.delete(key);
  }
}
