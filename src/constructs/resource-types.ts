import { Construct } from "constructs";
import {
  ImportableResource,
  TerraformMetaArguments,
  TerraformProvider,
  TerraformResourceConfig,
} from "cdktf";
import { PROVIDER_TYPE, providerVersion } from "../provider/distribution";

/** Terraform resource types the constructs create or recognise. */

/** One instance <-> group membership (additive). */
export const ATTACHMENT_TYPE = "alisg_attachment";

/** The authoritative set of groups of one instance. */
export const INSTANCE_SECURITY_GROUPS_TYPE = "alisg_instance_security_groups";

/** One ENI <-> group membership (additive). */
export const NETWORK_INTERFACE_ATTACHMENT_TYPE = "alisg_network_interface_attachment";

/** The authoritative set of groups of one ENI. */
export const NETWORK_INTERFACE_SECURITY_GROUPS_TYPE = "alisg_network_interface_security_groups";

/** The alicloud provider's ECS instance, whose `security_groups` also decides the instance's groups. */
export const ALICLOUD_INSTANCE_TYPE = "alicloud_instance";

/** The alicloud provider's ENI, whose `security_group_ids` also decides the ENI's groups. */
export const ALICLOUD_NETWORK_INTERFACE_TYPE = "alicloud_ecs_network_interface";

/**
 * The TerraformResource config both alisg resources pass to `super`: their
 * type, the generator metadata and the usual meta-arguments.
 */
export function alisgResourceConfig(
  terraformResourceType: string,
  props: TerraformMetaArguments,
): TerraformResourceConfig {
  return {
    terraformResourceType,
    terraformGeneratorMetadata: { providerName: PROVIDER_TYPE, providerVersion: providerVersion() },
    provider: props.provider,
    dependsOn: props.dependsOn,
    count: props.count,
    lifecycle: props.lifecycle,
    forEach: props.forEach,
    provisioners: props.provisioners,
    connection: props.connection,
  };
}

/** An `import` block that adopts an existing object into an alisg resource type. */
export function alisgImport(
  terraformResourceType: string,
  scope: Construct,
  importToId: string,
  importFromId: string,
  provider?: TerraformProvider,
): ImportableResource {
  return new ImportableResource(scope, importToId, {
    terraformResourceType,
    importId: importFromId,
    provider,
  });
}
