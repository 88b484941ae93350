import type { EcsApi, EcsInstance, EcsNetworkInterface, EcsSecurityGroup } from "../../ecs/types";
import type { Facts, GroupFacts, InstanceFacts, NetworkInterfaceFacts } from "../../membership/types";
import {
  APPLYING_BATCH_TIMING,
  Batcher,
  BatchWindow,
  CachedBatcher,
  PLANNING_BATCH_TIMING,
  type BatchTiming,
} from "./batcher";

/**
 * Live facts for the safety rules, gathered from ECS.
 *
 * Reads and plans use `planning()`: concurrent requests share batched
 * DescribeInstances / DescribeNetworkInterfaces / DescribeSecurityGroups
 * calls (up to 100 IDs each) and every instance, ENI and group is described
 * at most once per provider process,
 * which Terraform starts anew for each walk. Apply re-checks use `fresh()`,
 * which describes again right before the API call (still batched).
 */
export class FactsSource {
  private readonly cachedInstances: CachedBatcher<EcsInstance>;
  private readonly cachedGroups: CachedBatcher<EcsSecurityGroup>;
  private readonly freshInstances: Batcher<EcsInstance>;
  private readonly freshGroups: Batcher<EcsSecurityGroup>;
  private readonly cachedEnis: CachedBatcher<EcsNetworkInterface>;
  private readonly freshEnis: Batcher<EcsNetworkInterface>;

  constructor(
    api: EcsApi,
    private readonly maxSecurityGroups: number,
    timing: { planning: BatchTiming; applying: BatchTiming } = {
      planning: PLANNING_BATCH_TIMING,
      applying: APPLYING_BATCH_TIMING,
    },
  ) {
    const describeInstances = (ids: string[]) => api.describeInstances(ids);
    const describeGroups = (ids: string[]) => api.describeSecurityGroups(ids);
    // Plan-time reads share one window; apply re-checks have their own, so they never wait on a walk.
    const planning = new BatchWindow(timing.planning);
    const applying = new BatchWindow(timing.applying);
    this.cachedInstances = new CachedBatcher(describeInstances, 100, planning);
    this.cachedGroups = new CachedBatcher(describeGroups, 100, planning);
    this.freshInstances = new Batcher(describeInstances, 100, applying);
    this.freshGroups = new Batcher(describeGroups, 100, applying);
    const describeEnis = (ids: string[]) => api.describeNetworkInterfaces(ids);
    this.cachedEnis = new CachedBatcher(describeEnis, 100, planning);
    this.freshEnis = new Batcher(describeEnis, 100, applying);
  }

  /** The ENI as described during this walk (undefined: it does not exist). */
  async networkInterface(networkInterfaceId: string): Promise<EcsNetworkInterface | undefined> {
    return this.cachedEnis.load(networkInterfaceId);
  }

  /** The instance as described during this walk (undefined: it does not exist). */
  async instance(instanceId: string): Promise<EcsInstance | undefined> {
    return this.cachedInstances.load(instanceId);
  }

  /**
   * Describes these instances and ENIs ahead of the calls that will ask
   * (plan-time cache, batched). A failure is kept by no one: the call that
   * asks describes again.
   */
  prefetch(instanceIds: readonly string[], networkInterfaceIds: readonly string[] = []): void {
    for (const id of instanceIds) this.cachedInstances.load(id).catch(() => undefined);
    // An ENI's instance is known once the ENI is described: the ENIs come back together, so their
    // instances are asked for together too.
    for (const id of networkInterfaceIds)
      this.cachedEnis
        .load(id)
        .then((eni) => (eni?.instanceId ? this.cachedInstances.load(eni.instanceId) : undefined))
        .catch(() => undefined);
  }

  /**
   * Facts for the rules at plan time (cached per process). ENIs are described
   * first, then the instances named and those the ENIs are attached to.
   */
  planning(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    networkInterfaceIds: readonly string[] = [],
  ): Promise<Facts> {
    return this.collect(instanceIds, groupIds, networkInterfaceIds, {
      instance: (id) => this.cachedInstances.load(id),
      group: (id) => this.cachedGroups.load(id),
      eni: (id) => this.cachedEnis.load(id),
    });
  }

