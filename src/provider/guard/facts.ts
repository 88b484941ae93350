import type { EcsApi, EcsInstance, EcsSecurityGroup } from "../../ecs/types";
import type { Facts, GroupFacts, InstanceFacts } from "../../membership/types";
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
 * DescribeInstances / DescribeSecurityGroups calls (up to 100 IDs each) and
 * every instance and group is described at most once per provider process,
 * which Terraform starts anew for each walk. Apply re-checks use `fresh()`,
 * which describes again right before the API call (still batched).
 */
export class FactsSource {
  private readonly cachedInstances: CachedBatcher<EcsInstance>;
  private readonly cachedGroups: CachedBatcher<EcsSecurityGroup>;
  private readonly freshInstances: Batcher<EcsInstance>;
  private readonly freshGroups: Batcher<EcsSecurityGroup>;

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
  }

  /** The instance as described during this walk (undefined: it does not exist). */
  async instance(instanceId: string): Promise<EcsInstance | undefined> {
    return this.cachedInstances.load(instanceId);
  }

  /**
   * Describes these instances ahead of the calls that will ask (plan-time
   * cache, batched). A failure is kept by no one: the call that asks
   * describes again.
   */
  prefetch(instanceIds: readonly string[]): void {
    for (const id of instanceIds) this.cachedInstances.load(id).catch(() => undefined);
  }

  /** Facts for the rules at plan time (cached per process). */
  planning(instanceIds: readonly string[], groupIds: readonly string[]): Promise<Facts> {
    return this.collect(
      instanceIds,
      groupIds,
      (id) => this.cachedInstances.load(id),
      (id) => this.cachedGroups.load(id),
    );
  }

  /** Facts described anew, for the re-check just before an API call. */
  fresh(instanceIds: readonly string[], groupIds: readonly string[]): Promise<Facts> {
    return this.collect(
      instanceIds,
      groupIds,
      (id) => this.freshInstances.load(id),
      (id) => this.freshGroups.load(id),
    );
  }

  /** This process changed the instance: later plan-time reads must describe it again. */
  changed(instanceId: string): void {
    this.cachedInstances.forget(instanceId);
  }

  private async collect(
    instanceIds: readonly string[],
    groupIds: readonly string[],
    loadInstance: (id: string) => Promise<EcsInstance | undefined>,
    loadGroup: (id: string) => Promise<EcsSecurityGroup | undefined>,
  ): Promise<Facts> {
    const joining = unique(groupIds);
    const [instances, joinedGroups] = await Promise.all([
      Promise.all(unique(instanceIds).map(loadInstance)),
      Promise.all(joining.map(loadGroup)),
    ]);
    // A join must not mix group types with the groups the instance already has: describe those too.
    const current = joining.length === 0 ? [] : unique(instances.flatMap((i) => i?.securityGroupIds ?? []));
    const currentGroups = await Promise.all(current.filter((g) => !joining.includes(g)).map(loadGroup));
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
    return { instances: instanceFacts, groups: groupFacts };
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
