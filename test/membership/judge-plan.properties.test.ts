import fc from "fast-check";
import { judgePlan } from "../../src/membership";
import type { PlanJudgement } from "../../src/membership/resource-change";
import { planCaseArb, type PlanCase } from "./plan-arbitraries";
import { examine, isJoinsUnlisted, isOrderDependent, isStillDeclares, type Judge } from "./plan-properties";

/**
 * Property tests of the whole-plan model against an independent replay of
 * every order Terraform could apply a plan in (./apply-simulator.ts).
 */

const RUNS = 800;
const ONE_INSTANCE_RUNS = 400;
const SEED = 20261128;

const describeCase = (c: PlanCase): string =>
  JSON.stringify({
    instances: [...c.facts.instances.values()].map((i) => ({
      id: i.instanceId,
      status: i.status,
      locks: i.lockReasons,
      groups: i.securityGroupIds,
      max: i.maxSecurityGroups,
    })),
    changes: c.changes,
  });

/** What a property run covered. */
interface Stats {
  cases: number;
  accepted: number;
  refused: number;
  orderDependentRefusals: number;
  instancesAccepted: number;
  instancesRefused: number;
  orders: number;
  states: number;
  mostOrders: number;
  withUnknown: number;
  codes: Map<string, number>;
}

/** Checks one case and counts what it showed; throws with the problems and the case when a property fails. */
function check(stats: Stats, c: PlanCase): void {
  const x = examine(judgePlan, c);
  if (x.problems.length > 0) throw new Error(`${x.problems.join("\n")}\ncase: ${describeCase(c)}`);
  stats.cases++;
  const errors = x.judgement.findings.filter((f) => f.severity === "error");
  if (errors.length === 0) stats.accepted++;
  else stats.refused++;
  if (errors.some(isOrderDependent)) stats.orderDependentRefusals++;
  stats.instancesAccepted += x.instancesAccepted;
  stats.instancesRefused += x.instancesRefused;
  const orders = x.outcomes.reduce((n, o) => n + o.orders, 0);
  stats.orders += orders;
  stats.mostOrders = Math.max(stats.mostOrders, orders);
  stats.states += x.outcomes.reduce((n, o) => n + o.states, 0);
  if (x.judgement.unknown.length > 0) stats.withUnknown++;
  for (const f of x.judgement.findings) {
    const kind = isStillDeclares(f) ? " (still declares)" : isJoinsUnlisted(f) ? " (does not list)" : "";
    const key = `${f.severity} ${f.code}${kind}`;
    stats.codes.set(key, (stats.codes.get(key) ?? 0) + 1);
  }
}

/** Runs the properties over `runs` plans, prints what they covered and checks that it is enough to mean something. */
function runProperties(
  what: string,
  arb: fc.Arbitrary<PlanCase>,
  runs: number,
  seed: number,
  codes: string[],
): void {
  const stats: Stats = {
    cases: 0,
    accepted: 0,
    refused: 0,
    orderDependentRefusals: 0,
    instancesAccepted: 0,
    instancesRefused: 0,
    orders: 0,
    states: 0,
    mostOrders: 0,
    withUnknown: 0,
    codes: new Map(),
  };
  fc.assert(
    fc.property(arb, (c) => check(stats, c)),
    { numRuns: runs, seed },
  );
  const seen = [...stats.codes].sort(([a], [b]) => (a < b ? -1 : 1));
  console.log(
    `judgePlan properties, ${what}: ${stats.cases} cases, ${stats.accepted} accepted, ${stats.refused} refused ` +
      `(${stats.orderDependentRefusals} with an order-dependent refusal); instances with steps: ` +
      `${stats.instancesAccepted} accepted, ${stats.instancesRefused} refused; ${stats.orders} orders covered ` +
      `(${stats.states} distinct states walked, at most ${stats.mostOrders} orders in one case); ` +
      `${stats.withUnknown} cases with unknown values\nfindings: ${seen.map(([k, n]) => `${k} ${n}`).join(", ")}`,
  );
  expect(stats.cases).toBe(runs);
  expect(stats.accepted).toBeGreaterThan(runs / 10);
  expect(stats.refused).toBeGreaterThan(runs / 10);
  expect(stats.instancesAccepted).toBeGreaterThan(runs / 5);
  expect(stats.orderDependentRefusals).toBeGreaterThan(runs / 20);
  expect(stats.orders).toBeGreaterThan(runs * 10);
  expect(stats.withUnknown).toBeGreaterThan(0);
  const missing = codes.filter((code) => !stats.codes.has(code));
  expect(missing).toEqual([]);
}

