/** `DescribeInstances`: instances by ID list and filters (ANDed), paged. */
import { jsonIdList, optionalOneOf, required } from "../params";
import { INSTANCE_STATUSES, LOCK_REASONS } from "../state";
import { checkRegion } from "./lookup";
import { paginate } from "./paging";
import { matchesTags, tagFilters } from "./tag-filters";
import type { ActionHandler } from "./types";
import { describeInstancesItem } from "./views";

export const MAX_INSTANCE_IDS = 100;

export const describeInstances: ActionHandler = (state, params) => {
  required(params, "RegionId");
  checkRegion(state, params);
  const ids = jsonIdList(params, "InstanceIds", MAX_INSTANCE_IDS);
  const status = optionalOneOf(params, "Status", INSTANCE_STATUSES);
  const lockReason = optionalOneOf(params, "LockReason", LOCK_REASONS);
  const vpcId = params.VpcId || undefined;
  const securityGroupId = params.SecurityGroupId || undefined;
  const tags = tagFilters(params);

  // Unknown IDs are simply absent; the order is the world's order, not the request's.
  const wanted = ids === undefined ? undefined : new Set(ids);
  const matching = state.instances.filter(
    (inst) =>
      (wanted === undefined || wanted.has(inst.instanceId)) &&
      (status === undefined || inst.status === status) &&
      (lockReason === undefined || inst.lockReasons.includes(lockReason)) &&
      (vpcId === undefined || inst.vpcId === vpcId) &&
      (securityGroupId === undefined || inst.securityGroupIds.includes(securityGroupId)) &&
      matchesTags(inst, tags),
  );
  const page = paginate(matching, params);
  return {
    body: {
      ...page.fields,
      Instances: { Instance: page.items.map((inst) => describeInstancesItem(inst, state.regionId)) },
    },
  };
};
