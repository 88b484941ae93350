/**
 * Rules Join and Leave share: what the call changes (an instance, or an ENI),
 * and whether it may change at all. An instance and its primary ENI are one
 * target with one list of groups, whichever ID the call names.
 */
import { ApiError } from "../api-error";
import { requiredId, type Params, wellFormedId } from "../params";
import type { EmulatorState, InstanceRecord, NetworkInterfaceRecord } from "../state";
import { findInstance, findNetworkInterface } from "./lookup";

/** The subject of one Join/Leave, resolved against the world. */
export interface MembershipTarget {
  /** `Instance i-web1` or `Network interface eni-1`, as a message begins. */
  readonly label: string;
  /** `instance i-web1` or `network interface eni-1`, inside a sentence. */
  readonly name: string;
  readonly vpcId: string | null;
  /** The one list of groups this call reads and changes. */
  readonly securityGroupIds: readonly string[];
  /** The instance whose status and locks gate the change; undefined for a detached ENI. */
  readonly instance: InstanceRecord | undefined;
  /** The ENI the call named; undefined when it named an instance. */
  readonly networkInterface: NetworkInterfaceRecord | undefined;
}

/**
 * The ID a Join/Leave names. The API takes `InstanceId` or
 * `NetworkInterfaceId`, exactly one; `RegionId` is required with an ENI.
 */
export function targetId(params: Params): { kind: "instance" | "networkInterface"; id: string } {
  const hasInstance = params.InstanceId !== undefined;
  const hasEni = params.NetworkInterfaceId !== undefined;
  if (hasInstance && hasEni) {
    throw new ApiError(
      403,
      "InvalidParam.EniIdAndInstanceId.Conflict",
      "InstanceId and NetworkInterfaceId cannot be specified together.",
    );
  }
  if (hasEni) {
    if (params.RegionId === undefined) {
      throw new ApiError(
        400,
        "MissingParameter.RegionId",
        'The input parameter "RegionId" is mandatory when NetworkInterfaceId is specified.',
      );
    }
    return { kind: "networkInterface", id: wellFormedId(params.NetworkInterfaceId, "NetworkInterfaceId") };
  }
  return { kind: "instance", id: requiredId(params, "InstanceId") };
}

/** Resolves the named instance or ENI (not found: the kind's `NotFound` code, 404). */
export function resolveTarget(state: EmulatorState, target: ReturnType<typeof targetId>): MembershipTarget {
  if (target.kind === "instance") {
    const inst = findInstance(state, target.id);
    return {
      label: `Instance ${inst.instanceId}`,
      name: `instance ${inst.instanceId}`,
      vpcId: inst.vpcId,
      securityGroupIds: inst.securityGroupIds,
      instance: inst,
      networkInterface: undefined,
    };
  }
  const eni = findNetworkInterface(state, target.id);
  const inst =
    eni.instanceId === null ? undefined : state.instances.find((i) => i.instanceId === eni.instanceId);
  return {
    label: `Network interface ${eni.networkInterfaceId}`,
    name: `network interface ${eni.networkInterfaceId}`,
    vpcId: eni.vpcId,
    securityGroupIds: eni.type === "Primary" && inst ? inst.securityGroupIds : eni.securityGroupIds,
    instance: inst,
    networkInterface: eni,
  };
}

/**
 * The ENI must be settled (`InUse` or `Available`: the emulator's
 * conservative reading, ECS documents no rule), and the instance it belongs
 * to, or the instance named, must be Running or Stopped and not locked for security.
 */
export function assertChangeable(target: MembershipTarget): void {
  const eni = target.networkInterface;
  if (eni && eni.status === "Creating") {
    throw new ApiError(
      400,
      "InvalidStatus.EniOrInstanceIsBeingCreated",
      `Network interface ${eni.networkInterfaceId} is still being created.`,
    );
  }
  if (eni && eni.status !== "InUse" && eni.status !== "Available") {
    throw new ApiError(
      403,
      "IncorrectNetworkInterfaceStatus",
      `The current status of network interface ${eni.networkInterfaceId} is ${eni.status}; it must be InUse or Available.`,
    );
  }
  if (target.instance) assertInstanceChangeable(target.instance);
}

/** The instance must be Running or Stopped and must not be locked for security. */
export function assertInstanceChangeable(inst: InstanceRecord): void {
  if (inst.status !== "Running" && inst.status !== "Stopped") {
    throw new ApiError(
      403,
      "IncorrectInstanceStatus",
      `The current status of instance ${inst.instanceId} is ${inst.status}; it must be Running or Stopped.`,
    );
  }
  if (inst.lockReasons.includes("security")) {
    throw new ApiError(
      403,
      "InstanceLockedForSecurity",
      `Instance ${inst.instanceId} is locked for security reasons (OperationLocks: security).`,
    );
  }
}

/**
 * A copy of the world where the target's one list of groups is `groups`:
 * an instance and its primary ENI change together.
 */
export function withGroups(
  state: EmulatorState,
  target: MembershipTarget,
  groups: readonly string[],
): EmulatorState {
  const eni = target.networkInterface;
  const sharedInstanceId = eni
    ? eni.type === "Primary"
      ? eni.instanceId
      : null
    : target.instance?.instanceId;
  return {
    ...state,
    instances: state.instances.map((i) =>
      i.instanceId === sharedInstanceId ? { ...i, securityGroupIds: [...groups] } : i,
    ),
    networkInterfaces: state.networkInterfaces.map((n) =>
      n.networkInterfaceId === eni?.networkInterfaceId ||
      (n.type === "Primary" && sharedInstanceId !== null && n.instanceId === sharedInstanceId)
        ? { ...n, securityGroupIds: [...groups] }
        : n,
    ),
  };
}

/**
 * The queue a change waits in: one per list of groups, so that a call naming
 * an instance and one naming its primary ENI are applied one at a time.
 */
export function changeQueueKey(state: EmulatorState, params: Params): string {
  const eniId = params.NetworkInterfaceId;
  if (eniId === undefined) return `instance:${params.InstanceId ?? ""}`;
  const eni = state.networkInterfaces.find((n) => n.networkInterfaceId === eniId);
  if (eni && eni.type === "Primary" && eni.instanceId !== null) return `instance:${eni.instanceId}`;
  return `eni:${eniId}`;
}
