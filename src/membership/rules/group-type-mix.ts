import type { GroupFacts, Refusal } from "../types";
import { peakMembership, refusal, type RuleSubject } from "./subject";

/**
 * An instance cannot be in `normal` (basic) and `enterprise` (advanced) groups
 * at once. Joins happen before leaves, so the set checked is the busiest one
 * (current groups and joins): a move from a normal to an enterprise group is
 * refused, as ECS would refuse its join. Groups missing from the facts are not
 * counted (their type is unknown). Only refuses when something is joined.
 * Code: `InvalidOperation.MultiGroupType`.
 */
export function checkGroupTypeMix(s: RuleSubject): Refusal[] {
  if (s.joins.length === 0) return [];
  const typed = peakMembership(s).flatMap((g) => {
    const group = s.groups.get(g);
    return group ? [group] : [];
  });
  if (!typesMixed(typed)) return [];
  const first = typed[0];
  const offender =
    typed.find((g) => g.type !== first.type && s.joins.includes(g.securityGroupId)) ??
    typed.find((g) => s.joins.includes(g.securityGroupId)) ??
    first;
  const other = typed.find((g) => g.type !== offender.type) ?? first;
  const eni = s.namesNetworkInterface === true;
  return [
    refusal(
      "InvalidOperation.MultiGroupType",
      s.instanceId,
      offender.securityGroupId,
      `${s.instanceId} cannot join ${offender.securityGroupId} (${offender.type}) while it is in ${other.securityGroupId} (${other.type}): ${eni ? "an ENI's" : "an instance's"} groups must all be of one type`,
      `Use a ${other.type} security group instead. To switch ${s.instanceId} to ${offender.type} groups, replace its whole group list at once outside alisg (${eni ? "ModifyNetworkInterfaceAttribute" : "ModifyInstanceAttribute"}), then import the attachments.`,
    ),
  ];
}

/** The rule on one membership: its groups (those whose type is known) are not all of one type. */
export function typesMixed(groups: Iterable<GroupFacts | undefined>): boolean {
  let type: GroupFacts["type"] | undefined;
  for (const g of groups) {
    if (!g) continue;
    if (type !== undefined && g.type !== type) return true;
    type = g.type;
  }
  return false;
}
