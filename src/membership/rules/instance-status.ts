import type { Refusal } from "../types";
import { changesAnything, operationsPhrase, refusal, type RuleSubject } from "./subject";

/** The statuses in which ECS lets an instance join or leave groups. */
export const CHANGEABLE_STATUSES: readonly string[] = ["Running", "Stopped"];

/**
 * The instance must be `Running` or `Stopped` to join or leave a group. Only
 * refuses when a call would actually be made (adopting or forgetting needs none).
 * Code: `IncorrectInstanceStatus`.
 */
export function checkInstanceStatus(s: RuleSubject): Refusal[] {
  if (!s.instance || !changesAnything(s) || CHANGEABLE_STATUSES.includes(s.instance.status)) return [];
  // A detached ENI has no instance whose status could gate it.
  const host = s.networkInterface?.instanceId;
  if (host === null) return [];
  return [
    refusal(
      "IncorrectInstanceStatus",
      s.instanceId,
      s.joins[0] ?? s.leaves[0],
      host === undefined
        ? `${s.instanceId} is ${s.instance.status}, so it cannot ${operationsPhrase(s)} now`
        : `${s.instanceId} is attached to ${host}, which is ${s.instance.status}, so it cannot ${operationsPhrase(s)} now`,
      `ECS changes security groups only while an instance is Running or Stopped. Wait for ${host ?? s.instanceId} to reach Running or Stopped, then plan again.`,
    ),
  ];
}
