/** `DescribeSecurityGroups`: groups by ID list and filters, paged. */
import { jsonIdList, optionalOneOf, required } from "../params";
import { SECURITY_GROUP_TYPES } from "../state";
import { checkRegion } from "./lookup";
import { paginate } from "./paging";
import type { ActionHandler } from "./types";
import { securityGroupItem } from "./views";

export const MAX_SECURITY_GROUP_IDS = 100;

export const describeSecurityGroups: ActionHandler = (state, params) => {
  required(params, "RegionId");
  checkRegion(state, params);
  const ids = jsonIdList(params, "SecurityGroupIds", MAX_SECURITY_GROUP_IDS);
  const type = optionalOneOf(params, "SecurityGroupType", SECURITY_GROUP_TYPES);
  const vpcId = params.VpcId || undefined;

  const wanted = ids === undefined ? undefined : new Set(ids);
  const matching = state.securityGroups.filter(
    (group) =>
      (wanted === undefined || wanted.has(group.securityGroupId)) &&
      (type === undefined || group.type === type) &&
      (vpcId === undefined || group.vpcId === vpcId),
  );
  const page = paginate(matching, params);
  return {
    body: {
      RegionId: state.regionId,
      ...page.fields,
      SecurityGroups: { SecurityGroup: page.items.map(securityGroupItem) },
    },
  };
};
