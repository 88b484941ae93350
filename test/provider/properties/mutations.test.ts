import fc from "fast-check";
import { createRequire } from "node:module";
import {
  alicloudUpdates,
  cases,
  eniCases,
  eniFaultCases,
  faultCases,
  taintedProtectedCases,
  wrongKindCases,
  type Case,
} from "./cases";
import { runCase, runGateCase } from "./run-case";

/**
 * The mutation list: bugs seeded into the real code, one at a time, each of
 * which the provider-level properties must catch (a property that lets a
 * seeded bug through proves nothing about the code without it). Each bug is
 * seeded with `jest.spyOn` on the module that defines the function, so that
 * every caller sees it, and removed after its test.
 */
jest.setTimeout(600_000);

const req = createRequire(__filename);
const steps = req(
  "../../../src/membership/apply-steps",
) as typeof import("../../../src/membership/apply-steps");
const judge = req(
  "../../../src/membership/judge-plan",
) as typeof import("../../../src/membership/judge-plan");
const planning = req("../../../src/membership/plan") as typeof import("../../../src/membership/plan");
const subjects = req("../../../src/membership/subjects") as typeof import("../../../src/membership/subjects");
const rules = req("../../../src/membership/rules") as typeof import("../../../src/membership/rules");
const attachment = req(
  "../../../src/provider/resources/attachment",
) as typeof import("../../../src/provider/resources/attachment");

type Restore = () => void;

interface Mutation {
  readonly name: string;
  readonly seed: () => Restore;
  /** Caught by check-plan's property (the alicloud provider is judged there only). */
  readonly gate?: boolean;
  /** The cases that reach the bug, when the general ones and the failures half-way rarely do. */
  readonly cases?: fc.Arbitrary<Case>;
}

/** judgePlan as if the provider protected no group. */
function planIgnoresProtectedGroups(): Restore {
  const real = judge.judgePlan;
  const spy = jest
    .spyOn(judge, "judgePlan")
    .mockImplementation((facts, changes, options) =>
      real(facts, changes, { ...options, protectedSecurityGroupIds: [] }),
    );
  return () => spy.mockRestore();
}

/**
 * The apply-time re-check (decideMembership, which asks planMembership) as if
 * the provider protected no group. Seeded one level down so that the
 * exploration of refused plans, which replaces decideMembership for a while,
 * leaves it in place.
 */
function applyIgnoresProtectedGroups(): Restore {
  const real = planning.planMembership;
  const spy = jest
    .spyOn(planning, "planMembership")
    .mockImplementation((facts, changes) => real(facts, changes));
  return () => spy.mockRestore();
}

