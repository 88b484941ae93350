import { quoteId } from "../ids";
import { isNetworkInterfaceSubject, memberFacts, networkInterfaceOf } from "../subjects";
import {
  NO_POLICY,
  type Change,
  type Facts,
  type GroupFacts,
  type InstanceFacts,
  type NetworkInterfaceFacts,
  type Policy,
  type Refusal,
  type RuleCode,
} from "../types";

/**
 * What every rule looks at: one instance, the changes asked of it, the live
 * facts, and the operations the planner would make (before any rule refuses).
 * Built by `planMembership`; rules only read it.
 */
export interface RuleSubject {
  readonly instanceId: string;
  /** The changes naming this instance, in the order given. */
  readonly changes: readonly Change[];
  /** The instance (or the ENI, see `memberFacts`) as it is now; undefined when it does not exist. */
  readonly instance: InstanceFacts | undefined;
  /** Set when the subject is an ENI other than a primary one (`instanceId` is then its ID). */
  readonly networkInterface?: NetworkInterfaceFacts;
  /** The subject ID names an ENI (described as one, even if it does not exist or is malformed). */
  readonly namesNetworkInterface?: boolean;
  /** Live groups (an ID absent does not exist, or was not described). */
  readonly groups: ReadonlyMap<string, GroupFacts>;
  /** Groups the instance is not in yet that it would join, in order (empty when the instance is gone). */
  readonly joins: readonly string[];
  /** Groups it would leave, in order: it is in them now or joins them first (empty when the instance is gone). */
  readonly leaves: readonly string[];
  /** Groups the operator protects (see `Policy`): no change may take them away. */
  readonly protectedGroupIds: ReadonlySet<string>;
}

/**
 * The subject for `instanceId`'s `changes` (all naming that instance): the
 * operations are derived here, once, for the planner and every rule alike.
 * Joins: groups asked to join (a move's `to`) the instance is not in.
 * Leaves: groups asked to leave (a move's `from`) it is in, or joins first.
 */
export function subjectOf(
  facts: Facts,
  instanceId: string,
  changes: readonly Change[],
  policy: Policy = NO_POLICY,
): RuleSubject {
  const instance = memberFacts(facts, instanceId);
  const networkInterface = networkInterfaceOf(facts, instanceId);
  const current = instance?.securityGroupIds ?? [];
  const joins = instance ? joinTargetsOf(changes).filter((g) => !current.includes(g)) : [];
  const leaves = instance
    ? leaveTargetsOf(changes).filter((g) => current.includes(g) || joins.includes(g))
    : [];
  return {
    instanceId,
    changes,
    instance,
    ...(networkInterface ? { networkInterface } : {}),
    ...(isNetworkInterfaceSubject(facts, instanceId) ? { namesNetworkInterface: true } : {}),
    groups: facts.groups,
    joins,
    leaves,
    protectedGroupIds: new Set(policy.protectedSecurityGroupIds),
  };
}

/** Every group the changes ask to join, deduplicated, in order. */
export function joinTargetsOf(changes: readonly Change[]): string[] {
  return unique(
    changes.flatMap((c) => (c.kind === "join" ? [c.securityGroupId] : c.kind === "move" ? [c.to] : [])),
  );
}

/** Every group the changes ask to leave, deduplicated, in order. */
export function leaveTargetsOf(changes: readonly Change[]): string[] {
  return unique(
    changes.flatMap((c) => (c.kind === "leave" ? [c.securityGroupId] : c.kind === "move" ? [c.from] : [])),
  );
}

/** A rule: the refusals it finds for one instance (none: compliant). */
export type Rule = (subject: RuleSubject) => Refusal[];

/** Every group the instance is in at the busiest moment: joins all happen before any leave. */
export function peakMembership(s: RuleSubject): string[] {
  return unique([...(s.instance?.securityGroupIds ?? []), ...s.joins]);
}

/** The groups the instance is in once every join and leave is made. */
export function finalMembership(s: RuleSubject): string[] {
  return peakMembership(s).filter((g) => !s.leaves.includes(g));
}

/** True when the planner would make at least one API call on this instance. */
export function changesAnything(s: RuleSubject): boolean {
  return s.joins.length > 0 || s.leaves.length > 0;
}

/**
 * Builds a refusal whose summary is `<code>: <sentence>`, the format users and
 * the acceptance tests rely on. The only way rules create refusals.
 */
export function refusal(
  code: RuleCode,
  instanceId: string,
  securityGroupId: string | undefined,
  sentence: string,
  detail: string,
): Refusal {
  return {
    code,
    instanceId,
    ...(securityGroupId === undefined ? {} : { securityGroupId }),
    summary: `${code}: ${sentence}`,
    detail,
  };
}

/** `sg-a`, `sg-a and sg-b`, `sg-a, sg-b and sg-c` (odd IDs quoted, see `quoteId`). */
export function listOf(ids: readonly string[]): string {
  return sentenceList(ids.map(quoteId));
}

/** `a`, `a and b`, `a, b and c`, the words as given (e.g. resource addresses). */
export function sentenceList(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** What the operations would do, as a verb phrase: `join sg-a and leave sg-b`. */
export function operationsPhrase(s: RuleSubject): string {
  const parts = [
    ...(s.joins.length > 0 ? [`join ${listOf(s.joins)}`] : []),
    ...(s.leaves.length > 0 ? [`leave ${listOf(s.leaves)}`] : []),
  ];
  return parts.join(" and ");
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
