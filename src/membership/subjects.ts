/**
 * The subject of a membership: an instance or an elastic network interface
 * (ENI). An instance's groups are its primary ENI's, so an instance and its
 * primary ENI are one subject, named by the instance ID: a change to the
 * primary ENI is a change to the instance, and every rule and whole-plan
 * judgment (duplicates, mixed kinds, hand-offs, orders, limits) sees them
 * together. Any other ENI is a subject of its own, named by its ENI ID.
 */
import { namesNetworkInterface, type ResourceChange } from "./resource-change";
import type { Change, Facts, InstanceFacts, NetworkInterfaceFacts } from "./types";

/** The subject an ID names: the instance of a primary ENI, or the ID itself. */
export function subjectIdOf(facts: Facts, id: string): string {
  const eni = facts.networkInterfaces?.get(id);
  return eni && eni.type === "Primary" && eni.instanceId !== null ? eni.instanceId : id;
}

/** The changes with every primary ENI named by its instance. */
export function toSubjectChanges(facts: Facts, changes: readonly Change[]): Change[] {
  if (!facts.networkInterfaces) return [...changes];
  return changes.map((c) => {
    const subject = subjectIdOf(facts, c.instanceId);
    return subject === c.instanceId ? c : { ...c, instanceId: subject };
  });
}

/** The resource changes with every primary ENI (of the ENI kinds) named by its instance. */
export function toSubjectResourceChanges(facts: Facts, changes: readonly ResourceChange[]): ResourceChange[] {
  if (!facts.networkInterfaces) return [...changes];
  const rename = <H extends ResourceChange["before"]>(h: H): H =>
    h && h.instanceId !== null ? { ...h, instanceId: subjectIdOf(facts, h.instanceId) } : h;
  return changes.map((c) =>
    namesNetworkInterface(c.kind) ? { ...c, before: rename(c.before), after: rename(c.after) } : c,
  );
}

/**
 * The ID a change of `kind` names is no object of that kind but one of the
 * other (an instance's ID given as `network_interface_id`, an ENI's as
 * `instance_id`). Subjects are keyed by ID, so such a change must not be
 * judged as that other subject: it names nothing that exists.
 */
export function namesOtherKind(facts: Facts, kind: ResourceChange["kind"], id: string): boolean {
  const eni = facts.networkInterfaces?.get(id);
  return namesNetworkInterface(kind)
    ? eni === null && facts.instances.has(id)
    : kind === "alisg_attachment" || kind === "alisg_instance_security_groups"
      ? !facts.instances.has(id) && eni !== undefined && eni !== null
      : false;
}

/** The ENI a subject ID names when it is not an instance; undefined otherwise. */
export function networkInterfaceOf(facts: Facts, id: string): NetworkInterfaceFacts | undefined {
  if (facts.instances.has(id)) return undefined;
  return facts.networkInterfaces?.get(id) ?? undefined;
}

/**
 * True when the subject ID names an ENI (described as one, whether it exists
 * or not), not an instance: a primary ENI is named by its instance instead.
 */
export function isNetworkInterfaceSubject(facts: Facts, id: string): boolean {
  return !facts.instances.has(id) && facts.networkInterfaces?.has(id) === true;
}

/** True when the ID was described as an ENI and does not exist. */
export function isMissingNetworkInterface(facts: Facts, id: string): boolean {
  return facts.networkInterfaces?.get(id) === null;
}

/**
 * What the rules know of a subject as one member of groups: the instance, or
 * an ENI: its own groups, VPC and limit, with the status and locks of the
 * instance it is attached to (`Unknown` when that instance was not described:
 * refused, the conservative answer). A detached ENI has no instance to gate
 * it; its own status is judged by `checkNetworkInterfaceStatus`.
 */
export function memberFacts(facts: Facts, id: string): InstanceFacts | undefined {
  const instance = facts.instances.get(id);
  if (instance) return instance;
  const eni = networkInterfaceOf(facts, id);
  if (!eni) return undefined;
  const host = eni.instanceId === null ? undefined : facts.instances.get(eni.instanceId);
  return {
    instanceId: eni.networkInterfaceId,
    status: host?.status ?? (eni.instanceId === null ? "" : "Unknown"),
    lockReasons: host?.lockReasons ?? [],
    vpcId: eni.vpcId,
    securityGroupIds: eni.securityGroupIds,
    maxSecurityGroups: eni.maxSecurityGroups,
  };
}
