import type { EcsInstance, EcsNetworkInterface } from "../../ecs";
import {
  CHANGEABLE_NETWORK_INTERFACE_STATUSES,
  CHANGEABLE_STATUSES,
  isWellFormedInstanceId,
  isWellFormedSecurityGroupId,
} from "../../membership";
import type { ManagedMembership } from "../managed-memberships";
import { compare, type Estate } from "./estate";
import { resourceNames } from "./names";
import type { AdoptSelection } from "./selection";
import { displayText } from "./text";

/** `attachment`: one attachment resource per pair; `set`: one authoritative set per instance or ENI. */
export type AdoptKind = "attachment" | "set";

/** The resource types adopt writes, by what they name (an instance or an ENI) and by kind. */
export const RESOURCE_TYPES = {
  instance: { attachment: "alisg_attachment", set: "alisg_instance_security_groups" },
  networkInterface: {
    attachment: "alisg_network_interface_attachment",
    set: "alisg_network_interface_security_groups",
  },
} as const;

/** What a resource names: an instance or an ENI. */
export type AdoptedMember = keyof typeof RESOURCE_TYPES;

/** Why a later change to a member's groups would be refused, although importing it is fine. */
export interface Caution {
  readonly code: "IncorrectInstanceStatus" | "InstanceLockedForSecurity" | "IncorrectNetworkInterfaceStatus";
  readonly message: string;
}

/** One resource adopt writes, with its `import` ID. */
export interface AdoptedResource {
  readonly type: (typeof RESOURCE_TYPES)[AdoptedMember][AdoptKind];
  readonly member: AdoptedMember;
  /** The Terraform name (also the construct ID): stable, derived from the IDs. */
  readonly name: string;
  readonly importId: string;
  /** The instance, or the ENI when `member` is `networkInterface`. */
  readonly memberId: string;
  /** One group for an attachment; the whole set, sorted, for a set. */
  readonly securityGroupIds: readonly string[];
  /** The same for every resource of one member. */
  readonly cautions: readonly Caution[];
}

/** Memberships found but not adopted, and why. */
export interface LeftOut {
  readonly member: AdoptedMember;
  /** The instance, or the ENI. */
  readonly memberId: string;
  /** Sorted; empty for a member in no group. */
  readonly securityGroupIds: readonly string[];
  readonly reason: string;
}

/** What `alisg adopt` writes, in a stable order whatever order ECS answered in. */
export interface Adoption {
  readonly kind: AdoptKind;
  readonly regionId: string;
  readonly selection: AdoptSelection;
  /** The instances' resources sorted by instance, then group; then the ENIs' the same way. */
  readonly resources: readonly AdoptedResource[];
  /** The adopted instances, as ECS described them, sorted by ID. */
  readonly instances: readonly EcsInstance[];
  /** The adopted ENIs, as ECS described them, sorted by ID. */
  readonly networkInterfaces: readonly EcsNetworkInterface[];
  /** Names of the groups adopted, where ECS has one other than the ID. */
  readonly groupNames: ReadonlyMap<string, string>;
  readonly leftOut: readonly LeftOut[];
  readonly instancesNotFound: readonly string[];
  readonly networkInterfacesNotFound: readonly string[];
  readonly groupsNotFound: readonly string[];
}

/** An instance or an ENI whose memberships adopt may write. */
interface Member {
  readonly member: AdoptedMember;
  readonly id: string;
  readonly securityGroupIds: readonly string[];
  readonly cautions: readonly Caution[];
}

/**
 * Decides what to adopt (pure). Every membership of the estate is adopted,
 * except those that `managed` says another resource manages already: for
 * attachments, those pairs (every pair of a member under an authoritative
 * set); for sets, the whole member, since a set next to any other resource
 * of its member would fight it. Instances that are not Running/Stopped or
 * are security-locked, and ENIs that are not InUse/Available or are attached
 * to such an instance, are adopted too (importing makes no call), with a
 * caution saying why a later change would be refused. A primary ENI is left
 * out: its groups are its instance's, and an ENI resource next to an
 * instance resource of the same instance is refused at plan time
 * (DuplicateAttachment, MixedMembershipResources); the instance is adopted
 * with `--instance-id` instead. For the same reason, what a managed resource
 * of a primary ENI holds (`estate.managedNetworkInterfaces` tells which ENIs
 * are primary) is left out of its instance's memberships.
 */
