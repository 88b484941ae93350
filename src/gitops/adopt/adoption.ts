import type { EcsInstance } from "../../ecs";
import { CHANGEABLE_STATUSES, isWellFormedInstanceId, isWellFormedSecurityGroupId } from "../../membership";
import type { ManagedMembership } from "../managed-memberships";
import { compare, type Estate } from "./estate";
import { resourceNames } from "./names";
import type { AdoptSelection } from "./selection";
import { displayText } from "./text";

/** `attachment`: one `alisg_attachment` per pair; `set`: one `alisg_instance_security_groups` per instance. */
export type AdoptKind = "attachment" | "set";

export const RESOURCE_TYPES = {
  attachment: "alisg_attachment",
  set: "alisg_instance_security_groups",
} as const;

/** Why a later change to an instance's groups would be refused, although importing it is fine. */
export interface Caution {
  readonly code: "IncorrectInstanceStatus" | "InstanceLockedForSecurity";
  readonly message: string;
}

/** One resource adopt writes, with its `import` ID. */
export interface AdoptedResource {
  readonly type: (typeof RESOURCE_TYPES)[AdoptKind];
  /** The Terraform name (also the construct ID): stable, derived from the IDs. */
  readonly name: string;
  readonly importId: string;
  readonly instanceId: string;
  /** One group for an attachment; the whole set, sorted, for a set. */
  readonly securityGroupIds: readonly string[];
  /** The same for every resource of one instance. */
  readonly cautions: readonly Caution[];
}

/** Memberships found but not adopted, and why. */
export interface LeftOut {
  readonly instanceId: string;
  /** Sorted; empty for an instance in no group. */
  readonly securityGroupIds: readonly string[];
  readonly reason: string;
}

/** What `alisg adopt` writes, in a stable order whatever order ECS answered in. */
export interface Adoption {
  readonly kind: AdoptKind;
  readonly regionId: string;
  readonly selection: AdoptSelection;
  /** Sorted by instance, then group. */
  readonly resources: readonly AdoptedResource[];
  /** The adopted instances, as ECS described them, sorted by ID. */
  readonly instances: readonly EcsInstance[];
  /** Names of the groups adopted, where ECS has one other than the ID. */
  readonly groupNames: ReadonlyMap<string, string>;
  readonly leftOut: readonly LeftOut[];
  readonly instancesNotFound: readonly string[];
  readonly groupsNotFound: readonly string[];
}

/**
 * Decides what to adopt (pure). Every membership of the estate is adopted,
 * except those that `managed` says another resource manages already: for
 * attachments, those pairs (every pair of an instance under an authoritative
 * set); for sets, the whole instance, since a set next to any other resource
 * of its instance would fight it. Instances that are not Running/Stopped or
 * are security-locked are adopted too (importing makes no call), with a
 * caution saying why a later change would be refused.
 */
export function planAdoption(
  estate: Estate,
  kind: AdoptKind,
  managed: readonly ManagedMembership[],
  selection: AdoptSelection,
  regionId: string,
): Adoption {
  const leftOut: LeftOut[] = [];
  const pairs: { instance: EcsInstance; groups: string[] }[] = [];
  const sorted = [...estate.instances].sort((a, b) => compare(a.instanceId, b.instanceId));
  for (const instance of sorted) {
    const groups = [...new Set(instance.securityGroupIds)].sort(compare);
    const id = instance.instanceId;
    if (!isWellFormedInstanceId(id) || groups.some((g) => !isWellFormedSecurityGroupId(g))) {
      leftOut.push({
        instanceId: id,
        securityGroupIds: groups,
        reason: "an ID is not one alisg can manage (1 to 64 of A-Z a-z 0-9 - _)",
      });
      continue;
    }
    if (groups.length === 0) {
      leftOut.push({ instanceId: id, securityGroupIds: [], reason: "it is in no security group" });
      continue;
    }
    const mine = managed.filter((m) => m.instanceId === id && !m.networkInterface);
    const wholly = mine.find((m) => m.securityGroupId === undefined);
    const takenBy = (g: string) =>
      wholly?.manager ?? mine.find((m) => m.securityGroupId === g)?.manager ?? undefined;
    const taken = groups.filter((g) => takenBy(g) !== undefined);
    if (kind === "set" && (taken.length > 0 || wholly)) {
      const by = [...new Set(mine.map((m) => m.manager))].sort(compare);
      leftOut.push({
        instanceId: id,
        securityGroupIds: groups,
        reason: `already managed by ${by.join(", ")}; an authoritative set next to it would fight it`,
      });
      continue;
    }
    for (const manager of [...new Set(taken.map((g) => takenBy(g)!))].sort(compare)) {
      leftOut.push({
        instanceId: id,
        securityGroupIds: taken.filter((g) => takenBy(g) === manager),
        reason: `already managed by ${manager}`,
      });
    }
    const free = groups.filter((g) => takenBy(g) === undefined);
    if (free.length > 0) pairs.push({ instance, groups: free });
  }

  const drafts = pairs.flatMap(({ instance, groups }) => {
    const cautions = cautionsFor(instance);
    return kind === "set"
      ? [{ instanceId: instance.instanceId, securityGroupIds: groups, cautions }]
      : groups.map((g) => ({ instanceId: instance.instanceId, securityGroupIds: [g], cautions }));
  });
  const names = resourceNames(
    drafts.map((d) => [d.instanceId, ...(kind === "set" ? [] : d.securityGroupIds)]),
  );
  const resources = drafts.map((d, n): AdoptedResource => ({
    type: RESOURCE_TYPES[kind],
    name: names[n],
    importId: kind === "set" ? d.instanceId : `${d.instanceId}:${d.securityGroupIds[0]}`,
    ...d,
  }));
  const groupNames = new Map<string, string>();
  for (const g of new Set(resources.flatMap((r) => r.securityGroupIds))) {
    const name = estate.groups.get(g)?.name;
    if (name && name !== g) groupNames.set(g, name);
  }
  return {
    kind,
    regionId,
    selection,
    resources,
    instances: pairs.map((p) => p.instance),
    groupNames,
    leftOut,
    instancesNotFound: estate.instancesNotFound,
    groupsNotFound: estate.groupsNotFound,
  };
}

/** How many memberships were left out (an instance in no group counts once). */
export function leftOutCount(adoption: Adoption): number {
  return adoption.leftOut.reduce((n, l) => n + Math.max(1, l.securityGroupIds.length), 0);
}

/** Why ECS would refuse a later change to this instance's groups (nothing when it may change). */
function cautionsFor(instance: EcsInstance): Caution[] {
  const cautions: Caution[] = [];
  const id = instance.instanceId;
  if (!CHANGEABLE_STATUSES.includes(instance.status)) {
    cautions.push({
      code: "IncorrectInstanceStatus",
      message: `${id} is ${instance.status ? displayText(instance.status) : "in an unknown status"}: importing changes nothing, but a later change to its groups would be refused (IncorrectInstanceStatus) until it is Running or Stopped`,
    });
  }
  if (instance.lockReasons.includes("security")) {
    cautions.push({
      code: "InstanceLockedForSecurity",
      message: `${id} is locked for security: importing changes nothing, but a later change to its groups would be refused (InstanceLockedForSecurity) until the lock is lifted`,
    });
  }
  return cautions;
}
