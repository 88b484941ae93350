import { callsAt, isUnknownGroup, type ApplyStep, type StepCall } from "./apply-steps";
import { leftWithNone, overLimit, takesProtected, typesMixed } from "./rules";
import type { GroupFacts } from "./types";

/**
 * Every order Terraform may apply one instance's steps in, explored
 * exhaustively with the one definition of what a step does (`callsAt`, the
 * standing rule included) against the ECS rules that depend on the order:
 * the group limit, one group type, at least one group, and the operator's
 * protected groups (a leave of one the instance has). Steps never overlap
 * (the provider applies one instance's steps one at a time); any order the
 * `after` constraints allow is explored.
 *
 * States are remembered by (steps done, groups now, groups taken in this
 * apply), so the search is linear in the distinct states, not in the orders.
 */

/** A call ECS would refuse in some order. */
export interface OrderFailure {
  readonly step: number;
  readonly call: StepCall;
  readonly code:
    | "InstanceLastSecurityGroup"
    | "InstanceSecurityGroupLimitExceeded"
    | "InvalidOperation.MultiGroupType"
    | "ProtectedSecurityGroup";
  /** The instance's groups just before the refused step. */
  readonly groupsBefore: readonly string[];
}

export interface OrderOutcomes {
  /** Calls refused in some order (one per distinct step and call). */
  readonly failures: readonly OrderFailure[];
  /** Groups the instance was in at the start that some order leaves for a while, with the steps leaving them. */
  readonly lapses: ReadonlyMap<string, ReadonlySet<number>>;
  /** Every distinct final membership of the orders that complete (each sorted; groups known only at apply left out). */
  readonly finals: readonly (readonly string[])[];
  /** Most groups at any moment of any order. */
  readonly peak: number;
  /** The search stopped at `maxStates`: the outcomes are incomplete. */
  readonly truncated: boolean;
}

/** What the order-dependent rules need besides the groups. */
export interface OrderContext {
  /** The instance's group limit. */
  readonly maxGroups: number;
  /** Facts of the groups joined and held (for their types); absent: type unknown. */
  readonly groups: ReadonlyMap<string, GroupFacts>;
  /** Groups of the instance this apply has already taken (the provider's apply process). */
  readonly taken?: readonly string[];
  /** Groups the operator protects: a leave of one the instance is in is refused, whatever the order. */
  readonly protectedGroupIds?: ReadonlySet<string>;
}

/** The bound on the distinct states explored for one instance. */
export const MAX_ORDER_STATES = 4_096;

