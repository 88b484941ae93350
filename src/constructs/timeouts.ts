import { stringToHclTerraform, stringToTerraform } from "cdktf";
import { hclAttributes } from "./hcl";

/**
 * The `timeouts` block of `alisg_attachment` and `alisg_instance_security_groups`:
 * how long each operation waits out retryable errors (throttling above all),
 * as Terraform durations such as `"90s"`, `"10m"` or `"1h"`.
 */
export interface ResourceTimeouts {
  /** @default "10m" */
  readonly create?: string;
  /** @default "10m" */
  readonly update?: string;
  /**
   * `alisg_attachment` only (removing an `InstanceSecurityGroups` makes no call).
   *
   * @default "10m"
   */
  readonly delete?: string;
}

/** The block as Terraform JSON, or undefined (left out) when not set. */
export function timeoutsToTerraform(t: ResourceTimeouts | undefined): Record<string, unknown> | undefined {
  if (!t) return undefined;
  return {
    create: stringToTerraform(t.create),
    update: stringToTerraform(t.update),
    delete: stringToTerraform(t.delete),
  };
}

/** The block in cdktf's HCL output form (a nested block, as generated bindings write it). */
export function timeoutsToHcl(t: ResourceTimeouts | undefined): Record<string, unknown> {
  if (!t) return {};
  const str = (value: string | undefined) => ({
    value: stringToHclTerraform(value),
    storageClassType: "string",
  });
  return {
    timeouts: {
      value: hclAttributes({ create: str(t.create), update: str(t.update), delete: str(t.delete) }),
      isBlock: true,
      type: "struct",
      storageClassType: "ResourceTimeouts",
    },
  };
}
