import { Rule } from "../finding";
import { alicloudConflicts } from "./alicloud-conflict";

/**
 * `[alisg:AlicloudNetworkInterfaceConflict]`: an
 * `alicloud_ecs_network_interface` that sets `security_group_ids` while a
 * `NetworkInterfaceSecurityGroupAttachment` or `NetworkInterfaceSecurityGroups`
 * manages the groups of the same ENI. The alicloud provider sets the ENI's
 * whole list in one call (`ModifyNetworkInterfaceAttribute`), so a group only
 * alisg manages is dropped on every apply and a group both list comes back
 * when the attachment is removed: they fight.
 *
 * The ENI is matched when the alisg resource's `networkInterfaceId` is a
 * reference to it (`networkInterface.id`) in the same stack, or the literal
 * ID it is imported from.
 */
export const alicloudNetworkInterfaceConflict: Rule = ({ memberships, alicloudNetworkInterfaces }) =>
  alicloudConflicts(alicloudNetworkInterfaces, memberships, {
    code: "AlicloudNetworkInterfaceConflict",
    type: "alicloud_ecs_network_interface",
    attribute: "security_group_ids",
    subject: "network interface",
  });
