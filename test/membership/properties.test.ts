import fc from "fast-check";
import { decideMembership, planMembership } from "../../src/membership";
import type { Change, Facts, GroupFacts, InstanceFacts } from "../../src/membership/types";
import { simulate } from "./simulate";

const GROUP_IDS = ["sg-a", "sg-b", "sg-c", "sg-d", "sg-e", "sg-f"];
/** Groups changes may name beyond the live ones: gone, unmanaged, malformed. */
const OTHER_GROUP_IDS = ["sg-gone", "sg bad"];
const INSTANCE_IDS = ["i-1", "i-2", "i-3"];
const OTHER_INSTANCE_IDS = ["i-gone", "i;bad"];

/** One of the values, each as likely as its weight. */
function weighted<T>(...choices: [number, T][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));
}

const groupArb = (securityGroupId: string): fc.Arbitrary<GroupFacts> =>
  fc.record({
    securityGroupId: fc.constant(securityGroupId),
    vpcId: weighted<string | null>([8, "vpc-1"], [1, "vpc-2"], [1, null]),
    type: weighted<GroupFacts["type"]>([6, "normal"], [1, "enterprise"]),
  });

const instanceArb = (instanceId: string): fc.Arbitrary<InstanceFacts> =>
  fc.record({
    instanceId: fc.constant(instanceId),
    status: weighted([8, "Running"], [4, "Stopped"], [1, "Starting"], [1, "Stopping"], [1, "Pending"]),
    lockReasons: weighted<string[]>(
      [10, []],
      [2, ["financial"]],
      [1, ["security"]],
      [1, ["financial", "security"]],
    ),
    vpcId: weighted<string | null>([8, "vpc-1"], [1, "vpc-2"], [1, null]),
    // Real instances are always in at least one group; `sg-unmanaged` is one alisg was not told about.
    securityGroupIds: fc.subarray([...GROUP_IDS, "sg-unmanaged"], { minLength: 1, maxLength: 5 }),
    maxSecurityGroups: fc.integer({ min: 2, max: 6 }),
  });

const factsArb: fc.Arbitrary<Facts> = fc
  .record({
    groups: fc.tuple(...GROUP_IDS.map(groupArb)),
    instances: fc.tuple(...INSTANCE_IDS.map((id) => fc.option(instanceArb(id), { freq: 6 }))),
  })
  .map(({ groups, instances }) => ({
    groups: new Map(groups.map((g) => [g.securityGroupId, g])),
    instances: new Map(instances.flatMap((i) => (i ? [[i.instanceId, i] as const] : []))),
  }));

const instanceIdArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...INSTANCE_IDS) },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_INSTANCE_IDS) },
);
const groupIdArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...GROUP_IDS, "sg-unmanaged") },
  { weight: 1, arbitrary: fc.constantFrom(...OTHER_GROUP_IDS) },
);
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant("join" as const), instanceId: instanceIdArb, securityGroupId: groupIdArb }),
  fc.record({ kind: fc.constant("leave" as const), instanceId: instanceIdArb, securityGroupId: groupIdArb }),
  fc.record({
    kind: fc.constant("move" as const),
    instanceId: instanceIdArb,
    from: groupIdArb,
    to: groupIdArb,
  }),
);
const scenarioArb = fc.record({ facts: factsArb, changes: fc.array(changeArb, { maxLength: 8 }) });

const RUNS = { seed: Number(process.env.ALISG_PROPERTY_SEED ?? 20261201), numRuns: 500 };

