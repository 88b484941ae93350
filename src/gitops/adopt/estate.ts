import type { EcsInstance, EcsInstanceSearch, EcsSecurityGroup } from "../../ecs";
import type { EcsReader } from "../facts-loader";
import { inSelectedGroups, instanceQueries, type AdoptSelection } from "./selection";

/** The ECS calls adopt makes: Describe* only. */
export type EstateReader = EcsReader & EcsInstanceSearch;

/** What ECS holds for a selection, as adopt found it. */
export interface Estate {
  /** The selected instances, sorted by ID. */
  readonly instances: readonly EcsInstance[];
  /** Every group of those instances, and every selected group, that exists. */
  readonly groups: ReadonlyMap<string, EcsSecurityGroup>;
  /** `--instance-id`s that ECS did not answer (no such instance, or it does not match the filters). */
  readonly instancesNotFound: readonly string[];
  /** `--security-group-id`s that do not exist. */
  readonly groupsNotFound: readonly string[];
}

/**
 * Reads the selection from ECS: DescribeInstances by the selection's
 * queries (paged, 100 a page: `max(1, ceil(instances / 100))` calls for one
 * query, see {@link instanceQueries}), then one pass of DescribeSecurityGroups
 * (100 IDs a call) for the groups found and the groups selected.
 */
export async function readEstate(ecs: EstateReader, selection: AdoptSelection): Promise<Estate> {
  const byId = new Map<string, EcsInstance>();
  for (const query of instanceQueries(selection)) {
    for (const instance of await ecs.findInstances(query)) {
      if (inSelectedGroups(selection, instance)) byId.set(instance.instanceId, instance);
    }
  }
  const instances = [...byId.values()].sort((a, b) => compare(a.instanceId, b.instanceId));
  const wantedGroups = [
    ...new Set([...selection.securityGroupIds, ...instances.flatMap((i) => i.securityGroupIds)]),
  ].sort(compare);
  const groups = wantedGroups.length > 0 ? await ecs.describeSecurityGroups(wantedGroups) : new Map();
  return {
    instances,
    groups,
    instancesNotFound: [...new Set(selection.instanceIds)].filter((id) => !byId.has(id)).sort(compare),
    groupsNotFound: [...new Set(selection.securityGroupIds)].filter((id) => !groups.has(id)).sort(compare),
  };
}

/** Code-point order, the same on every machine and locale (the written file must not depend on either). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
