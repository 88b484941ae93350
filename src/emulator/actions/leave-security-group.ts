/** `LeaveSecurityGroup`: remove an instance from one of its security groups. */
import { ApiError } from "../api-error";
import { requiredId } from "../params";
import { checkRegion, findInstance, findSecurityGroup, withInstance } from "./lookup";
import { assertInstanceChangeable, targetInstanceId } from "./membership-rules";
import type { ActionHandler } from "./types";

export const leaveSecurityGroup: ActionHandler = (state, params) => {
  const securityGroupId = requiredId(params, "SecurityGroupId");
  const instanceId = targetInstanceId(params);
  checkRegion(state, params);
  const inst = findInstance(state, instanceId);
  findSecurityGroup(state, securityGroupId);
  assertInstanceChangeable(inst);

  if (!inst.securityGroupIds.includes(securityGroupId)) {
    // Since 2024-07 the service refuses this instead of answering success.
    throw new ApiError(
      400,
      "InvalidSecurityGroupAssociation.NotFound",
      `Instance ${instanceId} is not in security group ${securityGroupId}.`,
    );
  }
  if (inst.securityGroupIds.length === 1) {
    throw new ApiError(
      403,
      "InstanceLastSecurityGroup",
      `Security group ${securityGroupId} is the last security group of instance ${instanceId}; an instance must keep at least one.`,
    );
  }

  const updated = { ...inst, securityGroupIds: inst.securityGroupIds.filter((id) => id !== securityGroupId) };
  return { body: {}, state: withInstance(state, updated) };
};
