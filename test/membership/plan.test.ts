import { decideMembership, planMembership } from "../../src/membership";
import type { Change, Facts, InstancePlan } from "../../src/membership/types";
import { group, instance, join, leave, move, world } from "./fixtures";

/** A plan written compactly: `join i-1 sg-a` per operation, codes, `kind sg-x` per note. */
interface Expected {
  readonly instanceId: string;
  readonly operations?: readonly string[];
  readonly refusals?: readonly string[];
  readonly notes?: readonly string[];
}

function compact(plan: InstancePlan): Required<Expected> {
  return {
    instanceId: plan.instanceId,
    operations: plan.operations.map((o) => `${o.action} ${o.instanceId} ${o.securityGroupId}`),
    refusals: plan.refusals.map((r) => r.code),
    notes: plan.notes.map((n) => `${n.kind} ${n.securityGroupId}`),
  };
}

interface PlanCase {
  readonly name: string;
  readonly facts: Facts;
  readonly changes: readonly Change[];
  readonly plans: readonly Expected[];
}

const cases: PlanCase[] = [
  {
    name: "joins a new group",
    facts: world([instance("i-web1")]),
    changes: [join("i-web1", "sg-web")],
    plans: [{ instanceId: "i-web1", operations: ["join i-web1 sg-web"] }],
  },
  {
    name: "allows a move of the only group, as a join then a leave",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-web"] })]),
    changes: [move("i-web1", "sg-web", "sg-app")],
    plans: [{ instanceId: "i-web1", operations: ["join i-web1 sg-app", "leave i-web1 sg-web"] }],
  },
  {
    name: "refuses two leaves that together empty an instance, and makes no call",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-web", "sg-base"] })]),
    changes: [leave("i-web1", "sg-web"), leave("i-web1", "sg-base")],
    plans: [{ instanceId: "i-web1", refusals: ["InstanceLastSecurityGroup"] }],
  },
  {
    name: "counts groups alisg does not manage: leaving every managed group is allowed",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-web", "sg-app", "sg-unmanaged"] })]),
    changes: [leave("i-web1", "sg-web"), leave("i-web1", "sg-app")],
    plans: [{ instanceId: "i-web1", operations: ["leave i-web1 sg-web", "leave i-web1 sg-app"] }],
  },
  {
    name: "adopts a membership that already exists, with a note and no call",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-web"] })]),
    changes: [join("i-web1", "sg-web")],
    plans: [{ instanceId: "i-web1", notes: ["already-member sg-web"] }],
  },
  {
    name: "leaving a group the instance is not in is a no-op with a note",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-base"] })]),
    changes: [leave("i-web1", "sg-web")],
    plans: [{ instanceId: "i-web1", notes: ["not-a-member sg-web"] }],
  },
  {
    name: "leaving a group that no longer exists is a no-op with a note",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-base"] })]),
    changes: [leave("i-web1", "sg-deleted")],
    plans: [{ instanceId: "i-web1", notes: ["group-gone sg-deleted"] }],
  },
  {
    name: "leaving with an instance that no longer exists is a no-op with a note",
    facts: world([]),
    changes: [leave("i-gone", "sg-web")],
    plans: [{ instanceId: "i-gone", notes: ["instance-gone sg-web"] }],
  },
  {
    name: "a repeated leave of a group the instance is not in gives one note and no refusal",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-base"] })]),
    changes: [leave("i-web1", "sg-web"), leave("i-web1", "sg-web")],
    plans: [{ instanceId: "i-web1", notes: ["not-a-member sg-web"] }],
  },
  {
    name: "refuses a join with an instance that does not exist",
    facts: world([]),
    changes: [join("i-nope", "sg-web"), leave("i-nope", "sg-base")],
    plans: [
      { instanceId: "i-nope", refusals: ["InvalidInstanceId.NotFound"], notes: ["instance-gone sg-base"] },
    ],
  },
  {
    name: "refuses malformed IDs before anything else (no NotFound noise)",
    facts: world([]),
    changes: [join("i-nope", "sg nope")],
    plans: [{ instanceId: "i-nope", refusals: ["InvalidSecurityGroupId.Malformed"] }],
  },
  {
    name: "does not check status or lock when no call is needed",
    facts: world([
      instance("i-web1", { status: "Starting", lockReasons: ["security"], securityGroupIds: ["sg-web"] }),
    ]),
    changes: [join("i-web1", "sg-web"), leave("i-web1", "sg-app")],
    plans: [{ instanceId: "i-web1", notes: ["already-member sg-web", "not-a-member sg-app"] }],
  },
  {
    name: "lists every problem of a refused instance",
    facts: world([
      instance("i-web1", {
        status: "Stopping",
        lockReasons: ["security"],
        securityGroupIds: ["sg-base"],
        maxSecurityGroups: 1,
      }),
    ]),
    changes: [join("i-web1", "sg-far"), join("i-web1", "sg-nope"), leave("i-web1", "sg-base")],
    plans: [
      {
        instanceId: "i-web1",
        refusals: [
          "IncorrectInstanceStatus",
          "InstanceLockedForSecurity",
          "InvalidSecurityGroupId.NotFound",
          "InvalidInstanceId.Mismatch",
          "InstanceSecurityGroupLimitExceeded",
        ],
      },
    ],
  },
  {
    name: "orders every join before any leave and makes each call once",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-base", "sg-web"] })]),
    changes: [
      leave("i-web1", "sg-web"),
      join("i-web1", "sg-app"),
      leave("i-web1", "sg-web"),
      move("i-web1", "sg-base", "sg-db"),
      join("i-web1", "sg-app"),
    ],
    plans: [
      {
        instanceId: "i-web1",
        operations: [
          "join i-web1 sg-app",
          "join i-web1 sg-db",
          "leave i-web1 sg-web",
          "leave i-web1 sg-base",
        ],
      },
    ],
  },
  {
    name: "plans each instance on its own, in order of first appearance",
    facts: world([
      instance("i-b", { securityGroupIds: ["sg-web"] }),
      instance("i-a", { securityGroupIds: ["sg-base", "sg-web"] }),
    ]),
    changes: [leave("i-b", "sg-web"), leave("i-a", "sg-web"), join("i-b", "sg-app")],
    plans: [
      { instanceId: "i-b", operations: ["join i-b sg-app", "leave i-b sg-web"] },
      { instanceId: "i-a", operations: ["leave i-a sg-web"] },
    ],
  },
  {
    name: "a refused instance does not stop another instance's plan",
    facts: world([instance("i-a", { securityGroupIds: ["sg-web"] }), instance("i-b")]),
    changes: [leave("i-a", "sg-web"), join("i-b", "sg-web")],
    plans: [
      { instanceId: "i-a", refusals: ["InstanceLastSecurityGroup"] },
      { instanceId: "i-b", operations: ["join i-b sg-web"] },
    ],
  },
  {
    name: "a group the set both joins and leaves is joined, then left (counted as a removal)",
    facts: world([instance("i-web1", { securityGroupIds: ["sg-base"] })]),
    changes: [join("i-web1", "sg-web"), leave("i-web1", "sg-web"), leave("i-web1", "sg-base")],
    plans: [{ instanceId: "i-web1", refusals: ["InstanceLastSecurityGroup"] }],
  },
  { name: "no changes, no plans", facts: world([instance("i-web1")]), changes: [], plans: [] },
];

