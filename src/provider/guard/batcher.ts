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
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fetch: (keys: string[]) => Promise<Map<string, V>>,
    private readonly maxBatch = 100,
    /** How long to wait for more keys before fetching. */
    private readonly windowMs = 2,
  ) {}

  load(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (this.pending.size >= this.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.maxBatch) {
      const chunk = keys.slice(i, i + this.maxBatch);
      this.fetch(chunk).then(
        (found) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.resolve(found.get(k)))),
        (err: unknown) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.reject(err))),
      );
    }
  }
}

/** A Batcher whose answers are kept: each key is fetched at most once (failures are not kept). */
export class CachedBatcher<V> {
  private readonly cache = new Map<string, Promise<V | undefined>>();
  private readonly batcher: Batcher<V>;

  constructor(fetch: (keys: string[]) => Promise<Map<string, V>>, maxBatch = 100) {
    this.batcher = new Batcher(fetch, maxBatch);
  }

  load(key: string): Promise<V | undefined> {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.batcher.load(key);
      this.cache.set(key, hit);
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  /** Forgets a key, e.g. after this process changed it. */
  forget(key: string): void {
    this.cache.delete(key);
  }
}
