/** Builders of `terraform show -json` documents (format_version 1.x), as Terraform writes them. */

export interface RcInput {
  address: string;
  type?: string;
  mode?: string;
  actions: string[];
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  afterUnknown?: Record<string, unknown>;
}

export function rc(r: RcInput): object {
  const type = r.type ?? r.address.split(".")[0];
  return {
    address: r.address,
    mode: r.mode ?? "managed",
    type,
    name: r.address.split(".")[1],
    provider_name: type.startsWith("alicloud_")
      ? "registry.terraform.io/aliyun/alicloud"
      : "registry.terraform.io/alisg/alisg",
    change: {
      actions: r.actions,
      before: r.before ?? null,
      after: r.after ?? null,
      after_unknown: r.afterUnknown ?? {},
      before_sensitive: {},
      after_sensitive: {},
    },
  };
}

export function planDoc(changes: object[], formatVersion = "1.2"): string {
  return JSON.stringify({
    format_version: formatVersion,
    terraform_version: "1.11.4",
    planned_values: { root_module: {} },
    resource_changes: changes,
    configuration: { root_module: {} },
  });
}

export const att = (instance_id: string, security_group_id: string, retain = false) => ({
  instance_id,
  security_group_id,
  retain_on_delete: retain,
  id: `${instance_id}:${security_group_id}`,
});