  /** Facts described anew, for the re-check just before an API call. */
  fresh(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    networkInterfaceIds: readonly string[] = [],
  ): Promise<Facts> {
    return this.collect(instanceIds, groupIds, networkInterfaceIds, {
      instance: (id) => this.freshInstances.load(id),
      group: (id) => this.freshGroups.load(id),
      eni: (id) => this.freshEnis.load(id),
    });
  }

  /** This process changed the instance or ENI: later plan-time reads must describe it again. */
  changed(id: string): void {
    this.cachedInstances.forget(id);
    this.cachedEnis.forget(id);
  }

  private async collect(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    networkInterfaceIds: readonly string[],
    load: {
      instance: (id: string) => Promise<EcsInstance | undefined>;
      group: (id: string) => Promise<EcsSecurityGroup | undefined>;
      eni: (id: string) => Promise<EcsNetworkInterface | undefined>;
    },
  ): Promise<Facts> {
    const joining = unique(groupIds);
    const eniIds = unique(networkInterfaceIds);
    const named = unique(instanceIds);
    // Asked for together, so that they share the batches of the calls in flight with them.
    const [enis, joinedGroups, namedInstances] = await Promise.all([
      Promise.all(eniIds.map(load.eni)),
      Promise.all(joining.map(load.group)),
      Promise.all(named.map(load.instance)),
    ]);
    // An ENI's instance gates it (status, locks), and a primary ENI's groups are its instance's.
    const hosts = unique(enis.flatMap((e) => (e?.instanceId ? [e.instanceId] : []))).filter(
      (id) => !named.includes(id),
    );
    const instances = [...namedInstances, ...(await Promise.all(hosts.map(load.instance)))];
    // A join must not mix group types with the groups the instance already has: describe those too.
    const current =
      joining.length === 0
        ? []
        : unique([...instances, ...enis].flatMap((member) => member?.securityGroupIds ?? []));
    const currentGroups = await Promise.all(current.filter((g) => !joining.includes(g)).map(load.group));
    const groups = [...joinedGroups, ...currentGroups];
    const instanceFacts = new Map<string, InstanceFacts>();
    for (const i of instances) if (i) instanceFacts.set(i.instanceId, this.toInstanceFacts(i));
    const groupFacts = new Map<string, GroupFacts>();
    for (const g of groups) {
      if (g)
        groupFacts.set(g.securityGroupId, {
          securityGroupId: g.securityGroupId,
          vpcId: g.vpcId,
          type: g.type,
        });
    }
    if (eniIds.length === 0) return { instances: instanceFacts, groups: groupFacts };
    // Every ENI asked about: null when it does not exist.
    const eniFacts = new Map<string, NetworkInterfaceFacts | null>(eniIds.map((id) => [id, null]));
    for (const e of enis) if (e) eniFacts.set(e.networkInterfaceId, this.toNetworkInterfaceFacts(e));
    return { instances: instanceFacts, groups: groupFacts, networkInterfaces: eniFacts };
  }

  private toNetworkInterfaceFacts(e: EcsNetworkInterface): NetworkInterfaceFacts {
    return {
      networkInterfaceId: e.networkInterfaceId,
      type: e.type,
      status: e.status,
      instanceId: e.instanceId,
      vpcId: e.vpcId,
      securityGroupIds: e.securityGroupIds,
      maxSecurityGroups: this.maxSecurityGroups,
    };
  }

  private toInstanceFacts(i: EcsInstance): InstanceFacts {
    return {
      instanceId: i.instanceId,
      status: i.status,
      lockReasons: i.lockReasons,
      vpcId: i.vpcId,
      securityGroupIds: i.securityGroupIds,
      maxSecurityGroups: this.maxSecurityGroups,
    };
  }
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
