import type { EcsInstance, EcsNetworkInterface, EcsSecurityGroup } from "../../src/ecs";
import type { EcsReader } from "../../src/gitops";

/** A read-only ECS stand-in for unit tests that records the IDs of every Describe call. */
export class FakeEcs implements EcsReader {
  readonly calls: { action: string; ids: string[] }[] = [];
  constructor(
    private readonly instances: Partial<EcsInstance>[],
    private readonly groups: string[] = ["sg-a", "sg-b", "sg-c", "sg-base", "sg-web", "sg-db"],
    private readonly networkInterfaces: Partial<EcsNetworkInterface>[] = [],
  ) {}

  describeNetworkInterfaces(ids: readonly string[]): Promise<Map<string, EcsNetworkInterface>> {
    this.calls.push({ action: "DescribeNetworkInterfaces", ids: [...ids] });
    const out = new Map<string, EcsNetworkInterface>();
    for (const e of this.networkInterfaces) {
      if (!ids.includes(e.networkInterfaceId!)) continue;
      out.set(e.networkInterfaceId!, {
        type: "Secondary",
        status: "InUse",
        instanceId: null,
        vpcId: "vpc-1",
        securityGroupIds: [],
        ...e,
      } as EcsNetworkInterface);
    }
    return Promise.resolve(out);
  }

  describeInstances(ids: readonly string[]): Promise<Map<string, EcsInstance>> {
    this.calls.push({ action: "DescribeInstances", ids: [...ids] });
    const out = new Map<string, EcsInstance>();
    for (const i of this.instances) {
      if (!ids.includes(i.instanceId!)) continue;
      out.set(i.instanceId!, {
        regionId: "cn-hangzhou",
        status: "Running",
        vpcId: "vpc-1",
        securityGroupIds: [],
        lockReasons: [],
        ...i,
      } as EcsInstance);
    }
    return Promise.resolve(out);
  }

  describeSecurityGroups(ids: readonly string[]): Promise<Map<string, EcsSecurityGroup>> {
    this.calls.push({ action: "DescribeSecurityGroups", ids: [...ids] });
    const out = new Map<string, EcsSecurityGroup>();
    for (const g of this.groups.filter((g) => ids.includes(g)))
      out.set(g, { securityGroupId: g, vpcId: "vpc-1", type: "normal", name: g });
    return Promise.resolve(out);
  }
}
