import type { Refusal } from "../types";
import { changesAnything, operationsPhrase, refusal, type RuleSubject } from "./subject";

/**
 * An instance locked for security (`OperationLocks` with `LockReason`
 * `security`) cannot join or leave groups. Only refuses when a call would
 * actually be made. Code: `InstanceLockedForSecurity`.
 */
export function checkSecurityLock(s: RuleSubject): Refusal[] {
  if (!s.instance || !changesAnything(s) || !s.instance.lockReasons.includes("security")) return [];
  const forget =
    s.leaves.length > 0
      ? " To stop managing an attachment without calling ECS, set retain_on_delete = true on it before removing it."
      : "";
  return [
    refusal(
      "InstanceLockedForSecurity",
      s.instanceId,
      s.joins[0] ?? s.leaves[0],
      `${s.instanceId} is locked for security, so it cannot ${operationsPhrase(s)}`,
      `Ask your security team to lift the security lock on ${s.instanceId}, then plan again.${forget}`,
    ),
  ];
}
