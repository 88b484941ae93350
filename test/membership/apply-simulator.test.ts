import fc from "fast-check";
import type { Holding, ResourceChange } from "../../src/membership/resource-change";
import type { Facts } from "../../src/membership/types";
import { exploreScript, scriptsOf, type InstanceOutcome } from "./apply-simulator";
import { instance, world } from "./fixtures";
import { planCaseArb } from "./plan-arbitraries";

/** The simulator the whole-plan properties lean on, checked on its own. */

const on = (instanceId: string, ...securityGroupIds: string[]): Holding => ({ instanceId, securityGroupIds });
const att = (
  name: string,
  before: Holding | null,
  after: Holding | null,
  more: Partial<ResourceChange> = {},
) => ({ resource: name, label: name, kind: "alisg_attachment", before, after, ...more }) as ResourceChange;

function run(facts: Facts, changes: ResourceChange[], keep = new Map<string, string[]>()): InstanceOutcome {
  const script = scriptsOf(changes, keep).get("i-1")!;
  return exploreScript(facts, script);
}

describe("the apply simulator", () => {
  test("counts every interleaving: n! for n free steps, half of them with one ordered replacement", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base"], maxSecurityGroups: 6 })]);
    const creates = ["sg-web", "sg-db", "sg-app", "sg-ops"].map((g) => att(g, null, on("i-1", g)));
    expect(run(facts, creates).orders).toBe(24);
    const replaced = att("r", on("i-1", "sg-base"), on("i-1", "sg-web"), { replacement: "delete-first" });
    expect(run(facts, [...creates.slice(1), replaced]).orders).toBe(60); // 5 steps, the halves ordered
    expect(run(facts, [...creates.slice(1), { ...replaced, replacement: "either" }]).orders).toBe(120);
  });

  test("a leave after a join of the same pair in the same apply is skipped (the standing rule)", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-web"] })]);
    const o = run(facts, [att("old", on("i-1", "sg-web"), null), att("new", null, on("i-1", "sg-web"))]);
    // Created first: the leave is skipped. Removed first: ECS refuses to leave the last group.
    expect(o.orders).toBe(2);
    expect(o.cleanFinals).toEqual(new Set(["sg-web"]));
    expect(o.refusals).toEqual([{ code: "InstanceLastSecurityGroup", group: "sg-web", resource: "old" }]);
  });

  test("a kept group is not left by the delete half of a replacement; without the obligation it lapses", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] })]);
    const r = att("r", on("i-1", "sg-web"), on("i-1", "sg-web"), { replacement: "delete-first" });
    const kept = run(facts, [r], new Map([["r", ["sg-web"]]]));
    expect(kept.lapses.size).toBe(0);
    const forgotten = run(facts, [r]);
    expect(forgotten.lapses).toEqual(new Set(["sg-web"]));
    expect(forgotten.cleanFinals).toEqual(new Set(["sg-base,sg-web"]));
  });

  test("an authoritative set joins what it lists, adopts what is there, then leaves the rest", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"], maxSecurityGroups: 3 })]);
    const set: ResourceChange = {
      resource: "s",
      label: "s",
      kind: "alisg_instance_security_groups",
      before: null,
      after: on("i-1", "sg-web", "sg-db"),
    };
    const o = run(facts, [set, att("gone", on("i-1", "sg-web"), null)]);
    // The set adopts sg-web: a later leave of it by the attachment is skipped; an earlier one is not.
    expect(o.cleanFinals).toEqual(new Set(["sg-db,sg-web"]));
    expect(o.lapses).toEqual(new Set(["sg-base", "sg-web"]));
    expect(o.refusals).toEqual([]);
  });

  test("an alicloud_instance leaves before it joins, and is not covered by the standing rule", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-web"] })]);
    const vm: ResourceChange = {
      resource: "vm",
      label: "vm",
      kind: "alicloud_instance",
      before: on("i-1", "sg-web"),
      after: on("i-1", "sg-db"),
    };
    expect(run(facts, [vm]).refusals).toEqual([
      { code: "InstanceLastSecurityGroup", group: "sg-web", resource: "vm" },
    ]);
  });

  test("walking every order one by one gives what the remembered walk gives", () => {
    fc.assert(
      fc.property(planCaseArb({ maxChanges: 6 }), ({ facts, changes }) => {
        for (const script of scriptsOf(changes, new Map()).values()) {
          const fast = exploreScript(facts, script);
          const slow = exploreScript(facts, script, { memo: false });
          expect({ ...fast, states: 0 }).toEqual({ ...slow, states: 0 });
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
