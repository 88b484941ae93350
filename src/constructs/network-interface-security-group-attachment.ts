import { Construct } from "constructs";
import { ImportableResource, TerraformProvider, TerraformResource } from "cdktf";
import { NETWORK_INTERFACE_ATTACHMENT_TYPE, alisgImport, alisgResourceConfig } from "./resource-types";
import {
  attachmentAttributes,
  attachmentHclAttributes,
  type AttachmentCommonProps,
} from "./security-group-attachment";
import { ensureStackValidation } from "./validation/stack-validation";
import { importOnceChecked } from "./import-once";
import type { TerraformMetaArguments } from "cdktf";

/** Properties of a {@link NetworkInterfaceSecurityGroupAttachment}. */
export interface NetworkInterfaceSecurityGroupAttachmentProps
  extends TerraformMetaArguments, AttachmentCommonProps {
  /**
   * The elastic network interface (ENI) to put in the group: a literal ID
   * such as `eni-bp1a2b3c`, or a token. Changing it replaces the attachment.
   * An instance's primary ENI is the instance: its groups are the instance's.
   */
  readonly networkInterfaceId: string;
}

/**
 * One ENI's membership of one security group
 * (`alisg_network_interface_attachment`), the ENI twin of
 * `SecurityGroupAttachment`: additive, joins on create, leaves on removal
 * (refused at plan time when it would leave the ENI with no group), moves in
 * place when `securityGroupId` changes.
 *
 * @example
 * new NetworkInterfaceSecurityGroupAttachment(stack, "tenant", { networkInterfaceId: "eni-bp1t", securityGroupId: "sg-tenant" });
 */
export class NetworkInterfaceSecurityGroupAttachment extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = NETWORK_INTERFACE_ATTACHMENT_TYPE;

  /** Declares an `import` block; `importFromId` is `<network_interface_id>:<security_group_id>`. */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: TerraformProvider,
  ): ImportableResource {
    return alisgImport(
      NetworkInterfaceSecurityGroupAttachment.tfResourceType,
      scope,
      importToId,
      importFromId,
      provider,
    );
  }

  private readonly props: NetworkInterfaceSecurityGroupAttachmentProps;

  constructor(scope: Construct, id: string, props: NetworkInterfaceSecurityGroupAttachmentProps) {
    super(scope, id, alisgResourceConfig(NetworkInterfaceSecurityGroupAttachment.tfResourceType, props));
    this.props = props;
    ensureStackValidation(this);
  }

  /** Imports an existing membership into this resource (an `import` block). */
  public override importFrom(id: string, provider?: TerraformProvider): void {
    importOnceChecked(this, () => super.importFrom(id, provider));
  }

  /** `<network_interface_id>:<security_group_id>`, known after apply; also the import ID. */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  /** The ENI ID, as a reference to this resource. */
  public get networkInterfaceId(): string {
    return this.getStringAttribute("network_interface_id");
  }

  /** The security group ID, as a reference to this resource. */
  public get securityGroupId(): string {
    return this.getStringAttribute("security_group_id");
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return attachmentAttributes("network_interface_id", this.props.networkInterfaceId, this.props);
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return attachmentHclAttributes("network_interface_id", this.props.networkInterfaceId, this.props);
  }
}
