import { Finding, Rule, describeMembership } from "../finding";

const IGNORE_CHANGES_FIX =
  `add lifecycle { ignore_changes = ["security_groups"] } to the instance ` +
  `(in cdktf: lifecycle: { ignoreChanges: ["security_groups"] })`;

/**
 * `[alisg:AlicloudInstanceConflict]`: an `alicloud_instance` that sets
 * `security_groups` while an alisg resource manages the groups of the same
 * instance. The alicloud provider treats `security_groups` as the complete
 * list: a group both sides list is rejoined by the instance when the
 * attachment is removed, and a group only alisg manages is left by the
 * instance on every apply (and joined again by alisg). Either way they fight.
 *
 * The instance is matched when the alisg resource's `instanceId` is a
 * reference to it (`instance.id`) in the same stack, or the literal ID it is
 * imported from; a literal ID is not otherwise comparable with an instance
 * Terraform has not created yet.
 */
export const alicloudInstanceConflict: Rule = ({ memberships, alicloudInstances }) => {
  const findings: Finding[] = [];
  for (const instance of alicloudInstances) {
    if (!instance.managesSecurityGroups || instance.ignoresSecurityGroups) continue;
    const listed = new Set((instance.securityGroups ?? []).map((g) => g.key).filter((k) => k !== undefined));
    const path = instance.resource.node.path;
    for (const m of memberships) {
      if (!m.instance?.key || !instance.idKeys.has(m.instance.key)) continue;
      const groups = m.groups ?? [];
      const both = groups.filter((g) => g.key !== undefined && listed.has(g.key)).map((g) => g.display);
      const leftOut = groups.filter((g) => g.key !== undefined && !listed.has(g.key)).map((g) => g.display);
      const reasons: string[] = [];
      if (both.length > 0) reasons.push(`both list security group ${both.join(", ")}`);
      if (instance.securityGroups === undefined) {
        reasons.push(`${path} sets security_groups, which the alicloud provider treats as the complete list`);
      } else if (leftOut.length > 0) {
        reasons.push(
          `${path}'s security_groups, which the alicloud provider treats as the complete list, leaves out ` +
            `${leftOut.join(", ")}, so each apply would take the instance out of it and alisg would put it back`,
        );
      }
      // Nothing comparable (e.g. the groups are only known at apply time): no evidence of a fight.
      if (reasons.length === 0) continue;
      const onlyShared = both.length > 0 && reasons.length === 1;
      const fix = onlyShared
        ? `Remove the group from one side, or ${IGNORE_CHANGES_FIX}.`
        : `${IGNORE_CHANGES_FIX[0].toUpperCase()}${IGNORE_CHANGES_FIX.slice(1)}, or list the groups in its ` +
          `security_groups and remove ${m.resource.node.path}.`;
      const message =
        `alicloud_instance ${path} and ${describeMembership(m)} both manage the security groups of the same ` +
        `instance, so they would fight on every apply: ${reasons.join("; ")}. ${fix}`;
      findings.push({
        code: "AlicloudInstanceConflict",
        constructs: [instance.resource, m.resource],
        message,
      });
    }
  }
  return findings;
};
