import type { Deadline } from "../../ecs/types";

/**
 * Settles like `work`, or rejects when `deadline` comes first (the work
 * itself may go on for others that share it, e.g. a batched Describe).
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: Deadline | undefined): Promise<T> {
  if (!deadline) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DeadlineError(deadline)),
      Math.max(0, deadline.at - Date.now()),
    );
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** The deadline came while waiting for something other than an ECS call. */
export class DeadlineError extends Error {
  readonly code = "Timeout";
  constructor(deadline: Deadline) {
    super(`Timeout: gave up at the deadline (${deadline.description}) before the call could be made`);
    this.name = "DeadlineError";
  }
}
