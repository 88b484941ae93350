import { subjectOf, type Rule } from "../../src/membership/rules";
import type { Holding, ResourceChange } from "../../src/membership/resource-change";
import type { Change, Facts, GroupFacts, InstanceFacts, Policy, Refusal } from "../../src/membership/types";

/** An instance in the world's VPC, Running, unlocked, in sg-base, limit 5. */
export function instance(
  instanceId: string,
  over: Partial<Omit<InstanceFacts, "instanceId">> = {},
): InstanceFacts {
  return {
    instanceId,
    status: "Running",
    lockReasons: [],
    vpcId: "vpc-main",
    securityGroupIds: ["sg-base"],
    maxSecurityGroups: 5,
    ...over,
  };
}

export function group(
  securityGroupId: string,
  over: Partial<Omit<GroupFacts, "securityGroupId">> = {},
): GroupFacts {
  return { securityGroupId, vpcId: "vpc-main", type: "normal", ...over };
}

/** Groups every test world has unless it says otherwise. */
export const DEFAULT_GROUPS: readonly GroupFacts[] = [
  group("sg-base"),
  group("sg-web"),
  group("sg-db"),
  group("sg-app"),
  group("sg-ops"),
  group("sg-ent", { type: "enterprise" }),
  group("sg-ent2", { type: "enterprise" }),
  group("sg-far", { vpcId: "vpc-other" }),
  group("sg-classic", { vpcId: null }),
];

/** Facts holding `instances` and `groups` (default: DEFAULT_GROUPS); anything else does not exist. */
export function world(
  instances: readonly InstanceFacts[],
  groups: readonly GroupFacts[] = DEFAULT_GROUPS,
): Facts {
  return {
    instances: new Map(instances.map((i) => [i.instanceId, i])),
    groups: new Map(groups.map((g) => [g.securityGroupId, g])),
  };
}

export const join = (instanceId: string, securityGroupId: string): Change => ({
  kind: "join",
  instanceId,
  securityGroupId,
});
export const leave = (instanceId: string, securityGroupId: string): Change => ({
  kind: "leave",
  instanceId,
  securityGroupId,
});
export const move = (instanceId: string, from: string, to: string): Change => ({
  kind: "move",
  instanceId,
  from,
  to,
});

/** One row of a rule's table: `refused` is the expected summaries (none: compliant). */
export interface RuleCase {
  readonly name: string;
  readonly facts: Facts;
  readonly changes: readonly Change[];
  readonly refused: readonly string[];
  /** What the detail of every refusal must say. */
  readonly detail?: RegExp;
  /** The operator's policy (protected groups); none unless given. */
  readonly policy?: Policy;
}

/** Runs one rule over the changes of the first instance they name. */
export function runRule(rule: Rule, facts: Facts, changes: readonly Change[], policy?: Policy): Refusal[] {
  const instanceId = changes[0].instanceId;
  return rule(
    subjectOf(
      facts,
      instanceId,
      changes.filter((c) => c.instanceId === instanceId),
      policy,
    ),
  );
}

/** A table test: every row passes (no refusal) or is refused with exactly the summaries given. */
export function ruleTable(rule: Rule, cases: readonly RuleCase[]): void {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const refusals = runRule(rule, c.facts, c.changes, c.policy);
    expect(refusals.map((r) => r.summary)).toEqual(c.refused);
    for (const r of refusals) {
      expect(r.summary.startsWith(`${r.code}: `)).toBe(true);
      expect(r.instanceId).toBe(c.changes[0].instanceId);
      expect(r.detail).toMatch(c.detail ?? /\S/);
    }
  });
}

/** Resource changes for the whole-plan model (`judgePlan`). */
export const on = (instanceId: string | null, ...securityGroupIds: string[]): Holding => ({
  instanceId,
  securityGroupIds,
});

export function attachment(
  name: string,
  before: Holding | null,
  after: Holding | null,
  more: Partial<Pick<ResourceChange, "retainOnDelete" | "replacement">> = {},
): ResourceChange {
  return {
    resource: `alisg_attachment.${name}`,
    label: `alisg_attachment.${name}`,
    kind: "alisg_attachment",
    before,
    after,
    ...more,
  };
}

export function groupSet(name: string, before: Holding | null, after: Holding | null): ResourceChange {
  return {
    resource: `alisg_instance_security_groups.${name}`,
    label: `alisg_instance_security_groups.${name}`,
    kind: "alisg_instance_security_groups",
    before,
    after,
  };
}

export function alicloudInstance(
  name: string,
  before: Holding | null,
  after: Holding | null,
): ResourceChange {
  return {
    resource: `alicloud_instance.${name}`,
    label: `alicloud_instance.${name}`,
    kind: "alicloud_instance",
    before,
    after,
  };
}
