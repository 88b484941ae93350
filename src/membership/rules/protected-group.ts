import type { Refusal } from "../types";
import { refusal, type RuleSubject } from "./subject";

/**
 * A protected group (see `Policy`: a deny-all baseline, a bastion or a
 * monitoring group) is never taken away from an instance that has it: not by
 * a removal, a move away, an authoritative set that does not list it, nor an
 * `alicloud_instance` update. Joining one is always allowed, and so is
 * forgetting a resource without a call (`retain_on_delete`, a removed block).
 * Here: every leave of the change set; the whole-plan model judges each leave
 * in every apply order with `takesProtected`.
 * Code: `ProtectedSecurityGroup`.
 */
export function checkProtectedGroup(s: RuleSubject): Refusal[] {
  if (!s.instance) return [];
  return s.leaves
    .filter((g) => takesProtected(g, s.protectedGroupIds))
    .map((g) =>
      refusal(
        "ProtectedSecurityGroup",
        s.instanceId,
        g,
        protectedSentence(g, s.instanceId),
        protectedDetail(
          g,
          s.instanceId,
          `Keep ${g} on ${s.instanceId}: keep the resource that declares it, list it in the instance's authoritative set, or set retain_on_delete = true on an alisg_attachment to forget it without leaving the group.`,
        ),
      ),
    );
}

/** The rule, one call at a time: leaving `group` (which the instance is in) takes a protected group away. */
export function takesProtected(group: string, protectedGroupIds: ReadonlySet<string>): boolean {
  return protectedGroupIds.has(group);
}

/**
 * The sentence after `ProtectedSecurityGroup: `, naming the group, the
 * instance and, where known, the resources (`by`) that would remove it.
 */
export function protectedSentence(group: string, instanceId: string, by?: string): string {
  return by === undefined
    ? `${instanceId} may not leave ${group}, a protected security group`
    : `${by} would remove protected security group ${group} from ${instanceId}`;
}

/** What to do next: `fix` for this change, and who may change the list of protected groups. */
export function protectedDetail(group: string, instanceId: string, fix: string): string {
  return `${group} is protected: no plan may take it away from an instance that has it. ${fix} The list is the alisg provider's protected_security_group_ids (or ALISG_PROTECTED_SECURITY_GROUP_IDS), and --protected-security-group-id for alisg check-plan and alisg drift; only whoever owns that configuration (usually the platform team) may take ${group} off it, in a change of its own, if ${instanceId} really must leave ${group}.`;
}
