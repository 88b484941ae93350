import type { PlanFile } from "./plan-reader";

/**
 * What the plans' `provider "alisg"` blocks tell `alisg check-plan` about the
 * limit and the protected groups, so that the gate judges with the settings
 * the provider judged with when its flags do not say otherwise:
 *
 * - the group limit: the smallest `max_security_groups_per_instance` a block
 *   sets (every plan is judged with one limit, and ECS's quota is one per
 *   account: the smallest is the one no block's provider would exceed; a
 *   block that leaves it unset says nothing of the quota, its provider only
 *   judged its own changes with the default 5);
 * - the protected groups: each block's `protected_security_group_ids`, or, for
 *   a block that sets none (and when the plans name no block), what the
 *   provider falls back to, `fallbackProtected` (ALISG_PROTECTED_SECURITY_GROUP_IDS);
 *   all of them together.
 *
 * A value written as an expression (a variable, a local) is not in the plan's
 * configuration section; it is listed in `unread`, and the gate goes on
 * without it (the default limit, the other blocks' groups).
 */
export interface PlanProviderSettings {
  /** The smallest literal limit; absent when no block sets one. */
  readonly maxSecurityGroups?: number;
  readonly protectedSecurityGroupIds: readonly string[];
  /** Each value written as an expression: where (`<plan>: provider <key>`) and which attribute. */
  readonly unread: readonly { readonly where: string; readonly attribute: SettingAttribute }[];
}

export type SettingAttribute = "max_security_groups_per_instance" | "protected_security_group_ids";

export function planProviderSettings(
  plans: readonly PlanFile[],
  fallbackProtected: readonly string[],
): PlanProviderSettings {
  const limits: number[] = [];
  const protectedIds = new Set<string>();
  const unread: { where: string; attribute: SettingAttribute }[] = [];
  let blocks = 0;
  for (const plan of plans) {
    for (const block of plan.alisgProviders) {
      blocks++;
      const where = `${plan.source}: provider ${block.key}`;
      const limit = block.maxSecurityGroupsPerInstance;
      if (limit === "expression") unread.push({ where, attribute: "max_security_groups_per_instance" });
      else if (limit !== undefined) limits.push(limit);
      const groups = block.protectedSecurityGroupIds;
      if (groups === "expression") unread.push({ where, attribute: "protected_security_group_ids" });
      for (const g of groups === undefined ? fallbackProtected : groups === "expression" ? [] : groups)
        protectedIds.add(g);
    }
  }
  if (blocks === 0) for (const g of fallbackProtected) protectedIds.add(g);
  return {
    ...(limits.length > 0 ? { maxSecurityGroups: Math.min(...limits) } : {}),
    protectedSecurityGroupIds: [...protectedIds],
    unread,
  };
}
