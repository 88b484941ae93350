import { AlicloudGroupsFacts, MembershipFacts } from "../facts";
import { Finding, describeMembership } from "../finding";

/** What differs between the alicloud resources whose list of groups is their subject's complete list. */
export interface AlicloudOwner {
  /** The finding's code, e.g. `AlicloudInstanceConflict`. */
  readonly code: string;
  /** The Terraform type, e.g. `alicloud_instance`. */
  readonly type: string;
  /** The attribute holding the list, e.g. `security_groups`. */
  readonly attribute: string;
  /** The subject inside a sentence, e.g. `instance`. */
  readonly subject: string;
}

/**
 * The fights between alicloud resources that set their list of groups and
 * the alisg resources of the same subject: a group both sides list (removing
 * the alisg resource, the alicloud one joins it again), or a group only alisg
 * manages (the alicloud provider leaves it on every apply, alisg joins it
 * again). `lifecycle.ignore_changes` on the list silences it. The subject is
 * matched when the alisg resource's ID is a reference to the alicloud
 * resource's `id` in the same stack, or the literal ID it is imported from.
 */
export function alicloudConflicts(
  owners: readonly AlicloudGroupsFacts[],
  memberships: readonly MembershipFacts[],
  o: AlicloudOwner,
): Finding[] {
  const ignoreFix =
    `add lifecycle { ignore_changes = ["${o.attribute}"] } to the ${o.subject} ` +
    `(in cdktf: lifecycle: { ignoreChanges: ["${o.attribute}"] })`;
  const findings: Finding[] = [];
  for (const owner of owners) {
    if (!owner.managesSecurityGroups || owner.ignoresSecurityGroups) continue;
    const listed = new Set((owner.securityGroups ?? []).map((g) => g.key).filter((k) => k !== undefined));
    const path = owner.resource.node.path;
    for (const m of memberships) {
      if (!m.instance?.key || !owner.idKeys.has(m.instance.key)) continue;
      const groups = m.groups ?? [];
      const both = groups.filter((g) => g.key !== undefined && listed.has(g.key)).map((g) => g.display);
      const leftOut = groups.filter((g) => g.key !== undefined && !listed.has(g.key)).map((g) => g.display);
      const reasons: string[] = [];
      if (both.length > 0) reasons.push(`both list security group ${both.join(", ")}`);
      if (owner.securityGroups === undefined) {
        reasons.push(`${path} sets ${o.attribute}, which the alicloud provider treats as the complete list`);
      } else if (leftOut.length > 0) {
        reasons.push(
          `${path}'s ${o.attribute}, which the alicloud provider treats as the complete list, leaves out ` +
            `${leftOut.join(", ")}, so each apply would take the ${o.subject} out of it and alisg would put it back`,
        );
      }
      // Nothing comparable (e.g. the groups are only known at apply time): no evidence of a fight.
      if (reasons.length === 0) continue;
      const onlyShared = both.length > 0 && reasons.length === 1;
      const fix = onlyShared
        ? `Remove the group from one side, or ${ignoreFix}.`
        : `${ignoreFix[0].toUpperCase()}${ignoreFix.slice(1)}, or list the groups in its ` +
          `${o.attribute} and remove ${m.resource.node.path}.`;
      findings.push({
        code: o.code,
        constructs: [owner.resource, m.resource],
        message:
          `${o.type} ${path} and ${describeMembership(m)} both manage the security groups of the same ` +
          `${o.subject}, so they would fight on every apply: ${reasons.join("; ")}. ${fix}`,
      });
    }
  }
  return findings;
}
