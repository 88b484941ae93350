/**
 * The oracle's own reading of what a membership resource names, from the
 * emulator's state alone (never from `src/membership/`): an instance, or an
 * ENI. An instance and its primary ENI have one list of groups in ECS, so the
 * oracle keys both by the instance ID (the "list"): a pair `list:group` is
 * one membership whichever resource kind declares it. Any other ENI is a list
 * of its own, keyed by its ENI ID.
 */
import type { EmulatorState } from "../../../src/emulator/state";
import type { ObjectValue, Value } from "../../../src/provider/plugin/types";
import type { ResourceType } from "./terraform-sim";

/** The attribute that names the subject of a resource type. */
export function idAttributeOf(type: ResourceType): "instance_id" | "network_interface_id" {
  return type.startsWith("alisg_network_interface_") ? "network_interface_id" : "instance_id";
}

/** One instance (or ENI) in one group, additively: `alisg_attachment` or its ENI twin. */
export function isAttachment(type: ResourceType): boolean {
  return type === "alisg_attachment" || type === "alisg_network_interface_attachment";
}

/** The ID a resource's values name (instance or ENI), as written. */
export function namedId(type: ResourceType, values: ObjectValue | Record<string, Value>): Value | undefined {
  return values[idAttributeOf(type)];
}

/** The list of groups an ID names: a primary ENI's is its instance's; any other ID is its own. */
export function listOf(world: EmulatorState, id: string): string {
  const eni = world.networkInterfaces.find((n) => n.networkInterfaceId === id);
  return eni && eni.type === "Primary" && eni.instanceId !== null ? eni.instanceId : id;
}

/** The list a resource's values name, as a string (`String(undefined)` when unnamed). */
export function listOfValues(
  world: EmulatorState,
  type: ResourceType,
  values: ObjectValue | Record<string, Value>,
): string {
  const id = namedId(type, values);
  return typeof id === "string" ? listOf(world, id) : String(id);
}

/** The groups ECS has for a list or an ID (undefined: it does not exist). */
export function groupsOf(world: EmulatorState, id: string): string[] | undefined {
  const list = listOf(world, id);
  const inst = world.instances.find((i) => i.instanceId === list);
  if (inst) return inst.securityGroupIds;
  return world.networkInterfaces.find((n) => n.networkInterfaceId === list)?.securityGroupIds;
}

/** Every list in the world with its groups: each instance (with its primary ENI), each other ENI. */
export function listsOf(world: EmulatorState): { id: string; groups: readonly string[] }[] {
  return [
    ...world.instances.map((i) => ({ id: i.instanceId, groups: i.securityGroupIds })),
    ...world.networkInterfaces
      .filter((n) => listOf(world, n.networkInterfaceId) === n.networkInterfaceId)
      .map((n) => ({ id: n.networkInterfaceId, groups: n.securityGroupIds })),
  ];
}

/** The IDs a message may name a list by: the instance and its primary ENI, or the ENI. */
export function namesOf(world: EmulatorState, list: string): string[] {
  const primary = world.networkInterfaces.find((n) => n.type === "Primary" && n.instanceId === list);
  return primary ? [list, primary.networkInterfaceId] : [list];
}

/** Why ECS refuses to change a list now, as the codes the product documents; empty: it may change. */
export function gateCodes(world: EmulatorState, id: string): string[] {
  const codes: string[] = [];
  const eni = world.networkInterfaces.find((n) => n.networkInterfaceId === id);
  if (eni && eni.status !== "InUse" && eni.status !== "Available")
    codes.push("IncorrectNetworkInterfaceStatus");
  const hostId = eni ? eni.instanceId : id;
  const host = world.instances.find((i) => i.instanceId === hostId);
  if (host && host.status !== "Running" && host.status !== "Stopped") codes.push("IncorrectInstanceStatus");
  if (host?.lockReasons.includes("security")) codes.push("InstanceLockedForSecurity");
  return codes;
}

/** Whether the world has what a resource type's ID names: an instance, or an ENI. */
export function exists(world: EmulatorState, type: ResourceType, id: string): boolean {
  return idAttributeOf(type) === "instance_id"
    ? world.instances.some((i) => i.instanceId === id)
    : world.networkInterfaces.some((n) => n.networkInterfaceId === id);
}