export function planAdoption(
  estate: Estate,
  kind: AdoptKind,
  managed: readonly ManagedMembership[],
  selection: AdoptSelection,
  regionId: string,
): Adoption {
  const leftOut: LeftOut[] = [];
  const members: Member[] = [...estate.instances]
    .sort((a, b) => compare(a.instanceId, b.instanceId))
    .map((i) => ({
      member: "instance",
      id: i.instanceId,
      securityGroupIds: i.securityGroupIds,
      cautions: instanceCautions(i),
    }));
  const enis = [...estate.networkInterfaces].sort((a, b) =>
    compare(a.networkInterfaceId, b.networkInterfaceId),
  );
  for (const eni of enis) {
    const member = {
      member: "networkInterface",
      id: eni.networkInterfaceId,
      securityGroupIds: eni.securityGroupIds,
      cautions: networkInterfaceCautions(
        eni,
        eni.instanceId ? estate.networkInterfaceHosts.get(eni.instanceId) : undefined,
      ),
    } as const;
    if (eni.type === "Primary") {
      const host = eni.instanceId ?? "its instance";
      leftOut.push({
        member: "networkInterface",
        memberId: eni.networkInterfaceId,
        securityGroupIds: [...new Set(eni.securityGroupIds)].sort(compare),
        reason: `a primary ENI: its groups are those of ${host}; adopt them with --instance-id ${host} (an ENI resource next to the instance's would be refused)`,
      });
    } else members.push(member);
  }

  const adopted: { member: Member; groups: string[] }[] = [];
  const managing = [...managed, ...asInstanceMemberships(managed, estate.managedNetworkInterfaces)];
  for (const member of members) {
    const free = freeGroups(member, kind, managing, leftOut);
    if (free.length > 0) adopted.push({ member, groups: free });
  }

  const drafts = adopted.flatMap(({ member, groups }) =>
    kind === "set" ? [{ member, groups }] : groups.map((g) => ({ member, groups: [g] })),
  );
  const names = resourceNames(drafts.map((d) => [d.member.id, ...(kind === "set" ? [] : d.groups)]));
  const resources = drafts.map(({ member, groups }, n): AdoptedResource => ({
    type: RESOURCE_TYPES[member.member][kind],
    member: member.member,
    name: names[n],
    importId: kind === "set" ? member.id : `${member.id}:${groups[0]}`,
    memberId: member.id,
    securityGroupIds: groups,
    cautions: member.cautions,
  }));
  const groupNames = new Map<string, string>();
  for (const g of new Set(resources.flatMap((r) => r.securityGroupIds))) {
    const name = estate.groups.get(g)?.name;
    if (name && name !== g) groupNames.set(g, name);
  }
  const adoptedIds = new Set(adopted.map((a) => `${a.member.member}:${a.member.id}`));
  return {
    kind,
    regionId,
    selection,
    resources,
    instances: estate.instances.filter((i) => adoptedIds.has(`instance:${i.instanceId}`)),
    networkInterfaces: enis.filter((e) => adoptedIds.has(`networkInterface:${e.networkInterfaceId}`)),
    groupNames,
    leftOut,
    instancesNotFound: estate.instancesNotFound,
    networkInterfacesNotFound: estate.networkInterfacesNotFound,
    groupsNotFound: estate.groupsNotFound,
  };
}

/**
 * What an `--exclude-state` resource of a primary ENI manages, said of its
 * instance: a primary ENI's groups are its instance's (the provider judges
 * them as one subject), so its memberships are left out of the instance's.
 */
function asInstanceMemberships(
  managed: readonly ManagedMembership[],
  enis: ReadonlyMap<string, EcsNetworkInterface>,
): ManagedMembership[] {
  return managed.flatMap((m) => {
    const eni = m.networkInterface ? enis.get(m.instanceId) : undefined;
    if (!eni || eni.type !== "Primary" || eni.instanceId === null) return [];
    const { networkInterface: _eni, ...rest } = m;
    return [{ ...rest, instanceId: eni.instanceId }];
  });
}

/**
 * The groups of a member adopt may write, sorted; what it may not is added to
 * `leftOut`, with the reason.
 */
