import { Rule, groupBy } from "../finding";

/**
 * `[alisg:DuplicateAttachment]`: two SecurityGroupAttachments for the same
 * instance/group pair (anywhere in the app). Removing either one calls
 * LeaveSecurityGroup although the other still declares the membership.
 */
export const duplicateAttachment: Rule = ({ memberships }) => {
  const attachments = memberships.filter((m) => m.kind === "attachment");
  const byPair = groupBy(attachments, (m) => {
    const group = m.groups?.[0];
    return m.instance?.key && group?.key ? `${m.instance.key}\n${group.key}` : undefined;
  });
  return [...byPair.values()]
    .filter((same) => same.length > 1)
    .map((same) => {
      const paths = same.map((m) => m.resource.node.path).join(", ");
      const instance = same[0].instance?.display;
      const group = same[0].groups?.[0]?.display;
      return {
        code: "DuplicateAttachment",
        constructs: same.map((m) => m.resource),
        message:
          `SecurityGroupAttachments ${paths} all attach security group ${group} to instance ${instance}. ` +
          `Removing one of them would make the instance leave the group although the other still declares it. ` +
          `Keep exactly one SecurityGroupAttachment per instance and group.`,
      };
    });
};
