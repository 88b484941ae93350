/** `JoinSecurityGroup`: add an instance, or an ENI, to one more security group. */
import { ApiError } from "../api-error";
import { requiredId } from "../params";
import { checkRegion, findSecurityGroup } from "./lookup";
import { assertChangeable, resolveTarget, targetId, withGroups } from "./membership-rules";
import type { ActionHandler } from "./types";

export const joinSecurityGroup: ActionHandler = (state, params) => {
  const securityGroupId = requiredId(params, "SecurityGroupId");
  const named = targetId(params);
  checkRegion(state, params);
  const target = resolveTarget(state, named);
  const group = findSecurityGroup(state, securityGroupId);
  assertChangeable(target);
  const current = target.securityGroupIds;

  if (current.includes(securityGroupId)) {
    throw new ApiError(
      403,
      "InvalidInstanceId.AlreadyExists",
      `${target.label} is already in security group ${securityGroupId}.`,
    );
  }
  if (group.vpcId !== target.vpcId) {
    throw new ApiError(
      400,
      "InvalidInstanceId.Mismatch",
      `Security group ${securityGroupId} (${group.vpcId ?? "classic network"}) and ${target.name} (${target.vpcId ?? "classic network"}) are not in the same VPC.`,
    );
  }
  const otherTypes = current
    .map((id) => state.securityGroups.find((g) => g.securityGroupId === id)?.type)
    .filter((type) => type !== undefined && type !== group.type);
  if (otherTypes.length > 0) {
    throw new ApiError(
      400,
      "InvalidOperation.MultiGroupType",
      `${target.label} is in ${otherTypes[0]} security groups and cannot also join the ${group.type} group ${securityGroupId}.`,
    );
  }
  if (current.length >= state.maxSecurityGroupsPerInstance) {
    throw new ApiError(
      400,
      "InstanceSecurityGroupLimitExceeded",
      `${target.label} is already in ${current.length} security groups, the maximum (${state.maxSecurityGroupsPerInstance}).`,
    );
  }

  return { body: {}, state: withGroups(state, target, [...current, securityGroupId]) };
};
