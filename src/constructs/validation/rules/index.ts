import { Rule } from "../finding";
import { alicloudInstanceConflict } from "./alicloud-instance-conflict";
import { alicloudNetworkInterfaceConflict } from "./alicloud-network-interface-conflict";
import { duplicateAttachment } from "./duplicate-attachment";
import { duplicateInstanceSecurityGroups } from "./duplicate-instance-security-groups";
import { emptySecurityGroupIds } from "./empty-security-group-ids";
import { malformedIds } from "./malformed-ids";
import { mixedMembershipResources } from "./mixed-membership-resources";

/** Every synth-time rule, in the order their findings are reported. */
export const RULES: readonly Rule[] = [
  malformedIds,
  emptySecurityGroupIds,
  duplicateAttachment,
  duplicateInstanceSecurityGroups,
  mixedMembershipResources,
  alicloudInstanceConflict,
  alicloudNetworkInterfaceConflict,
];
