import type { Refusal } from "../types";
import { joinTargetsOf, refusal, type RuleSubject } from "./subject";

/**
 * Joining needs an instance that exists. (Leaving a group of an instance that
 * is gone is not refused: there is nothing to do, and the planner notes it.)
 * Code: `InvalidInstanceId.NotFound`.
 */
export function checkInstanceExists(s: RuleSubject): Refusal[] {
  if (s.instance) return [];
  return joinTargetsOf(s.changes).map((g) =>
    refusal(
      "InvalidInstanceId.NotFound",
      s.instanceId,
      g,
      `${s.instanceId} does not exist, so it cannot join ${g}`,
      "Check the instance ID and the provider's region. If the instance was deleted, remove the attachment from the configuration.",
    ),
  );
}
