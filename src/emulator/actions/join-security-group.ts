/** `JoinSecurityGroup`: add an instance to one more security group. */
import { ApiError } from "../api-error";
import { requiredId } from "../params";
import { checkRegion, findInstance, findSecurityGroup, withInstance } from "./lookup";
import { assertInstanceChangeable, targetInstanceId } from "./membership-rules";
import type { ActionHandler } from "./types";

export const joinSecurityGroup: ActionHandler = (state, params) => {
  const securityGroupId = requiredId(params, "SecurityGroupId");
  const instanceId = targetInstanceId(params);
  checkRegion(state, params);
  const inst = findInstance(state, instanceId);
  const group = findSecurityGroup(state, securityGroupId);
  assertInstanceChangeable(inst);

  if (inst.securityGroupIds.includes(securityGroupId)) {
    throw new ApiError(
      403,
      "InvalidInstanceId.AlreadyExists",
      `Instance ${instanceId} is already in security group ${securityGroupId}.`,
    );
  }
  if (group.vpcId !== inst.vpcId) {
    throw new ApiError(
      400,
      "InvalidInstanceId.Mismatch",
      `Security group ${securityGroupId} (${group.vpcId ?? "classic network"}) and instance ${instanceId} (${inst.vpcId ?? "classic network"}) are not in the same VPC.`,
    );
  }
  const otherTypes = inst.securityGroupIds
    .map((id) => state.securityGroups.find((g) => g.securityGroupId === id)?.type)
    .filter((type) => type !== undefined && type !== group.type);
  if (otherTypes.length > 0) {
    throw new ApiError(
      400,
      "InvalidOperation.MultiGroupType",
      `Instance ${instanceId} is in ${otherTypes[0]} security groups and cannot also join the ${group.type} group ${securityGroupId}.`,
    );
  }
  if (inst.securityGroupIds.length >= state.maxSecurityGroupsPerInstance) {
    throw new ApiError(
      400,
      "InstanceSecurityGroupLimitExceeded",
      `Instance ${instanceId} is already in ${inst.securityGroupIds.length} security groups, the maximum (${state.maxSecurityGroupsPerInstance}).`,
    );
  }

  const updated = { ...inst, securityGroupIds: [...inst.securityGroupIds, securityGroupId] };
  return { body: {}, state: withInstance(state, updated) };
};
