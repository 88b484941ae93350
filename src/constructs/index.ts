export { AlisgProvider, type AlisgProviderProps } from "./alisg-provider";
export { SecurityGroupAttachment, type SecurityGroupAttachmentProps } from "./security-group-attachment";
export { InstanceSecurityGroups, type InstanceSecurityGroupsProps } from "./instance-security-groups";
export { type ResourceTimeouts } from "./timeouts";
export { PLUGIN_DIR } from "./provider-placement";
