import type { EcsApi } from "../ecs";
import type { Facts, GroupFacts, InstanceFacts, NetworkInterfaceFacts } from "../membership";

/** The only ECS calls the GitOps commands make: Describe*, never a Join or Leave. */
export type EcsReader = Pick<
  EcsApi,
  "describeInstances" | "describeSecurityGroups" | "describeNetworkInterfaces"
>;

/**
 * Live facts for the given instances and groups, read with one pass of
 * DescribeInstances (up to 100 IDs a call: `ceil(instances / 100)` calls) and
 * one pass of DescribeSecurityGroups, for the groups asked for and the groups
 * the instances are in now (a join must not mix group types with them).
 * ENIs (`networkInterfaceIds`) are described first, with one pass of
 * DescribeNetworkInterfaces (`ceil(ENIs / 100)` calls); the instances they are
 * attached to are described with the others. An ID absent from the result
 * does not exist.
 */
export async function loadFacts(
  ecs: EcsReader,
  instanceIds: readonly string[],
  securityGroupIds: readonly string[],
  maxSecurityGroups: number,
  networkInterfaceIds: readonly string[] = [],
): Promise<Facts> {
  const wantedEnis = [...new Set(networkInterfaceIds)].sort();
  const enis = wantedEnis.length > 0 ? await ecs.describeNetworkInterfaces(wantedEnis) : new Map();
  const networkInterfaces = new Map<string, NetworkInterfaceFacts | null>(wantedEnis.map((id) => [id, null]));
  for (const e of enis.values()) networkInterfaces.set(e.networkInterfaceId, { ...e, maxSecurityGroups });
  const hosts = [...enis.values()].flatMap((e) => (e.instanceId ? [e.instanceId] : []));
  const wantedInstances = [...new Set([...instanceIds, ...hosts])].sort();
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
    ...new Set([
      ...securityGroupIds,
      ...[...instances.values(), ...enis.values()].flatMap((i) => i.securityGroupIds),
    ]),
  ].sort();
  const groups = new Map<string, GroupFacts>();
  if (wantedGroups.length > 0) {
    for (const g of (await ecs.describeSecurityGroups(wantedGroups)).values()) {
      groups.set(g.securityGroupId, { securityGroupId: g.securityGroupId, vpcId: g.vpcId, type: g.type });
    }
  }
  return wantedEnis.length > 0 ? { instances, groups, networkInterfaces } : { instances, groups };
}
