/** `LeaveSecurityGroup`: remove an instance, or an ENI, from one of its security groups. */
import { ApiError } from "../api-error";
import { requiredId } from "../params";
import { checkRegion, findSecurityGroup } from "./lookup";
import { assertChangeable, resolveTarget, targetId, withGroups } from "./membership-rules";
import type { ActionHandler } from "./types";

export const leaveSecurityGroup: ActionHandler = (state, params) => {
  const securityGroupId = requiredId(params, "SecurityGroupId");
  const named = targetId(params);
  checkRegion(state, params);
  const target = resolveTarget(state, named);
  findSecurityGroup(state, securityGroupId);
  assertChangeable(target);
  const current = target.securityGroupIds;

  if (!current.includes(securityGroupId)) {
    // Since 2024-07 the service refuses this instead of answering success.
    throw new ApiError(
      400,
      "InvalidSecurityGroupAssociation.NotFound",
      `${target.label} is not in security group ${securityGroupId}.`,
    );
  }
  if (current.length === 1) {
    throw new ApiError(
      403,
      "InstanceLastSecurityGroup",
      `Security group ${securityGroupId} is the last security group of ${target.name}; it must keep at least one.`,
    );
  }

  return {
    body: {},
    state: withGroups(
      state,
      target,
      current.filter((id) => id !== securityGroupId),
    ),
  };
};
