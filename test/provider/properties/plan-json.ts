/**
 * A simulated plan in the shape `terraform show -json PLANFILE` writes it
 * (format 1.2, as Terraform 1.11 does), for holding `alisg check-plan` to the
 * same cases as the provider: resource_changes with actions, before, after,
 * after_unknown, deposed keys and action reasons, plus `alicloud_instance`
 * updates of security_groups.
 */
import type { ObjectValue, Value } from "../../../src/provider/plugin/types";
import { isUnknown } from "../../../src/provider/plugin/types";
import type { Plan, PlannedChange } from "./terraform-sim";

/** An `alicloud_instance` whose security_groups the plan changes. */
export interface AlicloudUpdate {
  readonly address: string;
  readonly instanceId: string;
  readonly before: readonly string[];
  readonly after: readonly string[];
}

export function planJson(plan: Plan, alicloud: readonly AlicloudUpdate[] = []): string {
  const resourceChanges = [
    ...plan.changes.map(resourceChange),
    ...alicloud.map((a) => ({
      address: a.address,
      mode: "managed",
      type: "alicloud_instance",
      name: a.address.split(".")[1],
      provider_name: "registry.terraform.io/aliyun/alicloud",
      change: {
        actions: ["update"],
        before: { id: a.instanceId, security_groups: [...a.before] },
        after: { id: a.instanceId, security_groups: [...a.after] },
        after_unknown: {},
        before_sensitive: {},
        after_sensitive: {},
      },
    })),
  ];
  return JSON.stringify({
    format_version: "1.2",
    terraform_version: "1.11.4",
    resource_changes: resourceChanges,
    applyable: true,
    complete: true,
    errored: false,
  });
}

function resourceChange(c: PlannedChange): Record<string, unknown> {
  const [type, name] = c.address.split(".");
  const actions: Record<PlannedChange["action"], string[]> = {
    create: ["create"],
    update: ["update"],
    delete: ["delete"],
    noop: ["no-op"],
    forget: ["forget"],
    replace: c.createBeforeDestroy ? ["create", "delete"] : ["delete", "create"],
  };
  const reason: Record<string, string> = {
    tainted: "replace_because_tainted",
    replace: "replace_by_request",
    requires: "replace_because_cannot_update",
  };
  const after = c.after ? known(c.after) : null;
  return {
    address: c.address,
    mode: "managed",
    type,
    name,
    provider_name: "registry.terraform.io/alisg/alisg",
    ...(c.deposedKey ? { deposed: c.deposedKey } : {}),
    change: {
      actions: actions[c.action],
      before: c.before ? known(c.before).values : null,
      after: after ? after.values : null,
      after_unknown: after ? after.unknown : {},
      before_sensitive: {},
      after_sensitive: {},
    },
    ...(c.reason ? { action_reason: reason[c.reason] } : {}),
  };
}

/** Terraform's JSON: unknown attributes are left out of the values and marked in after_unknown. */
function known(v: ObjectValue): { values: Record<string, unknown>; unknown: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  const unknown: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (isUnknown(x)) unknown[k] = true;
    else values[k] = plain(x);
  }
  return { values, unknown };
}

function plain(v: Value): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") return known(v as ObjectValue).values;
  return v;
}