function freeGroups(
  member: Member,
  kind: AdoptKind,
  managed: readonly ManagedMembership[],
  leftOut: LeftOut[],
): string[] {
  const groups = [...new Set(member.securityGroupIds)].sort(compare);
  const id = member.id;
  const left = (securityGroupIds: string[], reason: string) =>
    leftOut.push({ member: member.member, memberId: id, securityGroupIds, reason });
  if (!isWellFormedInstanceId(id) || groups.some((g) => !isWellFormedSecurityGroupId(g))) {
    left(groups, "an ID is not one alisg can manage (1 to 64 of A-Z a-z 0-9 - _)");
    return [];
  }
  if (groups.length === 0) {
    left([], "it is in no security group");
    return [];
  }
  const eni = member.member === "networkInterface";
  const mine = managed.filter((m) => m.instanceId === id && (m.networkInterface === true) === eni);
  const wholly = mine.find((m) => m.securityGroupId === undefined);
  const takenBy = (g: string) =>
    wholly?.manager ?? mine.find((m) => m.securityGroupId === g)?.manager ?? undefined;
  const taken = groups.filter((g) => takenBy(g) !== undefined);
  if (kind === "set" && (taken.length > 0 || wholly)) {
    const by = [...new Set(mine.map((m) => m.manager))].sort(compare);
    left(groups, `already managed by ${by.join(", ")}; an authoritative set next to it would fight it`);
    return [];
  }
  for (const manager of [...new Set(taken.map((g) => takenBy(g)!))].sort(compare)) {
    left(
      taken.filter((g) => takenBy(g) === manager),
      `already managed by ${manager}`,
    );
  }
  return groups.filter((g) => takenBy(g) === undefined);
}

/** How many memberships were left out (an instance in no group counts once). */
export function leftOutCount(adoption: Adoption): number {
  return adoption.leftOut.reduce((n, l) => n + Math.max(1, l.securityGroupIds.length), 0);
}

/** Why ECS would refuse a later change to this instance's groups (nothing when it may change). */
function instanceCautions(instance: EcsInstance): Caution[] {
  return instanceStateCautions(instance, {
    subject: `${instance.instanceId} is`,
    groups: "its groups",
    until: "it is",
  });
}

/**
 * The caution an instance's status and security lock call for, said of
 * whatever they gate: `subject` opens the sentence before the state
 * (`i-1 is`), `groups` names the groups a change would touch, `until` the one
 * that must reach Running or Stopped (`it is`).
 */
function instanceStateCautions(
  instance: EcsInstance,
  said: { readonly subject: string; readonly groups: string; readonly until: string },
): Caution[] {
  const cautions: Caution[] = [];
  if (!CHANGEABLE_STATUSES.includes(instance.status)) {
    const status = instance.status ? displayText(instance.status) : "in an unknown status";
    cautions.push({
      code: "IncorrectInstanceStatus",
      message: `${said.subject} ${status}: importing changes nothing, but a later change to ${said.groups} would be refused (IncorrectInstanceStatus) until ${said.until} Running or Stopped`,
    });
  }
  if (instance.lockReasons.includes("security")) {
    cautions.push({
      code: "InstanceLockedForSecurity",
      message: `${said.subject} locked for security: importing changes nothing, but a later change to ${said.groups} would be refused (InstanceLockedForSecurity) until the lock is lifted`,
    });
  }
  return cautions;
}

/**
 * Why ECS would refuse a later change to this ENI's groups (nothing when it
 * may change): its own status, and the status and locks of the instance it
 * is attached to, which gate it as they gate the instance.
 */
function networkInterfaceCautions(eni: EcsNetworkInterface, host: EcsInstance | undefined): Caution[] {
  const cautions: Caution[] = [];
  const id = eni.networkInterfaceId;
  if (!CHANGEABLE_NETWORK_INTERFACE_STATUSES.includes(eni.status)) {
    const status = eni.status ? displayText(eni.status) : "in an unknown status";
    cautions.push({
      code: "IncorrectNetworkInterfaceStatus",
      message: `${id} is ${status}: importing changes nothing, but a later change to its groups would be refused (IncorrectNetworkInterfaceStatus) until it is InUse or Available`,
    });
  }
  if (!host) return cautions;
  return [
    ...cautions,
    ...instanceStateCautions(host, {
      subject: `${id} is attached to ${host.instanceId}, which is`,
      groups: "the ENI's groups",
      until: `${host.instanceId} is`,
    }),
  ];
}
