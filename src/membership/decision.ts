import { planMembership } from "./plan";
import {
  NO_POLICY,
  type Change,
  type Facts,
  type InstancePlan,
  type Note,
  type Operation,
  type Policy,
  type Refusal,
} from "./types";

/** `planMembership` for callers that take a change set all or nothing. */
export interface MembershipDecision {
  /** Per instance, as `planMembership` returns them. */
  readonly plans: readonly InstancePlan[];
  /** Every refusal of every instance; the set may go ahead only when empty. */
  readonly refusals: readonly Refusal[];
  readonly notes: readonly Note[];
  /** The calls to make, every instance's joins before any leave; empty when anything is refused. */
  readonly operations: readonly Operation[];
}

/**
 * Judges a whole change set at once (the plan gate, the provider's apply-time
 * re-check): the same rules as `planMembership`, which it calls, flattened so
 * that one refused instance stops the set.
 */
export function decideMembership(
  facts: Facts,
  changes: readonly Change[],
  policy: Policy = NO_POLICY,
): MembershipDecision {
  const plans = planMembership(facts, changes, policy);
  const refusals = plans.flatMap((p) => p.refusals);
  const ops = refusals.length > 0 ? [] : plans.flatMap((p) => p.operations);
  return {
    plans,
    refusals,
    notes: plans.flatMap((p) => p.notes),
    operations: [...ops.filter((o) => o.action === "join"), ...ops.filter((o) => o.action === "leave")],
  };
}