const MUTATIONS: Mutation[] = [
  {
    name: "the protected-group rule is off: neither the plan nor the re-check before a Leave judges it",
    seed: () => {
      const plan = planIgnoresProtectedGroups();
      const apply = applyIgnoresProtectedGroups();
      return () => {
        apply();
        plan();
      };
    },
  },
  {
    name: "protected groups are judged only right before each Leave, not at plan time",
    seed: planIgnoresProtectedGroups,
  },
  {
    name: "the re-check before a Leave ignores protected groups (only the plan judges them)",
    seed: applyIgnoresProtectedGroups,
    // Only a Leave the plan could not see reaches the re-check: the tainted-object blind spot.
    cases: taintedProtectedCases,
  },
  {
    name: "check-plan does not judge protected groups (an alicloud_instance update may drop one)",
    gate: true,
    seed: planIgnoresProtectedGroups,
  },
  {
    name: "the old half of a replacement keeps every old group (never leaves one)",
    seed: () => {
      const real = steps.stepsOf;
      const spy = jest
        .spyOn(steps, "stepsOf")
        .mockImplementation((c) =>
          real(c).map((s) => (s.step.half === "delete" ? { ...s, step: { ...s.step, leaves: [] } } : s)),
        );
      return () => spy.mockRestore();
    },
  },
  {
    name: "the old half of a replacement joins nothing for its new object",
    seed: () => {
      const real = steps.stepsOf;
      const spy = jest.spyOn(steps, "stepsOf").mockImplementation((c) =>
        real(c).map((s) =>
          s.step.half === "delete"
            ? {
                ...s,
                step: {
                  ...s.step,
                  joins: [],
                  takes: [],
                  leaves: real({ ...c, after: null }).flatMap((x) => x.step.leaves),
                },
              }
            : s,
        ),
      );
      return () => spy.mockRestore();
    },
  },
  {
    name: "a hand-off warning is turned into an error",
    seed: () => {
      const real = judge.judgePlan;
      const spy = jest.spyOn(judge, "judgePlan").mockImplementation((facts, changes, options) => {
        const j = real(facts, changes, options);
        return {
          ...j,
          findings: j.findings.map((f) =>
            f.code === "MembershipHandOff" ? { ...f, severity: "error" as const } : f,
          ),
        };
      });
      return () => spy.mockRestore();
    },
  },
  {
    name: "a set's adoption of the groups it lists is not counted (the standing rule does not keep them)",
    seed: () => {
      const real = steps.stepsOf;
      const spy = jest
        .spyOn(steps, "stepsOf")
        .mockImplementation((c) =>
          real(c).map((s) => (s.step.reconcileTo ? { ...s, step: { ...s.step, takes: [] } } : s)),
        );
      return () => spy.mockRestore();
    },
  },
  {
    name: "the standing rule is off: a step leaves a group another step of the apply took",
    seed: () => {
      const real = steps.callsAt;
      const spy = jest
        .spyOn(steps, "callsAt")
        .mockImplementation((step, groups) => real(step, groups, new Set()));
      return () => spy.mockRestore();
    },
  },
  {
    name: "the apply walk's planning ignores the groups the apply already took",
    seed: () => {
      const real = judge.judgePlan;
      const spy = jest.spyOn(judge, "judgePlan").mockImplementation((facts, changes) => real(facts, changes));
      return () => spy.mockRestore();
    },
  },
  {
    name: "a failed leave drops the attachment from the state (reported as done)",
    seed: () => {
      const real = attachment.attachmentType.delete;
      const spy = jest.spyOn(attachment.attachmentType, "delete").mockImplementation(async (prior, ctx) => {
        const r = await real(prior, ctx);
        // Terraform keeps an object whose delete failed whatever the provider returns; a provider
        // that drops one swallows the error too.
        return r.state ? { state: null, diagnostics: [] } : r;
      });
      return () => spy.mockRestore();
    },
  },
  {
    name: "a failed move forgets the group it joined",
    seed: () => {
      const real = attachment.attachmentType.update;
      const spy = jest
        .spyOn(attachment.attachmentType, "update")
        .mockImplementation(async (prior, planned, ctx) => {
          const r = await real(prior, planned, ctx);
          return r.state && r.state.pending.length > 0 ? { ...r, state: { ...r.state, pending: [] } } : r;
        });
      return () => spy.mockRestore();
    },
  },
  {
    name: "the alicloud_instance order is reversed (joins before leaves)",
    gate: true,
    seed: () => {
      const real = steps.callsAt;
      const spy = jest.spyOn(steps, "callsAt").mockImplementation((step, groups, taken) => {
        const calls = real(step, groups, taken);
        return step.byAlisg
          ? calls
          : [...calls.filter((c) => c.action === "join"), ...calls.filter((c) => c.action === "leave")];
      });
      return () => spy.mockRestore();
    },
  },
  {
    name: "a primary ENI is not one subject with its instance in the whole-plan judgment",
    seed: () => {
      const spy = jest
        .spyOn(subjects, "toSubjectResourceChanges")
        .mockImplementation((_facts, changes) => [...changes]);
      return () => spy.mockRestore();
    },
    cases: fc.oneof(eniCases, eniFaultCases),
  },
  {
    name: "the apply walk keys a primary ENI apart from its instance (what one kind took, the other may leave)",
    seed: () => {
      const spy = jest.spyOn(subjects, "subjectIdOf").mockImplementation((_facts, id) => id);
      return () => spy.mockRestore();
    },
    cases: fc.oneof(eniCases, eniFaultCases),
  },
  {
    name: "an instance's ID given as an ENI ID (or the reverse) is judged as that instance (or ENI)",
    seed: () => {
      const spy = jest.spyOn(subjects, "namesOtherKind").mockReturnValue(false);
      return () => spy.mockRestore();
    },
    cases: wrongKindCases,
  },
  {
    name: "an ENI's status does not gate its changes (every status counts as settled)",
    seed: () => {
      // The rule reads this list at each call: every status added turns it off at plan and at apply.
      const settled = rules.CHANGEABLE_NETWORK_INTERFACE_STATUSES as string[];
      const before = [...settled];
      settled.push("Attaching", "Detaching", "Creating", "Deleting");
      return () => void settled.splice(0, settled.length, ...before);
    },
    cases: eniCases,
  },
  {
    name: "a removal whose new taker is known only at apply is not warned about",
    seed: () => {
      const real = judge.judgePlan;
      const spy = jest.spyOn(judge, "judgePlan").mockImplementation((facts, changes, options) => {
        const j = real(facts, changes, options);
        return { ...j, findings: j.findings.filter((f) => !f.summary.includes("known only at apply")) };
      });
      return () => spy.mockRestore();
    },
  },
];

const SEED = Number(process.env.ALISG_PROPERTY_SEED ?? 20261201);

describe("the provider-level properties catch every seeded bug", () => {
  test.each(MUTATIONS.map((m) => [m.name, m] as const))("%s", async (_name, mutation) => {
    const restore = mutation.seed();
    let caught: string | undefined;
    try {
      await fc.assert(
        // The general cases and the failures half-way, alternately.
        fc.asyncProperty(
          mutation.cases ?? fc.oneof(cases, faultCases),
          alicloudUpdates,
          async (c, updates) => {
            const report = mutation.gate
              ? await runGateCase(c, updates, { maxOrders: 10 })
              : await runCase(c, { maxOrders: 12 });
            if (report.problems.length > 0) throw new Error(report.problems[0]);
          },
        ),
        { seed: SEED, numRuns: Number(process.env.ALISG_MUTATION_RUNS ?? 600), endOnFailure: true },
      );
    } catch (err) {
      caught = err instanceof Error ? err.message : String(err);
    } finally {
      restore();
    }
    expect(caught).toMatch(/Property failed after \d+ tests/);
  });
});
