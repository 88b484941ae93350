/** Rules Join and Leave share: which instance is meant, and whether it may change at all. */
import { ApiError } from "../api-error";
import { requiredId, type Params, wellFormedId } from "../params";
import type { InstanceRecord } from "../state";

/**
 * The instance a Join/Leave names. The API takes `InstanceId` or
 * `NetworkInterfaceId`, exactly one; the emulator models no ENIs, so any
 * ENI ID is reported as not found.
 */
export function targetInstanceId(params: Params): string {
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
    const eniId = wellFormedId(params.NetworkInterfaceId, "NetworkInterfaceId");
    if (params.RegionId === undefined) {
      throw new ApiError(
        400,
        "MissingParameter.RegionId",
        'The input parameter "RegionId" is mandatory when NetworkInterfaceId is specified.',
      );
    }
    throw new ApiError(
      404,
      "InvalidEniId.NotFound",
      `The specified network interface ${eniId} does not exist (the emulator models no ENIs).`,
    );
  }
  return requiredId(params, "InstanceId");
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
