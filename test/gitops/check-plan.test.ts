import { checkPlans, readPlan } from "../../src/gitops";
import { FakeEcs } from "./facts";
import { att, planDoc, rc } from "./plans";

const removal = (address: string, instance: string, group: string) =>
  rc({ address, actions: ["delete"], before: att(instance, group) });

describe("check-plan judges plans together with judgePlan", () => {
  const twoGroups = () => new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] }]);

  test("one stack removing one of two groups is safe", async () => {
    const report = await checkPlans(
      [readPlan(planDoc([removal("alisg_attachment.a", "i-1", "sg-a")]), "stack-a.json")],
      twoGroups(),
      5,
    );
    expect(report.findings).toEqual([]);
  });

  test("two stacks each removing one of an instance's two groups are refused together, naming both", async () => {
    const report = await checkPlans(
      [
        readPlan(planDoc([removal("alisg_attachment.a", "i-1", "sg-a")]), "stack-a.json"),
        readPlan(planDoc([removal("alisg_attachment.b", "i-1", "sg-b")]), "stack-b.json"),
      ],
      twoGroups(),
      5,
    );
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      severity: "error",
      code: "InstanceLastSecurityGroup",
      labels: ["stack-a.json: alisg_attachment.a", "stack-b.json: alisg_attachment.b"],
      instanceId: "i-1",
    });
  });

  test("the same address in two plans stays two resources", async () => {
    const report = await checkPlans(
      [
        readPlan(planDoc([removal("alisg_attachment.web", "i-1", "sg-a")]), "a.json"),
        readPlan(planDoc([removal("alisg_attachment.web", "i-1", "sg-b")]), "b.json"),
      ],
      twoGroups(),
      5,
    );
    expect(report.findings.map((f) => f.labels)).toEqual([
      ["a.json: alisg_attachment.web", "b.json: alisg_attachment.web"],
    ]);
  });

  test("an instance that started stopping after the plan was saved is refused with IncorrectInstanceStatus", async () => {
    const ecs = new FakeEcs([{ instanceId: "i-1", status: "Stopping", securityGroupIds: ["sg-a", "sg-b"] }]);
    const report = await checkPlans(
      [readPlan(planDoc([removal("alisg_attachment.a", "i-1", "sg-a")]), "p")],
      ecs,
      5,
    );
    expect(report.findings.map((f) => f.code)).toEqual(["IncorrectInstanceStatus"]);
  });

  test("swapping an instance's only group through alicloud_instance is refused, suggesting alisg_attachment moves", async () => {
    const ecs = new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a"] }]);
    const plan = planDoc([
      rc({
        address: "alicloud_instance.web",
        actions: ["update"],
        before: { id: "i-1", security_groups: ["sg-a"] },
        after: { id: "i-1", security_groups: ["sg-b"] },
      }),
    ]);
    const report = await checkPlans([readPlan(plan, "p")], ecs, 5);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      code: "InstanceLastSecurityGroup",
      labels: ["alicloud_instance.web"],
    });
    expect(report.findings[0].detail).toMatch(
      /alisg_attachment whose security_group_id changes moves in place/,
    );
  });

  test("adding a group through alicloud_instance is safe", async () => {
    const ecs = new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a"] }]);
    const plan = planDoc([
      rc({
        address: "alicloud_instance.web",
        actions: ["update"],
        before: { id: "i-1", security_groups: ["sg-a"] },
        after: { id: "i-1", security_groups: ["sg-a", "sg-b"] },
      }),
    ]);
    expect((await checkPlans([readPlan(plan, "p")], ecs, 5)).findings).toEqual([]);
  });

  test("unknown values are listed as checked at apply, never refused, and not described", async () => {
    const ecs = new FakeEcs([]);
    const plan = planDoc([
      rc({
        address: "alisg_attachment.x",
        actions: ["create"],
        after: { security_group_id: "sg-a" },
        afterUnknown: { instance_id: true },
      }),
    ]);
    const report = await checkPlans([readPlan(plan, "p")], ecs, 5);
    expect(report.findings).toEqual([]);
    expect(report.checkedAtApply.map((c) => c.label)).toEqual(["alisg_attachment.x"]);
    expect(ecs.calls).toEqual([]);
  });

  test("a no-op declaration still counts: a new attachment of the same pair is a DuplicateAttachment", async () => {
    const ecs = new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] }]);
    const plan = planDoc([
      rc({
        address: "alisg_attachment.old",
        actions: ["no-op"],
        before: att("i-1", "sg-a"),
        after: att("i-1", "sg-a"),
      }),
      rc({ address: "alisg_attachment.new", actions: ["create"], after: att("i-1", "sg-a") }),
    ]);
    const report = await checkPlans([readPlan(plan, "p")], ecs, 5);
    expect(report.findings.map((f) => f.code)).toEqual(["DuplicateAttachment"]);
  });

  test("the group limit comes from --max-security-groups-per-instance", async () => {
    const ecs = new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] }]);
    const plan = readPlan(
      planDoc([rc({ address: "alisg_attachment.c", actions: ["create"], after: att("i-1", "sg-c") })]),
      "p",
    );
    expect((await checkPlans([plan], ecs, 5)).findings).toEqual([]);
    expect((await checkPlans([plan], ecs, 2)).findings.map((f) => f.code)).toEqual([
      "InstanceSecurityGroupLimitExceeded",
    ]);
  });

  describe("--protected-security-group-id", () => {
    const baseline = { protectedSecurityGroupIds: ["sg-a"] };
    const ecs = () => new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] }]);

    test("a removal of a protected group is refused, naming the group, the instance and the resource", async () => {
      const plan = readPlan(planDoc([removal("alisg_attachment.base", "i-1", "sg-a")]), "p");
      expect((await checkPlans([plan], ecs(), 5)).findings).toEqual([]);
      const report = await checkPlans([plan], ecs(), 5, baseline);
      expect(report.findings).toEqual([
        expect.objectContaining({
          severity: "error",
          code: "ProtectedSecurityGroup",
          labels: ["alisg_attachment.base"],
          instanceId: "i-1",
          securityGroupId: "sg-a",
          summary:
            "ProtectedSecurityGroup: alisg_attachment.base would remove protected security group sg-a from i-1",
        }),
      ]);
      expect(report.findings[0].detail).toContain("--protected-security-group-id");
    });

    test("an alicloud_instance update that drops a protected group is refused", async () => {
      const plan = planDoc([
        rc({
          address: "alicloud_instance.web",
          actions: ["update"],
          before: { id: "i-1", security_groups: ["sg-a", "sg-b"] },
          after: { id: "i-1", security_groups: ["sg-b", "sg-c"] },
        }),
      ]);
      const report = await checkPlans([readPlan(plan, "p")], ecs(), 5, baseline);
      expect(report.findings.map((f) => [f.code, f.labels])).toEqual([
        ["ProtectedSecurityGroup", ["alicloud_instance.web"]],
      ]);
      expect(report.findings[0].detail).toMatch(/keep sg-a in security_groups of alicloud_instance\.web/);
    });

    test("an authoritative set in another plan that does not list a protected group is refused", async () => {
      const set = rc({
        address: "alisg_instance_security_groups.i1",
        actions: ["create"],
        after: { id: "i-1", instance_id: "i-1", security_group_ids: ["sg-b"] },
      });
      const report = await checkPlans(
        [readPlan(planDoc([]), "a.json"), readPlan(planDoc([set]), "b.json")],
        ecs(),
        5,
        baseline,
      );
      expect(report.findings.map((f) => [f.severity, f.code, f.labels])).toEqual([
        ["error", "ProtectedSecurityGroup", ["b.json: alisg_instance_security_groups.i1"]],
      ]);
    });

    test("joining a protected group passes", async () => {
      const plan = planDoc([
        rc({ address: "alisg_attachment.c", actions: ["create"], after: att("i-2", "sg-c") }),
      ]);
      const two = new FakeEcs([{ instanceId: "i-2", securityGroupIds: ["sg-b"] }]);
      const report = await checkPlans([readPlan(plan, "p")], two, 5, { protectedSecurityGroupIds: ["sg-c"] });
      expect(report.findings).toEqual([]);
    });
  });
});
