import type { ResourceChange } from "../../../src/membership";
import { PlanLedger } from "../../../src/provider/guard/plan-ledger";

const attachment = (resource: string, before: string | null, after: string | null): ResourceChange => {
  const holding = (pair: string | null) => {
    if (pair === null) return null;
    const [instanceId, g] = pair.split(":");
    return { instanceId, securityGroupIds: [g] };
  };
  return {
    resource,
    label: resource,
    kind: "alisg_attachment",
    before: holding(before),
    after: holding(after),
  };
};

const keys = (changes: readonly ResourceChange[]) => changes.map((c) => c.resource).sort();

describe("the provider's plan ledger", () => {
  test("relates a change to every change recorded for the same instances, and only those", () => {
    const ledger = new PlanLedger();
    ledger.record(attachment("a", "i-1:sg-a", null));
    ledger.record(attachment("b", null, "i-1:sg-b"));
    ledger.record(attachment("c", "i-2:sg-a", null));
    expect(keys(ledger.relatedTo(attachment("a", "i-1:sg-a", null)))).toEqual(["a", "b"]);
    expect(keys(ledger.relatedTo(attachment("c", "i-2:sg-a", null)))).toEqual(["c"]);
  });

  test("recording a resource again replaces its change, also when it moves to another instance", () => {
    const ledger = new PlanLedger();
    ledger.record(attachment("a", "i-1:sg-a", "i-1:sg-a"));
    ledger.record(attachment("a", "i-1:sg-a", "i-2:sg-a"));
    ledger.record(attachment("b", null, "i-2:sg-b"));
    const related = ledger.relatedTo(attachment("b", null, "i-2:sg-b"));
    expect(keys(related)).toEqual(["a", "b"]);
    expect(related.find((c) => c.resource === "a")?.after?.instanceId).toBe("i-2");
  });

  test("a settled change only declares what its state holds; a settled delete is gone", () => {
    const ledger = new PlanLedger();
    ledger.record({ ...attachment("a", "i-1:sg-a", "i-1:sg-b"), replacement: "either" });
    ledger.record(attachment("d", "i-1:sg-c", null));
    ledger.settle("a", { instanceId: "i-1", securityGroupIds: ["sg-b"] });
    ledger.settle("d", null);
    const related = ledger.relatedTo(attachment("x", null, "i-1:sg-x"));
    expect(related.map((c) => [c.resource, c.before, c.after, c.replacement])).toEqual([
      ["x", null, { instanceId: "i-1", securityGroupIds: ["sg-x"] }, undefined],
      [
        "a",
        { instanceId: "i-1", securityGroupIds: ["sg-b"] },
        { instanceId: "i-1", securityGroupIds: ["sg-b"] },
        undefined,
      ],
    ]);
  });

  test("a change whose instance is known only at apply is related to every change", () => {
    const ledger = new PlanLedger();
    ledger.record(attachment("a", "i-1:sg-a", null));
    const floating = {
      ...attachment("u", null, "i-1:sg-a"),
      after: { instanceId: null, securityGroupIds: ["sg-a"] },
    };
    ledger.record(floating);
    expect(keys(ledger.relatedTo(attachment("a", "i-1:sg-a", null)))).toEqual(["a", "u"]);
    ledger.settle("u", null);
    expect(keys(ledger.relatedTo(attachment("a", "i-1:sg-a", null)))).toEqual(["a"]);
  });

  test("reports each finding once", () => {
    const ledger = new PlanLedger();
    const finding = {
      severity: "warning" as const,
      code: "MembershipHandOff",
      resources: ["a"],
      labels: ["a"],
      instanceId: "i-1",
      summary: "MembershipHandOff: x",
      detail: "",
    };
    expect(ledger.unreported([finding])).toHaveLength(1);
    expect(ledger.unreported([finding, { ...finding, summary: "MembershipHandOff: y" }])).toEqual([
      { ...finding, summary: "MembershipHandOff: y" },
    ]);
  });
});
