import { Rule } from "../finding";
import { alicloudConflicts } from "./alicloud-conflict";

/**
 * `[alisg:AlicloudInstanceConflict]`: an `alicloud_instance` that sets
 * `security_groups` while an alisg resource manages the groups of the same
 * instance. The alicloud provider treats `security_groups` as the complete
 * list: a group both sides list is rejoined by the instance when the
 * attachment is removed, and a group only alisg manages is left by the
 * instance on every apply (and joined again by alisg). Either way they fight.
 *
 * The instance is matched when the alisg resource's `instanceId` is a
 * reference to it (`instance.id`) in the same stack, or the literal ID it is
 * imported from; a literal ID is not otherwise comparable with an instance
 * Terraform has not created yet.
 */
export const alicloudInstanceConflict: Rule = ({ memberships, alicloudInstances }) =>
  alicloudConflicts(alicloudInstances, memberships, {
    code: "AlicloudInstanceConflict",
    type: "alicloud_instance",
    attribute: "security_groups",
    subject: "instance",
  });
