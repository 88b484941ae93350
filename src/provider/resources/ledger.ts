import type { Change } from "../../membership/types";

/**
 * The changes planned so far in this provider process, per instance.
 *
 * Terraform plans each resource in its own PlanResourceChange call (10 at a
 * time), so no single call sees the whole plan. Every planned join, leave and
 * move is recorded here, keyed by the resource's own identity (so planning the
 * same resource again replaces its entry), and each check counts the other
 * resources' changes to the same instance. Any refusal fails the whole plan,
 * so whichever call comes last sees the full picture.
 */
export class PlannedChanges {
  private readonly byInstance = new Map<string, Map<string, Change[]>>();

  /** Records (or replaces) the changes planned for one resource. */
  record(resourceKey: string, changes: readonly Change[]): void {
    for (const instanceId of new Set(changes.map((c) => c.instanceId))) {
      let entries = this.byInstance.get(instanceId);
      if (!entries) {
        entries = new Map();
        this.byInstance.set(instanceId, entries);
      }
      entries.set(
        resourceKey,
        changes.filter((c) => c.instanceId === instanceId),
      );
    }
  }

  /** The changes other resources planned for `instanceId`. */
  othersFor(instanceId: string, resourceKey: string): Change[] {
    const entries = this.byInstance.get(instanceId);
    if (!entries) return [];
    return [...entries].filter(([key]) => key !== resourceKey).flatMap(([, changes]) => changes);
  }
}

/**
 * Which of the other planned changes a check must count, so that the answer
 * holds whatever order Terraform applies independent resources in:
 * - removals always count (they may run before anything else);
 * - moves always count (each one joins before it leaves, inside one call);
 * - joins of other new attachments count only when our own change joins too
 *   (towards the group limit and group-type rules), never for a pure removal:
 *   they may run after it, so they cannot be what keeps the instance in a group.
 */
export function relevantOthers(own: readonly Change[], others: readonly Change[]): Change[] {
  const ownJoins = own.some((c) => c.kind !== "leave");
  return others.filter((c) => c.kind !== "join" || ownJoins);
}
