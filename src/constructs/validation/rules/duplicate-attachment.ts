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
      const [cls, noun] = same[0].networkInterface
        ? ["NetworkInterfaceSecurityGroupAttachment", "network interface"]
        : ["SecurityGroupAttachment", "instance"];
      return {
        code: "DuplicateAttachment",
        constructs: same.map((m) => m.resource),
        message:
          `${cls}s ${paths} all attach security group ${group} to ${noun} ${instance}. ` +
          `Removing one of them would make the ${noun} leave the group although the other still declares it. ` +
          `Keep exactly one ${cls} per ${noun} and group.`,
      };
    });
};