export function exploreOrders(
  initial: readonly string[],
  steps: readonly ApplyStep[],
  ctx: OrderContext,
  maxStates = MAX_ORDER_STATES,
): OrderOutcomes {
  const joinsOnly = onlyJoins(initial, steps, ctx);
  if (joinsOnly) return joinsOnly;
  const failures = new Map<string, OrderFailure>();
  const lapses = new Map<string, Set<number>>();
  const finals = new Map<string, string[]>();
  const seen = new Set<string>();
  const start = new Set(initial);
  const all = 2 ** steps.length - 1;
  let peak = start.size;
  let truncated = steps.length > 30;

  const visit = (done: number, groups: ReadonlySet<string>, taken: ReadonlySet<string>): void => {
    if (truncated) return;
    const key = `${done}|${[...groups].sort().join(",")}|${[...taken].sort().join(",")}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > maxStates) {
      truncated = true;
      return;
    }
    if (done === all) {
      const final = [...groups].filter((g) => !isUnknownGroup(g)).sort();
      finals.set(final.join(","), final);
      return;
    }
    steps.forEach((step, i) => {
      if (done & (2 ** i)) return;
      if (step.after !== undefined && !(done & (2 ** step.after))) return;
      const next = perform(step, groups, taken, ctx);
      if ("code" in next) {
        failures.set(`${i}|${next.call.action}|${next.call.securityGroupId}`, {
          step: i,
          call: next.call,
          code: next.code,
          groupsBefore: [...groups].sort(),
        });
        return;
      }
      peak = Math.max(peak, next.peak);
      for (const g of groups) {
        if (!next.groups.has(g) && start.has(g)) {
          const by = lapses.get(g) ?? new Set<number>();
          by.add(i);
          lapses.set(g, by);
        }
      }
      visit(done | (2 ** i), next.groups, next.taken);
    });
  };
  visit(0, start, new Set(ctx.taken ?? []));
  return { failures: [...failures.values()], lapses, finals: [...finals.values()], peak, truncated };
}

/**
 * The outcomes without a search when no order can differ: every step only
 * joins (alisg's additive steps, no leave, no set, no order constraint) and
 * the instance with every group joined is within the limit and of one type.
 * A join then never fails whatever comes before it (the groups before it are
 * a subset of that final set), nothing is ever left, and every order ends in
 * the same groups. The common plan (attachments created on an instance) is
 * judged in linear time, however many there are. Undefined: search.
 */
function onlyJoins(
  initial: readonly string[],
  steps: readonly ApplyStep[],
  ctx: OrderContext,
): OrderOutcomes | undefined {
  // Such a step's calls (`callsAt`) are its joins, in any state: alisg's, with nothing to leave
  // and no set to reconcile to (an atomic step is the alicloud provider's, never alisg's).
  const plain = steps.every(
    (s) => s.byAlisg && s.leaves.length === 0 && s.reconcileTo === undefined && s.after === undefined,
  );
  if (!plain) return undefined;
  const all = new Set(initial);
  for (const s of steps) for (const g of s.joins) all.add(g);
  const known = [...all].filter((g) => !isUnknownGroup(g));
  if (overLimit(known.length, ctx.maxGroups) || typesMixed(known.map((g) => ctx.groups.get(g))))
    return undefined;
  return { failures: [], lapses: new Map(), finals: [known.sort()], peak: all.size, truncated: false };
}

type Performed =
  | { readonly groups: Set<string>; readonly taken: ReadonlySet<string>; readonly peak: number }
  | { readonly code: OrderFailure["code"]; readonly call: StepCall };

/**
 * One step at its turn. alisg checks the step's calls together before making
 * any (its joins first, so the busiest moment and the end are what ECS
 * judges); the alicloud provider makes each call on its own, or replaces the
 * whole set in one call (an atomic step: only the set after it is judged).
 */
function perform(
  step: ApplyStep,
  groups: ReadonlySet<string>,
  taken: ReadonlySet<string>,
  ctx: OrderContext,
): Performed {
  const calls = callsAt(step, groups, taken);
  const now = new Set(groups);
  const counted = (s: ReadonlySet<string>) => [...s].filter((g) => !isUnknownGroup(g));
  if (step.atomic && step.reconcileTo) return replaceAtOnce(step.reconcileTo, calls, taken, ctx);
  if (!step.byAlisg) {
    let peak = now.size;
    for (const call of calls) {
      const refused = refusalOf(call, now, ctx);
      if (refused) return { code: refused, call };
      if (call.action === "join") now.add(call.securityGroupId);
      else now.delete(call.securityGroupId);
      peak = Math.max(peak, now.size);
    }
    return { groups: now, taken, peak };
  }
  const joins = calls.filter((c) => c.action === "join" && !now.has(c.securityGroupId));
  for (const c of joins) now.add(c.securityGroupId);
  const peak = now.size;
  // alisg refuses the whole step before any call: the policy first, as it holds whatever ECS would say.
  const lost = calls.find(
    (c) => c.action === "leave" && now.has(c.securityGroupId) && isProtected(c.securityGroupId, ctx),
  );
  if (lost) return { code: "ProtectedSecurityGroup", call: lost };
  if (joins.length > 0) {
    const known = counted(now);
    if (overLimit(known.length, ctx.maxGroups)) {
      const first = joins.find((c) => !isUnknownGroup(c.securityGroupId)) ?? joins[0];
      return { code: "InstanceSecurityGroupLimitExceeded", call: first };
    }
    if (typesMixed(known.map((g) => ctx.groups.get(g)))) {
      return { code: "InvalidOperation.MultiGroupType", call: joins[0] };
    }
  }
  const leaves = calls.filter((c) => c.action === "leave" && now.has(c.securityGroupId));
  for (const c of leaves) now.delete(c.securityGroupId);
  if (leaves.length > 0 && leftWithNone(now.size)) {
    return { code: "InstanceLastSecurityGroup", call: leaves[leaves.length - 1] };
  }
  const held = step.takes.length > 0 ? new Set([...taken, ...step.takes]) : taken;
  return { groups: now, taken: held, peak };
}

/** One call that sets the groups to `wanted` (ModifyNetworkInterfaceAttribute): ECS judges the set after it. */
function replaceAtOnce(
  wanted: readonly string[],
  calls: readonly StepCall[],
  taken: ReadonlySet<string>,
  ctx: OrderContext,
): Performed {
  const next = new Set(wanted);
  const joins = calls.filter((c) => c.action === "join");
  const leaves = calls.filter((c) => c.action === "leave");
  const lost = leaves.find((c) => isProtected(c.securityGroupId, ctx));
  if (lost) return { code: "ProtectedSecurityGroup", call: lost };
  const known = [...next].filter((g) => !isUnknownGroup(g));
  if (joins.length > 0 && overLimit(known.length, ctx.maxGroups)) {
    return { code: "InstanceSecurityGroupLimitExceeded", call: joins[0] };
  }
  if (joins.length > 0 && typesMixed(known.map((g) => ctx.groups.get(g)))) {
    return { code: "InvalidOperation.MultiGroupType", call: joins[0] };
  }
  if (leaves.length > 0 && leftWithNone(next.size)) {
    return { code: "InstanceLastSecurityGroup", call: leaves[leaves.length - 1] };
  }
  return { groups: next, taken, peak: next.size };
}

/** The order-dependent rule a single call breaks, if any. */
function refusalOf(
  call: StepCall,
  groups: ReadonlySet<string>,
  ctx: OrderContext,
): OrderFailure["code"] | undefined {
  const g = call.securityGroupId;
  if (call.action === "join") {
    if (groups.has(g)) return undefined;
    const after = [...groups, g].filter((x) => !isUnknownGroup(x));
    if (overLimit(after.length, ctx.maxGroups)) return "InstanceSecurityGroupLimitExceeded";
    if (typesMixed(after.map((x) => ctx.groups.get(x)))) return "InvalidOperation.MultiGroupType";
    return undefined;
  }
  if (!groups.has(g)) return undefined;
  if (isProtected(g, ctx)) return "ProtectedSecurityGroup";
  return leftWithNone(groups.size - 1) ? "InstanceLastSecurityGroup" : undefined;
}

function isProtected(g: string, ctx: OrderContext): boolean {
  return ctx.protectedGroupIds !== undefined && takesProtected(g, ctx.protectedGroupIds);
}
