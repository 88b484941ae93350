import type { EcsInstance, EcsInstanceSearch, EcsNetworkInterface, EcsSecurityGroup } from "../../ecs";
import { isWellFormedInstanceId } from "../../membership/ids";
import type { EcsReader } from "../facts-loader";
import { inSelectedGroups, instanceQueries, selectsInstances, type AdoptSelection } from "./selection";

/** The ECS calls adopt makes: Describe* only. */
export type EstateReader = EcsReader & EcsInstanceSearch;

/** What ECS holds for a selection, as adopt found it. */
export interface Estate {
  /** The selected instances, sorted by ID. */
  readonly instances: readonly EcsInstance[];
  /** The `--network-interface-id`s that exist, sorted by ID. */
  readonly networkInterfaces: readonly EcsNetworkInterface[];
  /**
   * The instances those ENIs (other than primary ENIs) are attached to, by
   * ID, as ECS described them: their status and locks gate a change to the
   * ENI's groups. An instance that does not exist is absent.
   */
  readonly networkInterfaceHosts: ReadonlyMap<string, EcsInstance>;
  /**
   * The ENIs that `--exclude-state` files name, as ECS described them (those
   * that exist): a primary ENI's resource manages its instance's groups.
   */
  readonly managedNetworkInterfaces: ReadonlyMap<string, EcsNetworkInterface>;
  /** Every group of those instances and ENIs, and every selected group, that exists. */
  readonly groups: ReadonlyMap<string, EcsSecurityGroup>;
  /** `--instance-id`s that ECS did not answer (no such instance, or it does not match the filters). */
  readonly instancesNotFound: readonly string[];
  /** `--network-interface-id`s that do not exist. */
  readonly networkInterfacesNotFound: readonly string[];
  /** `--security-group-id`s that do not exist. */
  readonly groupsNotFound: readonly string[];
}

/**
 * Reads the selection from ECS: DescribeInstances by the selection's
 * queries (paged, 100 a page: `max(1, ceil(instances / 100))` calls for one
 * query, see {@link instanceQueries}; none when only ENIs are selected), the
 * `--network-interface-id`s with one pass of DescribeNetworkInterfaces (100
 * IDs a call: `ceil(ENIs / 100)` calls), the instances those ENIs are
 * attached to that the selection did not already describe with one pass of
 * DescribeInstances (100 IDs a call; none for primary ENIs, which adopt
 * leaves out), then one pass of DescribeSecurityGroups (100 IDs a call) for
 * the groups found and the groups selected. `managedEniIds` (the ENIs of
 * `--exclude-state`) are described in the same DescribeNetworkInterfaces pass.
 */
export async function readEstate(
  ecs: EstateReader,
  selection: AdoptSelection,
  managedEniIds: readonly string[] = [],
): Promise<Estate> {
  const byId = new Map<string, EcsInstance>();
  for (const query of selectsInstances(selection) ? instanceQueries(selection) : []) {
    for (const instance of await ecs.findInstances(query)) {
      if (inSelectedGroups(selection, instance)) byId.set(instance.instanceId, instance);
    }
  }
  const instances = [...byId.values()].sort((a, b) => compare(a.instanceId, b.instanceId));
  const wantedEnis = [...new Set(selection.networkInterfaceIds)].sort(compare);
  // A malformed ID in a state file would fail the whole call: such an ENI cannot be primary.
  const managedEnis = new Set(managedEniIds.filter(isWellFormedInstanceId));
  const describedEnis = [...new Set([...wantedEnis, ...managedEnis])].sort(compare);
  const allEnis: Map<string, EcsNetworkInterface> =
    describedEnis.length > 0 ? await ecs.describeNetworkInterfaces(describedEnis) : new Map();
  const wanted = new Set(wantedEnis);
  const enis = new Map([...allEnis].filter(([id]) => wanted.has(id)));
  const managedNetworkInterfaces = new Map([...allEnis].filter(([id]) => managedEnis.has(id)));
  const networkInterfaces = [...enis.values()].sort((a, b) =>
    compare(a.networkInterfaceId, b.networkInterfaceId),
  );
  const hostIds = [
    ...new Set(networkInterfaces.filter((e) => e.type !== "Primary").flatMap((e) => e.instanceId ?? [])),
  ].sort(compare);
  const unknownHosts = hostIds.filter((id) => !byId.has(id));
  const described = unknownHosts.length > 0 ? await ecs.describeInstances(unknownHosts) : new Map();
  const networkInterfaceHosts = new Map<string, EcsInstance>();
  for (const id of hostIds) {
    const host = byId.get(id) ?? described.get(id);
    if (host) networkInterfaceHosts.set(id, host);
  }
  const wantedGroups = [
    ...new Set([
      ...selection.securityGroupIds,
      ...[...instances, ...networkInterfaces].flatMap((m) => m.securityGroupIds),
    ]),
  ].sort(compare);
  const groups = wantedGroups.length > 0 ? await ecs.describeSecurityGroups(wantedGroups) : new Map();
  return {
    instances,
    networkInterfaces,
    networkInterfaceHosts,
    managedNetworkInterfaces,
    groups,
    instancesNotFound: [...new Set(selection.instanceIds)].filter((id) => !byId.has(id)).sort(compare),
    networkInterfacesNotFound: wantedEnis.filter((id) => !enis.has(id)),
    groupsNotFound: [...new Set(selection.securityGroupIds)].filter((id) => !groups.has(id)).sort(compare),
  };
}

/** Code-point order, the same on every machine and locale (the written file must not depend on either). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
