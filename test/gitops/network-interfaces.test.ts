import { checkPlans, readPlan, readState, reportDrift } from "../../src/gitops";
import { FakeEcs } from "./facts";
import { planDoc, rc } from "./plans";

// check-plan and drift cover the ENI resources, with ENI reads batched (DescribeNetworkInterfaces).

const eniAtt = (network_interface_id: string, security_group_id: string) => ({
  network_interface_id,
  security_group_id,
  retain_on_delete: false,
  id: `${network_interface_id}:${security_group_id}`,
});
const instAtt = (instance_id: string, security_group_id: string) => ({
  instance_id,
  security_group_id,
  retain_on_delete: false,
  id: `${instance_id}:${security_group_id}`,
});

const ecs = () =>
  new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] }], undefined, [
    { networkInterfaceId: "eni-p", type: "Primary", instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] },
    { networkInterfaceId: "eni-b", instanceId: "i-1", securityGroupIds: ["sg-a"] },
  ]);

describe("check-plan with ENI resources", () => {
  test("refuses removing a secondary ENI's last group", async () => {
    const plan = planDoc([
      rc({
        address: "alisg_network_interface_attachment.b",
        actions: ["delete"],
        before: eniAtt("eni-b", "sg-a"),
      }),
    ]);
    const report = await checkPlans([readPlan(plan, "p.json")], ecs(), 5);
    expect(report.findings.map((f) => [f.code, f.instanceId])).toEqual([
      ["InstanceLastSecurityGroup", "eni-b"],
    ]);
  });

  test("refuses an instance attachment and a primary-ENI attachment of one pair, across two plans", async () => {
    const fake = ecs();
    const report = await checkPlans(
      [
        readPlan(
          planDoc([
            rc({ address: "alisg_attachment.x", actions: ["create"], after: instAtt("i-1", "sg-c") }),
          ]),
          "a.json",
        ),
        readPlan(
          planDoc([
            rc({
              address: "alisg_network_interface_attachment.y",
              actions: ["create"],
              after: eniAtt("eni-p", "sg-c"),
            }),
          ]),
          "b.json",
        ),
      ],
      fake,
      5,
    );
    expect(report.findings.map((f) => f.code)).toEqual(["DuplicateAttachment"]);
    expect(fake.calls.filter((c) => c.action === "DescribeNetworkInterfaces")).toEqual([
      { action: "DescribeNetworkInterfaces", ids: ["eni-p"] },
    ]);
  });

  test("removals through the instance and its primary ENI count together", async () => {
    const plan = planDoc([
      rc({ address: "alisg_attachment.a", actions: ["delete"], before: instAtt("i-1", "sg-a") }),
      rc({
        address: "alisg_network_interface_attachment.b",
        actions: ["delete"],
        before: eniAtt("eni-p", "sg-b"),
      }),
    ]);
    const report = await checkPlans([readPlan(plan, "p.json")], ecs(), 5);
    expect(report.findings.map((f) => f.code)).toEqual(["InstanceLastSecurityGroup"]);
  });
});

describe("drift with ENI resources", () => {
  const state = (resources: object[]) =>
    readState(
      JSON.stringify({
        format_version: "1.0",
        terraform_version: "1.11.4",
        values: { root_module: { resources } },
      }),
      "dir",
    );
  const resource = (type: string, name: string, values: object) => ({
    address: `${type}.${name}`,
    mode: "managed",
    type,
    name,
    values,
  });

  test("reports a missing ENI membership and an unlisted group of an ENI set, with one DescribeNetworkInterfaces", async () => {
    const fake = ecs();
    const report = await reportDrift(
      [
        {
          source: "dir",
          resources: state([
            resource("alisg_network_interface_attachment", "b", eniAtt("eni-b", "sg-c")),
            resource("alisg_network_interface_security_groups", "p", {
              id: "eni-p",
              network_interface_id: "eni-p",
              security_group_ids: ["sg-a"],
            }),
          ]),
        },
      ],
      fake,
      [],
      5,
    );
    expect(report.items.map((i) => [i.kind, i.address, i.securityGroupId])).toEqual([
      ["missing", "alisg_network_interface_attachment.b", "sg-c"],
      ["extra", "alisg_network_interface_security_groups.p", "sg-b"],
    ]);
    expect(fake.calls.filter((c) => c.action === "DescribeNetworkInterfaces")).toHaveLength(1);
  });

  test("an ENI that no longer exists is reported gone", async () => {
    const report = await reportDrift(
      [
        {
          source: "dir",
          resources: state([resource("alisg_network_interface_attachment", "g", eniAtt("eni-gone", "sg-a"))]),
        },
      ],
      ecs(),
      [],
      5,
    );
    expect(report.items.map((i) => [i.kind, i.instanceId])).toEqual([["instance_gone", "eni-gone"]]);
  });
});
