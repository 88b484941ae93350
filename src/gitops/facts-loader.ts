import type { EcsApi } from "../ecs";
import type { Facts, GroupFacts, InstanceFacts } from "../membership";

/** The only ECS calls the GitOps commands make: Describe*, never a Join or Leave. */
export type EcsReader = Pick<EcsApi, "describeInstances" | "describeSecurityGroups">;

/**
 * Live facts for the given instances and groups, read with one pass of
 * DescribeInstances (up to 100 IDs a call: `ceil(instances / 100)` calls) and
 * one pass of DescribeSecurityGroups, for the groups asked for and the groups
 * the instances are in now (a join must not mix group types with them).
 * An ID absent from the result does not exist.
 */
export async function loadFacts(
  ecs: EcsReader,
  instanceIds: readonly string[],
  securityGroupIds: readonly string[],
  maxSecurityGroups: number,
): Promise<Facts> {
  const wantedInstances = [...new Set(instanceIds)].sort();
  const described = wantedInstances.length > 0 ? await ecs.describeInstances(wantedInstances) : new Map();
  const instances = new Map<string, InstanceFacts>();
  for (const i of described.values()) {
    instances.set(i.instanceId, {
      instanceId: i.instanceId,
      status: i.status,
      lockReasons: i.lockReasons,
      vpcId: i.vpcId,
      securityGroupIds: i.securityGroupIds,
      maxSecurityGroups,
    });
  }
  const wantedGroups = [
    ...new Set([...securityGroupIds, ...[...instances.values()].flatMap((i) => i.securityGroupIds)]),
  ].sort();
  const groups = new Map<string, GroupFacts>();
  if (wantedGroups.length > 0) {
    for (const g of (await ecs.describeSecurityGroups(wantedGroups)).values()) {
      groups.set(g.securityGroupId, { securityGroupId: g.securityGroupId, vpcId: g.vpcId, type: g.type });
    }
  }
  return { instances, groups };
}
