import type { Refusal } from "../types";
import { refusal, type RuleSubject } from "./subject";

/**
 * A group to join must exist. (Leaving a group that is gone is not refused:
 * there is nothing to do, and the planner notes it.)
 * Code: `InvalidSecurityGroupId.NotFound`.
 */
export function checkGroupExists(s: RuleSubject): Refusal[] {
  return s.joins
    .filter((g) => !s.groups.has(g))
    .map((g) =>
      refusal(
        "InvalidSecurityGroupId.NotFound",
        s.instanceId,
        g,
        `${g} does not exist, so ${s.instanceId} cannot join it`,
        "Check the security group ID and the provider's region; if the group is new, create it before attaching.",
      ),
    );
}
