/** Finding resources the way the service reports their absence. */
import { ApiError } from "../api-error";
import type { Params } from "../params";
import type { EmulatorState, InstanceRecord, NetworkInterfaceRecord, SecurityGroupRecord } from "../state";

/** `RegionId` is optional on some actions; when given it must be the emulator's region. */
export function checkRegion(state: EmulatorState, params: Params): void {
  const regionId = params.RegionId;
  if (regionId !== undefined && regionId !== state.regionId) {
    throw new ApiError(
      404,
      "InvalidRegionId.NotFound",
      `The specified RegionId ${JSON.stringify(regionId)} does not exist; this emulator serves ${state.regionId}.`,
    );
  }
}

export function findInstance(state: EmulatorState, instanceId: string): InstanceRecord {
  const inst = state.instances.find((i) => i.instanceId === instanceId);
  if (!inst)
    throw new ApiError(
      404,
      "InvalidInstanceId.NotFound",
      `The specified instance ${instanceId} does not exist.`,
    );
  return inst;
}

export function findNetworkInterface(
  state: EmulatorState,
  networkInterfaceId: string,
): NetworkInterfaceRecord {
  const eni = state.networkInterfaces.find((n) => n.networkInterfaceId === networkInterfaceId);
  if (!eni) {
    throw new ApiError(
      404,
      "InvalidEniId.NotFound",
      `The specified network interface ${networkInterfaceId} does not exist.`,
    );
  }
  return eni;
}

export function findSecurityGroup(state: EmulatorState, securityGroupId: string): SecurityGroupRecord {
  const group = state.securityGroups.find((g) => g.securityGroupId === securityGroupId);
  if (!group) {
    throw new ApiError(
      404,
      "InvalidSecurityGroupId.NotFound",
      `The specified security group ${securityGroupId} does not exist.`,
    );
  }
  return group;
}
