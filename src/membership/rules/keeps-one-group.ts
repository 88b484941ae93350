import type { Refusal } from "../types";
import { finalMembership, listOf, refusal, type RuleSubject } from "./subject";

/**
 * An instance must keep at least one group. Counts every leave and move given
 * for the instance together (the caller passes all the removals planned for
 * it, across resources), and every group it is in, managed by alisg or not.
 * Code: `InstanceLastSecurityGroup`.
 */
export function checkKeepsOneGroup(s: RuleSubject): Refusal[] {
  if (!s.instance || s.leaves.length === 0 || !leftWithNone(finalMembership(s).length)) return [];
  const several = s.leaves.length > 1;
  return [
    refusal(
      "InstanceLastSecurityGroup",
      s.instanceId,
      s.leaves[s.leaves.length - 1],
      // Sorted: the same plan gives the same message, whichever resource Terraform planned last.
      `removing ${listOf([...s.leaves].sort())} from ${s.instanceId} would leave it with no security group`,
      `An ECS instance must stay in at least one security group${several ? `, and this plan removes all of ${s.instanceId}'s groups together` : ""}. Keep another group attached first (add an attachment for another group and apply it before removing this one), or set retain_on_delete = true on an alisg_attachment to forget it without leaving the group (an alisg_instance_security_groups must list at least one group).`,
    ),
  ];
}

/** The rule, one call at a time: a leave that ends with `count` groups leaves the instance with none. */
export function leftWithNone(count: number): boolean {
  return count === 0;
}
