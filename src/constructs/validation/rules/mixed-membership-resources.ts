import { Rule, groupBy } from "../finding";

/**
 * `[alisg:MixedMembershipResources]`: one instance under both a
 * SecurityGroupAttachment and an InstanceSecurityGroups. The authoritative set
 * leaves the groups the attachments add, and the attachments join them again.
 */
export const mixedMembershipResources: Rule = ({ memberships }) => {
  const findings = [];
  for (const same of groupBy(memberships, (m) => m.instance?.key).values()) {
    const attachments = same.filter((m) => m.kind === "attachment");
    const sets = same.filter((m) => m.kind === "instance-security-groups");
    if (attachments.length === 0 || sets.length === 0) continue;
    const [subject, attachment, set] = same[0].networkInterface
      ? ["Network interface", "NetworkInterfaceSecurityGroupAttachment", "NetworkInterfaceSecurityGroups"]
      : ["Instance", "SecurityGroupAttachment", "InstanceSecurityGroups"];
    findings.push({
      code: "MixedMembershipResources",
      constructs: same.map((m) => m.resource),
      message:
        `${subject} ${same[0].instance?.display} is governed both by ${attachment} ` +
        `${attachments.map((m) => m.resource.node.path).join(", ")} and by ${set} ` +
        `${sets.map((m) => m.resource.node.path).join(", ")}: the complete list would remove what the attachments ` +
        `add (or re-add what they remove) on every apply. Use one kind per ${subject.toLowerCase()}: list every group in the ` +
        `${set} and drop the attachments, or replace it with one ${attachment} per group.`,
    });
  }
  return findings;
};
