import { Rule, groupBy } from "../finding";

/**
 * `[alisg:DuplicateInstanceSecurityGroups]`: two InstanceSecurityGroups for
 * one instance. Each is the authoritative list, so each apply would undo the other.
 */
export const duplicateInstanceSecurityGroups: Rule = ({ memberships }) => {
  const sets = memberships.filter((m) => m.kind === "instance-security-groups");
  return [...groupBy(sets, (m) => m.instance?.key).values()]
    .filter((same) => same.length > 1)
    .map((same) => ({
      code: "DuplicateInstanceSecurityGroups",
      constructs: same.map((m) => m.resource),
      message:
        `InstanceSecurityGroups ${same.map((m) => m.resource.node.path).join(", ")} all govern instance ` +
        `${same[0].instance?.display}. Each is the complete list of the instance's groups, so they would undo ` +
        `each other on every apply. Merge them into one InstanceSecurityGroups.`,
    }));
};
