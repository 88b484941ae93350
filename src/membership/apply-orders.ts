import type { ApplyStep, StepCall } from "./apply-steps";

/**
 * Every order Terraform may apply one instance's steps in, explored
 * exhaustively against the ECS rules and the provider's apply-time rule: a
 * leave is skipped when an earlier step of the same apply joined or adopted
 * the group. Steps never overlap (the provider applies one instance's steps
 * one at a time); any interleaving the `after` constraints allow is explored.
 *
 * States are remembered by (steps done, groups now, groups joined in this
 * apply), so the search is linear in the distinct states, not in the orders.
 */

/** A call ECS would refuse in some order. */
export interface OrderFailure {
  readonly step: number;
  readonly call: StepCall;
  readonly code: "InstanceLastSecurityGroup" | "InstanceSecurityGroupLimitExceeded";
  /** The instance's groups just before the refused call. */
  readonly groupsBefore: readonly string[];
}

export interface OrderOutcomes {
  /** Calls refused in some order (one per distinct step and call). */
  readonly failures: readonly OrderFailure[];
  /** Groups the instance was in at the start that some order leaves for a while, with the steps leaving them. */
  readonly lapses: ReadonlyMap<string, ReadonlySet<number>>;
  /** Every distinct final membership of the orders that complete (each sorted). */
  readonly finals: readonly (readonly string[])[];
  /** Most groups at any moment of any order. */
  readonly peak: number;
  /** The search stopped at `maxStates`: the outcomes are incomplete. */
  readonly truncated: boolean;
}

/** The bound on the distinct states explored for one instance. */
export const MAX_ORDER_STATES = 200_000;

export function exploreOrders(
  initial: readonly string[],
  steps: readonly ApplyStep[],
  maxGroups: number,
  maxStates = MAX_ORDER_STATES,
): OrderOutcomes {
  const failures = new Map<string, OrderFailure>();
  const lapses = new Map<string, Set<number>>();
  const finals = new Map<string, string[]>();
  const seen = new Set<string>();
  const start = new Set(initial);
  const all = (1 << steps.length) - 1;
  let peak = start.size;
  let truncated = steps.length > 30;

  const visit = (done: number, groups: ReadonlySet<string>, joined: ReadonlySet<string>): void => {
    if (truncated) return;
    const key = `${done}|${[...groups].sort().join(",")}|${[...joined].sort().join(",")}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > maxStates) {
      truncated = true;
      return;
    }
    if (done === all) {
      const final = [...groups].sort();
      finals.set(final.join(","), final);
      return;
    }
    steps.forEach((step, i) => {
      if (done & (1 << i)) return;
      if (step.after !== undefined && !(done & (1 << step.after))) return;
      const g = new Set(groups);
      const j = new Set(joined);
      for (const call of callsAt(step, g)) {
        const group = call.securityGroupId;
        const had = g.has(group);
        const failure = perform(call, g, j, maxGroups);
        if (failure) {
          failures.set(`${i}|${call.action}|${group}`, {
            step: i,
            call,
            code: failure,
            groupsBefore: [...g].sort(),
          });
          return;
        }
        peak = Math.max(peak, g.size);
        if (had && !g.has(group) && start.has(group)) {
          const by = lapses.get(group) ?? new Set<number>();
          by.add(i);
          lapses.set(group, by);
        }
      }
      visit(done | (1 << i), g, j);
    });
  };
  visit(0, start, new Set());
  return { failures: [...failures.values()], lapses, finals: [...finals.values()], peak, truncated };
}

/** The calls a step makes when its turn comes, given the groups then. */
function callsAt(step: ApplyStep, groups: ReadonlySet<string>): StepCall[] {
  if (!step.reconcileTo) return [...step.calls];
  const wanted = step.reconcileTo;
  return [
    ...wanted.map((g): StepCall => ({ action: "join", securityGroupId: g, byAlisg: true })),
    ...[...groups]
      .filter((g) => !wanted.includes(g))
      .sort()
      .map((g): StepCall => ({ action: "leave", securityGroupId: g, byAlisg: true })),
  ];
}

/** Makes one call against the state; returns the ECS refusal code instead when ECS would refuse it. */
function perform(
  call: StepCall,
  groups: Set<string>,
  joined: Set<string>,
  maxGroups: number,
): OrderFailure["code"] | undefined {
  const g = call.securityGroupId;
  if (call.action === "join") {
    if (!groups.has(g)) {
      if (groups.size >= maxGroups) return "InstanceSecurityGroupLimitExceeded";
      groups.add(g);
    }
    // Joined or adopted: a later leave of the same group in this apply is a hand-off.
    if (call.byAlisg) joined.add(g);
    return undefined;
  }
  if (call.byAlisg && joined.has(g)) return undefined;
  if (!groups.has(g)) return undefined;
  if (groups.size === 1) return "InstanceLastSecurityGroup";
  groups.delete(g);
  return undefined;
}
