import { Construct } from "constructs";
import {
  ImportableResource,
  TerraformMetaArguments,
  TerraformProvider,
  TerraformResource,
  listMapper,
  listMapperHcl,
  stringToHclTerraform,
  stringToTerraform,
} from "cdktf";
import { hclAttributes } from "./hcl";
import { timeoutsToHcl, timeoutsToTerraform, type ResourceTimeouts } from "./timeouts";
import { INSTANCE_SECURITY_GROUPS_TYPE, alisgImport, alisgResourceConfig } from "./resource-types";
import { ensureStackValidation } from "./validation/stack-validation";
import { importOnceChecked } from "./import-once";

/** Properties of an {@link InstanceSecurityGroups}. */
export interface InstanceSecurityGroupsProps extends TerraformMetaArguments {
  /**
   * The ECS instance whose groups this resource owns: a literal ID such as
   * `i-bp1a2b3c` or a token such as `instance.id`. Changing it replaces the resource.
   */
  readonly instanceId: string;

  /**
   * The complete set of security groups the instance must be in (at least
   * one): literal IDs, tokens, or a list token. Groups the instance has but
   * that are not listed are left on apply; listed groups it lacks are joined
   * (joins happen before leaves).
   */
  readonly securityGroupIds: string[];

  /**
   * How long each operation waits out retryable errors (throttling above
   * all) before it fails, as Terraform durations (`"90s"`, `"10m"`).
   *
   * @default - "10m" for each operation
   */
  readonly timeouts?: ResourceTimeouts;
}

/**
 * The authoritative set of security groups of one ECS instance
 * (`alisg_instance_security_groups`). Do not combine it with
 * `SecurityGroupAttachment` or with `alicloud_instance.security_groups` for
 * the same instance: synth refuses that. Destroying it forgets the set
 * without API calls: the instance keeps the groups it has.
 *
 * @example
 * new InstanceSecurityGroups(stack, "db", { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] });
 */
export class InstanceSecurityGroups extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = INSTANCE_SECURITY_GROUPS_TYPE;

  /** Declares an `import` block that adopts an instance's groups; `importFromId` is the instance ID. */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: TerraformProvider,
  ): ImportableResource {
    return alisgImport(InstanceSecurityGroups.tfResourceType, scope, importToId, importFromId, provider);
  }

  private readonly props: InstanceSecurityGroupsProps;

  constructor(scope: Construct, id: string, props: InstanceSecurityGroupsProps) {
    super(scope, id, alisgResourceConfig(InstanceSecurityGroups.tfResourceType, props));
    this.props = props;
    ensureStackValidation(this);
  }

  /**
   * Imports an existing object into this resource (an `import` block), as
   * the CDK's `importFrom` does; the CDK's check that Terraform is 1.5+ runs
   * once per stack rather than once per imported resource (see import-once.ts).
   */
  public override importFrom(id: string, provider?: TerraformProvider): void {
    importOnceChecked(this, () => super.importFrom(id, provider));
  }

  /** The instance ID (the resource's ID), as a reference to this resource. */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  /** The instance ID, as a reference to this resource. */
  public get instanceId(): string {
    return this.getStringAttribute("instance_id");
  }

  /** The managed group IDs, as a reference to this resource. */
  public get securityGroupIds(): string[] {
    return this.getListAttribute("security_group_ids");
  }

  protected override synthesizeAttributes(): { [name: string]: unknown } {
    return securityGroupSetAttributes("instance_id", this.props.instanceId, this.props);
  }

  protected override synthesizeHclAttributes(): { [name: string]: unknown } {
    return securityGroupSetHclAttributes("instance_id", this.props.instanceId, this.props);
  }
}

/** What an authoritative set of either subject shares: everything but the subject's ID. */
export type SecurityGroupSetCommonProps = Pick<InstanceSecurityGroupsProps, "securityGroupIds" | "timeouts">;

/**
 * The synthesized attributes of an authoritative set whose subject (an
 * instance or an ENI) is `subjectAttribute` = `subjectId`: one definition for both.
 */
export function securityGroupSetAttributes(
  subjectAttribute: string,
  subjectId: string,
  props: SecurityGroupSetCommonProps,
): { [name: string]: unknown } {
  return {
    [subjectAttribute]: stringToTerraform(subjectId),
    security_group_ids: listMapper(stringToTerraform, false)(props.securityGroupIds),
    timeouts: timeoutsToTerraform(props.timeouts),
  };
}

/** {@link securityGroupSetAttributes} for HCL output. */
export function securityGroupSetHclAttributes(
  subjectAttribute: string,
  subjectId: string,
  props: SecurityGroupSetCommonProps,
): { [name: string]: unknown } {
  return {
    ...hclAttributes({
      [subjectAttribute]: { value: stringToHclTerraform(subjectId), storageClassType: "string" },
      security_group_ids: {
        value: listMapperHcl(stringToHclTerraform, false)(props.securityGroupIds),
        storageClassType: "stringList",
        type: "set",
      },
    }),
    ...timeoutsToHcl(props.timeouts),
  };
}
