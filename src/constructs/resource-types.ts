/** Terraform resource types the constructs create or recognise. */

/** One instance <-> group membership (additive). */
export const ATTACHMENT_TYPE = "alisg_attachment";

/** The authoritative set of groups of one instance. */
export const INSTANCE_SECURITY_GROUPS_TYPE = "alisg_instance_security_groups";

/** The alicloud provider's ECS instance, whose `security_groups` also decides the instance's groups. */
export const ALICLOUD_INSTANCE_TYPE = "alicloud_instance";