describe("planMembership", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const plans = planMembership(c.facts, c.changes).map(compact);
    expect(plans).toEqual(c.plans.map((p) => ({ operations: [], refusals: [], notes: [], ...p })));
  });

  test("notes say what was found, naming instance and group", () => {
    const [plan] = planMembership(world([instance("i-web1", { securityGroupIds: ["sg-web"] })]), [
      join("i-web1", "sg-web"),
      leave("i-web1", "sg-app"),
    ]);
    expect(plan.notes).toEqual([
      {
        kind: "already-member",
        instanceId: "i-web1",
        securityGroupId: "sg-web",
        message: "i-web1 is already in sg-web.",
      },
      {
        kind: "not-a-member",
        instanceId: "i-web1",
        securityGroupId: "sg-app",
        message: "i-web1 is not in sg-app: nothing to leave.",
      },
    ]);
  });

  test("the refusal of the design's example reads exactly as documented", () => {
    const [plan] = planMembership(world([instance("i-web1", { securityGroupIds: ["sg-web"] })]), [
      leave("i-web1", "sg-web"),
    ]);
    expect(plan.refusals.map((r) => r.summary)).toEqual([
      "InstanceLastSecurityGroup: removing sg-web from i-web1 would leave it with no security group",
    ]);
    expect(plan.refusals[0]).toMatchObject({ instanceId: "i-web1", securityGroupId: "sg-web" });
  });

  test("judges joins of groups missing from the facts as not existing", () => {
    const facts = world([instance("i-web1")], [group("sg-base")]);
    expect(planMembership(facts, [join("i-web1", "sg-web")])[0].refusals.map((r) => r.code)).toEqual([
      "InvalidSecurityGroupId.NotFound",
    ]);
  });
});

describe("decideMembership", () => {
  test("runs every instance's joins before any leave", () => {
    const facts = world([instance("i-a", { securityGroupIds: ["sg-web"] }), instance("i-b")]);
    const decision = decideMembership(facts, [move("i-a", "sg-web", "sg-app"), join("i-b", "sg-web")]);
    expect(decision.refusals).toEqual([]);
    expect(decision.operations.map((o) => `${o.action} ${o.instanceId} ${o.securityGroupId}`)).toEqual([
      "join i-a sg-app",
      "join i-b sg-web",
      "leave i-a sg-web",
    ]);
  });

  test("makes no call at all when any instance is refused", () => {
    const facts = world([instance("i-a", { securityGroupIds: ["sg-web"] }), instance("i-b")]);
    const decision = decideMembership(facts, [leave("i-a", "sg-web"), join("i-b", "sg-web")]);
    expect(decision.refusals.map((r) => r.code)).toEqual(["InstanceLastSecurityGroup"]);
    expect(decision.operations).toEqual([]);
    expect(decision.plans).toHaveLength(2);
  });

  test("gathers the notes of every instance", () => {
    const facts = world([instance("i-a", { securityGroupIds: ["sg-web"] })]);
    const decision = decideMembership(facts, [join("i-a", "sg-web"), leave("i-gone", "sg-web")]);
    expect(decision.notes.map((n) => n.kind)).toEqual(["already-member", "instance-gone"]);
    expect(decision.operations).toEqual([]);
  });
});
