import type { EcsInstance, EcsNetworkInterface, EcsSecurityGroup, InstanceFilter } from "../../../src/ecs";
import type { AdoptSelection, Estate, EstateReader } from "../../../src/gitops";

export function instance(instanceId: string, securityGroupIds: string[], extra: Partial<EcsInstance> = {}) {
  return {
    instanceId,
    regionId: "cn-hangzhou",
    status: "Running",
    vpcId: "vpc-1",
    securityGroupIds,
    lockReasons: [],
    ...extra,
  } satisfies EcsInstance;
}

export function group(securityGroupId: string, name = securityGroupId): EcsSecurityGroup {
  return { securityGroupId, vpcId: "vpc-1", type: "normal", name };
}

export function eni(
  networkInterfaceId: string,
  securityGroupIds: string[],
  extra: Partial<EcsNetworkInterface> = {},
): EcsNetworkInterface {
  return {
    networkInterfaceId,
    type: "Secondary",
    status: "InUse",
    instanceId: "i-host",
    vpcId: "vpc-1",
    securityGroupIds,
    ...extra,
  };
}

export const selection = (s: Partial<AdoptSelection> = {}): AdoptSelection => ({
  instanceIds: [],
  networkInterfaceIds: [],
  tags: [],
  securityGroupIds: [],
  vpcId: "vpc-1",
  ...s,
});

/** `hosts`: instances that secondary ENIs are attached to, beside the selected `instances`. */
export function estate(
  instances: EcsInstance[],
  groups: EcsSecurityGroup[] = [],
  networkInterfaces: EcsNetworkInterface[] = [],
  hosts: EcsInstance[] = [],
  managedNetworkInterfaces: EcsNetworkInterface[] = [],
): Estate {
  const hostIds = new Set(networkInterfaces.filter((e) => e.type !== "Primary").map((e) => e.instanceId));
  return {
    instances: [...instances].sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1)),
    networkInterfaces,
    networkInterfaceHosts: new Map(
      [...instances, ...hosts].filter((i) => hostIds.has(i.instanceId)).map((i) => [i.instanceId, i]),
    ),
    managedNetworkInterfaces: new Map(managedNetworkInterfaces.map((e) => [e.networkInterfaceId, e])),
    groups: new Map(groups.map((g) => [g.securityGroupId, g])),
    instancesNotFound: [],
    networkInterfacesNotFound: [],
    groupsNotFound: [],
  };
}

/**
 * A read-only ECS stand-in that answers filters the way DescribeInstances
 * does (ANDed; one group a call) and records every call, in a scrambled order
 * so that nothing can depend on the order ECS answers in.
 */
export class FakeEstate implements EstateReader {
  readonly calls: { action: string; detail: unknown }[] = [];
  constructor(
    private readonly all: (EcsInstance & { tags?: Record<string, string> })[],
    private readonly groups: EcsSecurityGroup[],
    private readonly enis: EcsNetworkInterface[] = [],
  ) {}

  findInstances(filter: InstanceFilter): Promise<EcsInstance[]> {
    this.calls.push({ action: "findInstances", detail: filter });
    const found = this.all.filter(
      (i) =>
        (filter.instanceIds === undefined || filter.instanceIds.includes(i.instanceId)) &&
        (filter.vpcId === undefined || i.vpcId === filter.vpcId) &&
        (filter.securityGroupId === undefined || i.securityGroupIds.includes(filter.securityGroupId)) &&
        (filter.tags ?? []).every(
          (t) => i.tags?.[t.key] !== undefined && (t.value === undefined || i.tags[t.key] === t.value),
        ),
    );
    return Promise.resolve(found.reverse().map(({ tags: _tags, ...rest }) => rest));
  }

  /** Only for the instances ENIs are attached to (the selection is found with findInstances). */
  describeInstances(ids: readonly string[]): Promise<Map<string, EcsInstance>> {
    this.calls.push({ action: "DescribeInstances", detail: [...ids] });
    const found = this.all.filter((i) => ids.includes(i.instanceId)).reverse();
    return Promise.resolve(new Map(found.map(({ tags: _tags, ...rest }) => [rest.instanceId, rest])));
  }

  describeNetworkInterfaces(ids: readonly string[]): Promise<Map<string, EcsNetworkInterface>> {
    this.calls.push({ action: "DescribeNetworkInterfaces", detail: [...ids] });
    const found = this.enis.filter((e) => ids.includes(e.networkInterfaceId)).reverse();
    return Promise.resolve(new Map(found.map((e) => [e.networkInterfaceId, e])));
  }

  describeSecurityGroups(ids: readonly string[]): Promise<Map<string, EcsSecurityGroup>> {
    this.calls.push({ action: "DescribeSecurityGroups", detail: [...ids] });
    return Promise.resolve(
      new Map(this.groups.filter((g) => ids.includes(g.securityGroupId)).map((g) => [g.securityGroupId, g])),
    );
  }
}