describe("planning properties", () => {
  test("the scenarios exercise accepted leaves, moves and refusals of every kind", () => {
    const plans = fc
      .sample(scenarioArb, { numRuns: 2000, seed: 1 })
      .flatMap((s) => planMembership(s.facts, s.changes));
    const accepted = plans.filter((p) => p.refusals.length === 0);
    expect(accepted.filter((p) => p.operations.some((o) => o.action === "leave")).length).toBeGreaterThan(
      100,
    );
    expect(accepted.filter((p) => p.operations.some((o) => o.action === "join")).length).toBeGreaterThan(100);
    const codes = new Set(plans.flatMap((p) => p.refusals.map((r) => r.code)));
    expect([...codes].sort()).toEqual([
      "IncorrectInstanceStatus",
      "InstanceLastSecurityGroup",
      "InstanceLockedForSecurity",
      "InstanceSecurityGroupLimitExceeded",
      "InvalidInstanceId.Malformed",
      "InvalidInstanceId.Mismatch",
      "InvalidInstanceId.NotFound",
      "InvalidOperation.MultiGroupType",
      "InvalidSecurityGroupId.Malformed",
      "InvalidSecurityGroupId.NotFound",
    ]);
  });

  test("no accepted change set leaves an instance with zero groups", () => {
    fc.assert(
      fc.property(scenarioArb, ({ facts, changes }) => {
        for (const plan of planMembership(facts, changes)) {
          if (plan.refusals.length > 0 || plan.operations.length === 0) continue;
          const steps = simulate(facts, plan.operations);
          expect(steps[steps.length - 1].groupsAfter.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  test("no leave precedes a join on the same instance", () => {
    fc.assert(
      fc.property(scenarioArb, ({ facts, changes }) => {
        const lists = [
          ...planMembership(facts, changes).map((p) => p.operations),
          decideMembership(facts, changes).operations,
        ];
        for (const ops of lists) {
          for (const [i, op] of ops.entries()) {
            if (op.action !== "join") continue;
            expect(ops.slice(0, i).some((o) => o.action === "leave" && o.instanceId === op.instanceId)).toBe(
              false,
            );
          }
        }
      }),
      RUNS,
    );
  });

  test("a refused instance gets no operations", () => {
    fc.assert(
      fc.property(scenarioArb, ({ facts, changes }) => {
        for (const plan of planMembership(facts, changes)) {
          if (plan.refusals.length > 0) expect(plan.operations).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  test("accepted plans stay within the group limit at every step", () => {
    fc.assert(
      fc.property(scenarioArb, ({ facts, changes }) => {
        for (const plan of planMembership(facts, changes)) {
          if (plan.refusals.length > 0) continue;
          const max = facts.instances.get(plan.instanceId)?.maxSecurityGroups ?? 0;
          for (const step of simulate(facts, plan.operations)) {
            if (step.op.action === "join") expect(step.groupsAfter.length).toBeLessThanOrEqual(max);
          }
        }
      }),
      RUNS,
    );
  });

  test("every refusal summary starts with its code, names its instance, and says what to do", () => {
    fc.assert(
      fc.property(scenarioArb, ({ facts, changes }) => {
        for (const plan of planMembership(facts, changes)) {
          for (const r of plan.refusals) {
            expect(r.summary.startsWith(`${r.code}: `)).toBe(true);
            expect(r.summary).toContain(
              r.code.endsWith(".Malformed") ? JSON.stringify(r.instanceId).slice(1, -1) : r.instanceId,
            );
            expect(r.instanceId).toBe(plan.instanceId);
            expect(r.summary).not.toContain("\n");
            expect(r.detail.trim()).not.toBe("");
          }
        }
      }),
      RUNS,
    );
  });

  test("accepted operations are calls ECS would accept, one after the other", () => {
    fc.assert(
      fc.property(scenarioArb, ({ facts, changes }) => {
        const decision = decideMembership(facts, changes);
        if (decision.refusals.length > 0) return;
        for (const step of simulate(facts, decision.operations))
          expect(step).not.toHaveProperty("apiError", expect.any(String));
      }),
      RUNS,
    );
  });

  test("each instance is planned once, in order of first appearance, with no call made twice", () => {
    fc.assert(
      fc.property(scenarioArb, ({ facts, changes }) => {
        const plans = planMembership(facts, changes);
        expect(plans.map((p) => p.instanceId)).toEqual([...new Set(changes.map((c) => c.instanceId))]);
        for (const plan of plans) {
          const keys = plan.operations.map((o) => `${o.action} ${o.securityGroupId}`);
          expect(new Set(keys).size).toBe(keys.length);
          expect(plan.operations.every((o) => o.instanceId === plan.instanceId)).toBe(true);
        }
      }),
      RUNS,
    );
  });
});
