import { Construct } from "constructs";
import { ImportableResource, TerraformProvider, TerraformResource } from "cdktf";
import type { TerraformMetaArguments } from "cdktf";
import {
  securityGroupSetAttributes,
  securityGroupSetHclAttributes,
  type SecurityGroupSetCommonProps,
} from "./instance-security-groups";
import { NETWORK_INTERFACE_SECURITY_GROUPS_TYPE, alisgImport, alisgResourceConfig } from "./resource-types";
import { ensureStackValidation } from "./validation/stack-validation";
import { importOnceChecked } from "./import-once";

/** Properties of a {@link NetworkInterfaceSecurityGroups}. */
export interface NetworkInterfaceSecurityGroupsProps
  extends TerraformMetaArguments, SecurityGroupSetCommonProps {
  /**
   * The ENI whose groups this resource owns: a literal ID such as
   * `eni-bp1a2b3c` or a token. Changing it replaces the resource.
   */
  readonly networkInterfaceId: string;
}

/**
 * The authoritative set of security groups of one ENI
 * (`alisg_network_interface_security_groups`), the ENI twin of
 * `InstanceSecurityGroups`. Do not combine it with a
 * `NetworkInterfaceSecurityGroupAttachment` of the same ENI: synth refuses
 * that. Destroying it forgets the set without API calls.
 *
 * @example
 * new NetworkInterfaceSecurityGroups(stack, "wan", { networkInterfaceId: "eni-bp1w", securityGroupIds: ["sg-base", "sg-wan"] });
 */
export class NetworkInterfaceSecurityGroups extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = NETWORK_INTERFACE_SECURITY_GROUPS_TYPE;

  /** Declares an `import` block that adopts an ENI's groups; `importFromId` is the ENI ID. */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: TerraformProvider,
  ): ImportableResource {
    return alisgImport(
      NetworkInterfaceSecurityGroups.tfResourceType,
      scope,
      importToId,
      importFromId,
      provider,
    );
  }

  private readonly props: NetworkInterfaceSecurityGroupsProps;

  constructor(scope: Construct, id: string, props: NetworkInterfaceSecurityGroupsProps) {
    super(scope, id, alisgResourceConfig(NetworkInterfaceSecurityGroups.tfResourceType, props));
    this.props = props;
    ensureStackValidation(this);
  }

  /** Imports an ENI's groups into this resource (an `import` block). */
  public override importFrom(id: string, provider?: TerraformProvider): void {
    importOnceChecked(this, () => super.importFrom(id, provider));
  }

  /** The ENI ID (the resource's ID), as a reference to this resource. */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  /** The ENI ID, as a reference to this resource. */
  public get networkInterfaceId(): string {
    return this.getStringAttribute("network_interface_id");
  }

  /** The managed group IDs, as a reference to this resource. */
  public get securityGroupIds(): string[] {
    return this.getListAttribute("security_group_ids");
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return securityGroupSetAttributes("network_interface_id", this.props.networkInterfaceId, this.props);
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return securityGroupSetHclAttributes("network_interface_id", this.props.networkInterfaceId, this.props);
  }
}
