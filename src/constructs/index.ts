export { AlisgProvider, type AlisgProviderProps } from "./alisg-provider";
export { SecurityGroupAttachment, type SecurityGroupAttachmentProps } from "./security-group-attachment";
export { InstanceSecurityGroups, type InstanceSecurityGroupsProps } from "./instance-security-groups";
export {
  NetworkInterfaceSecurityGroupAttachment,
  type NetworkInterfaceSecurityGroupAttachmentProps,
} from "./network-interface-security-group-attachment";
export {
  NetworkInterfaceSecurityGroups,
  type NetworkInterfaceSecurityGroupsProps,
} from "./network-interface-security-groups";
export { type ResourceTimeouts } from "./timeouts";
export { PLUGIN_DIR } from "./provider-placement";
