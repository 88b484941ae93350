/**
 * Runs tasks that share a key one after another, in arrival order; tasks with
 * different keys run independently. The provider uses it so that its changes
 * to one instance never interleave; the emulator, so that it serialises
 * concurrent changes to one instance as the service does.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
