import type { Refusal } from "../types";
import { listOf, peakMembership, refusal, type RuleSubject } from "./subject";

/**
 * An instance may be in at most `maxSecurityGroups` groups (ECS default 5).
 * Joins happen before leaves, so the count checked is the busiest moment:
 * current groups plus every join. Only refuses when something is joined (an
 * instance already over its limit may still leave groups).
 * Code: `InstanceSecurityGroupLimitExceeded`.
 */
export function checkGroupLimit(s: RuleSubject): Refusal[] {
  const instance = s.instance;
  if (!instance || s.joins.length === 0) return [];
  const peak = peakMembership(s);
  const max = instance.maxSecurityGroups;
  if (!overLimit(peak.length, max)) return [];
  const current = peak.length - s.joins.length;
  // The first join that does not fit.
  const offender = s.joins[Math.max(0, max - current)] ?? s.joins[0];
  const leaving = s.leaves.length > 0 ? ` It leaves ${listOf(s.leaves)} only after joining.` : "";
  return [
    refusal(
      "InstanceSecurityGroupLimitExceeded",
      s.instanceId,
      offender,
      `joining ${offender} would put ${s.instanceId} in ${peak.length} security groups, over its limit of ${max}`,
      `${s.instanceId} is in ${current} of ${max} groups (${listOf(peak.slice(0, current)) || "none"}).${leaving} Remove a group in an earlier apply, or raise the instance's security group quota.`,
    ),
  ];
}

/** The rule, one call at a time: a membership of `count` groups is over the limit `max`. */
export function overLimit(count: number, max: number): boolean {
  return count > max;
}
