/** `DescribeNetworkInterfaces`: ENIs by ID list and filters (ANDed), paged. */
import { optionalOneOf, repeatedList, required } from "../params";
import { NETWORK_INTERFACE_STATUSES, NETWORK_INTERFACE_TYPES } from "../state";
import { checkRegion } from "./lookup";
import { paginate } from "./paging";
import type { ActionHandler } from "./types";
import { networkInterfaceItem } from "./views";

export const MAX_NETWORK_INTERFACE_IDS = 100;

export const describeNetworkInterfaces: ActionHandler = (state, params) => {
  required(params, "RegionId");
  checkRegion(state, params);
  const ids = repeatedList(params, "NetworkInterfaceId", MAX_NETWORK_INTERFACE_IDS);
  const type = optionalOneOf(params, "Type", NETWORK_INTERFACE_TYPES);
  const status = optionalOneOf(params, "Status", NETWORK_INTERFACE_STATUSES);
  const instanceId = params.InstanceId || undefined;
  const vpcId = params.VpcId || undefined;
  const vSwitchId = params.VSwitchId || undefined;
  const securityGroupId = params.SecurityGroupId || undefined;

  // Unknown IDs are simply absent; the order is the world's order, not the request's.
  const wanted = ids === undefined ? undefined : new Set(ids);
  const matching = state.networkInterfaces.filter(
    (eni) =>
      (wanted === undefined || wanted.has(eni.networkInterfaceId)) &&
      (type === undefined || eni.type === type) &&
      (status === undefined || eni.status === status) &&
      (instanceId === undefined || eni.instanceId === instanceId) &&
      (vpcId === undefined || eni.vpcId === vpcId) &&
      (vSwitchId === undefined || eni.vSwitchId === vSwitchId) &&
      (securityGroupId === undefined || eni.securityGroupIds.includes(securityGroupId)),
  );
  const page = paginate(matching, params);
  return {
    body: {
      ...page.fields,
      NetworkInterfaceSets: {
        NetworkInterfaceSet: page.items.map(networkInterfaceItem),
      },
    },
  };
};
