import { Rule, describeMembership } from "../finding";

/**
 * `[alisg:EmptySecurityGroupIds]`: an InstanceSecurityGroups with no group.
 * ECS never leaves an instance without a group, so the set could not be applied.
 */
export const emptySecurityGroupIds: Rule = ({ memberships }) =>
  memberships
    .filter((m) => m.kind === "instance-security-groups" && m.groups !== undefined && m.groups.length === 0)
    .map((m) => ({
      code: "EmptySecurityGroupIds",
      constructs: [m.resource],
      message:
        `${describeMembership(m)}: securityGroupIds is empty, but an ECS instance must stay in at least one ` +
        `security group. List every group the instance should be in; to only add groups, use SecurityGroupAttachment.`,
    }));