const ATTACHMENT_CODES = [
  "error InstanceLastSecurityGroup",
  "error InstanceSecurityGroupLimitExceeded",
  "error DuplicateAttachment",
  "error DuplicateAttachment (still declares)",
  "warning MembershipHandOff",
];

describe("judgePlan against every order of the apply", () => {
  test(`${RUNS} random plans on 3 instances: accepted ones hold in every order, refused and warned ones happen in some order`, () => {
    runProperties("3 instances", planCaseArb(), RUNS, SEED, [
      ...ATTACHMENT_CODES,
      "error MixedMembershipResources",
      "error AlicloudInstanceConflict",
      "error DuplicateInstanceSecurityGroups",
      "warning UnlistedSecurityGroups",
    ]);
  });

  test(`${ONE_INSTANCE_RUNS} random plans of attachments all on one instance: the same`, () => {
    runProperties(
      "attachments on one instance",
      planCaseArb({ oneInstance: true }),
      ONE_INSTANCE_RUNS,
      SEED + 1,
      ATTACHMENT_CODES,
    );
  });
});

describe("the answer does not depend on the order the changes are given in", () => {
  test("shuffled changes: the same findings, obligations and unknown changes", () => {
    const shuffled = planCaseArb().chain((c) =>
      fc
        .shuffledSubarray(c.changes, { minLength: c.changes.length, maxLength: c.changes.length })
        .map((changes) => ({ c, changes })),
    );
    fc.assert(
      fc.property(shuffled, ({ c, changes }) => {
        const a = judgePlan(c.facts, c.changes);
        const b = judgePlan(c.facts, changes);
        expect(b.findings).toEqual(a.findings);
        expect(normal(b)).toEqual(normal(a));
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});

function normal(j: PlanJudgement): { keep: [string, string[]][]; unknown: string[] } {
  return {
    keep: [...j.keepOnDelete].map(([k, v]): [string, string[]] => [k, [...v].sort()]).sort(),
    unknown: j.unknown.map((c) => c.resource).sort(),
  };
}

/**
 * Deliberately broken models (wrappers around the real one): each must make
 * the properties fail, which shows they check what they claim to.
 */
describe("the properties catch a broken model", () => {
  const without =
    (drop: (f: PlanJudgement["findings"][number]) => boolean): Judge =>
    (facts, changes) => {
      const j = judgePlan(facts, changes);
      return { ...j, findings: j.findings.filter((f) => !drop(f)) };
    };
  const mutants: [string, Judge][] = [
    ["misses InstanceLastSecurityGroup", without((f) => f.code === "InstanceLastSecurityGroup")],
    [
      "misses InstanceSecurityGroupLimitExceeded",
      without((f) => f.code === "InstanceSecurityGroupLimitExceeded"),
    ],
    ["misses declarations left untrue", without((f) => isStillDeclares(f) || isJoinsUnlisted(f))],
    ["never warns of a hand-off", without((f) => f.code === "MembershipHandOff")],
    ["never warns of unlisted groups", without((f) => f.code === "UnlistedSecurityGroups")],
    [
      "forgets the keep-on-delete obligations",
      (facts, changes) => ({ ...judgePlan(facts, changes), keepOnDelete: new Map() }),
    ],
    [
      "refuses hand-offs it only should warn of",
      (facts, changes) => {
        const j = judgePlan(facts, changes);
        return {
          ...j,
          findings: j.findings.map((f) =>
            f.code === "MembershipHandOff"
              ? {
                  ...f,
                  severity: "error",
                  code: "InstanceLastSecurityGroup",
                  summary: `InstanceLastSecurityGroup: ${f.summary}`,
                }
              : f,
          ),
        };
      },
    ],
    ["judges unknown values", (facts, changes) => ({ ...judgePlan(facts, changes), unknown: [] })],
  ];
  test.each(mutants)("a model that %s fails the properties", (_name, judge) => {
    const result = fc.check(
      fc.property(planCaseArb(), (c) => examine(judge, c).problems.length === 0),
      { numRuns: 2000, seed: SEED, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
  });
});
