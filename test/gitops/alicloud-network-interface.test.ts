import {
  checkPlans,
  readIgnoreFile,
  readManagedMemberships,
  readPlan,
  readState,
  reportDrift,
  writeGithub,
  writeJson,
  writeText,
} from "../../src/gitops";
import { FakeEcs } from "./facts";
import { planDoc, rc } from "./plans";

// check-plan judges alicloud_ecs_network_interface security_group_ids updates (one
// ModifyNetworkInterfaceAttribute call), and the reports name ENIs in network_interface_id.

const ecs = () =>
  new FakeEcs([{ instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] }], undefined, [
    { networkInterfaceId: "eni-p", type: "Primary", instanceId: "i-1", securityGroupIds: ["sg-a", "sg-b"] },
    { networkInterfaceId: "eni-b", instanceId: "i-1", securityGroupIds: ["sg-a"] },
  ]);

const eni = (id: string | null, groups: string[] | null, more: Record<string, unknown> = {}) => ({
  id,
  vswitch_id: "vsw-1",
  security_group_ids: groups,
  ...more,
});
const eniAtt = (network_interface_id: string, security_group_id: string) => ({
  network_interface_id,
  security_group_id,
  retain_on_delete: false,
  id: `${network_interface_id}:${security_group_id}`,
});
const update = (address: string, before: string[], after: string[]) =>
  rc({ address, actions: ["update"], before: eni("eni-b", before), after: eni("eni-b", after) });

describe("readPlan: alicloud_ecs_network_interface", () => {
  test("reads an update of security_group_ids, keyed by its id", () => {
    const plan = readPlan(planDoc([update("alicloud_ecs_network_interface.t", ["sg-a"], ["sg-b"])]), "p");
    expect(plan.changes).toEqual([
      {
        resource: "alicloud_ecs_network_interface.t",
        label: "alicloud_ecs_network_interface.t",
        kind: "alicloud_ecs_network_interface",
        before: { instanceId: "eni-b", securityGroupIds: ["sg-a"] },
        after: { instanceId: "eni-b", securityGroupIds: ["sg-b"] },
      },
    ]);
  });

  test("leaves out creates, deletes, replacements and updates that keep the same groups", () => {
    const plan = readPlan(
      planDoc([
        rc({
          address: "alicloud_ecs_network_interface.new",
          actions: ["create"],
          after: eni(null, ["sg-a"]),
        }),
        rc({
          address: "alicloud_ecs_network_interface.old",
          actions: ["delete"],
          before: eni("eni-b", ["sg-a"]),
        }),
        rc({
          address: "alicloud_ecs_network_interface.r",
          actions: ["delete", "create"],
          before: eni("eni-b", ["sg-a"]),
          after: eni(null, ["sg-b"]),
        }),
        rc({
          address: "alicloud_ecs_network_interface.renamed",
          actions: ["update"],
          before: eni("eni-b", ["sg-a", "sg-b"], { network_interface_name: "x" }),
          after: eni("eni-b", ["sg-b", "sg-a"], { network_interface_name: "y" }),
        }),
      ]),
      "p",
    );
    expect(plan.changes).toEqual([]);
  });

  test("groups known only at apply are checked at apply", async () => {
    const plan = readPlan(
      planDoc([
        rc({
          address: "alicloud_ecs_network_interface.t",
          actions: ["update"],
          before: eni("eni-b", ["sg-a"]),
          after: eni("eni-b", null),
          afterUnknown: { security_group_ids: true },
        }),
      ]),
      "p",
    );
    const report = await checkPlans([plan], ecs(), 5);
    expect(report.findings).toEqual([]);
    expect(report.checkedAtApply.map((c) => c.label)).toEqual(["alicloud_ecs_network_interface.t"]);
  });
});

describe("check-plan: alicloud_ecs_network_interface", () => {
  test("swapping an ENI's only group is safe (one call replaces the set), and is described as an ENI", async () => {
    const fake = ecs();
    const report = await checkPlans(
      [readPlan(planDoc([update("alicloud_ecs_network_interface.t", ["sg-a"], ["sg-b"])]), "p")],
      fake,
      5,
    );
    expect(report.findings).toEqual([]);
    expect(fake.calls.map((c) => c.action)).toEqual([
      "DescribeNetworkInterfaces",
      "DescribeInstances",
      "DescribeSecurityGroups",
    ]);
    expect(fake.calls[0].ids).toEqual(["eni-b"]);
  });

  test("judged on the ENI's live groups: a listed group it lost since the state was written is set again, and described", async () => {
    // eni-b is in sg-a only; the state says sg-a and sg-c (drift); the new list adds sg-db.
    const fake = ecs();
    const report = await checkPlans(
      [
        readPlan(
          planDoc([update("alicloud_ecs_network_interface.t", ["sg-a", "sg-c"], ["sg-a", "sg-c", "sg-db"])]),
          "p",
        ),
      ],
      fake,
      5,
    );
    expect(report.findings).toEqual([]);
    expect(fake.calls.find((c) => c.action === "DescribeSecurityGroups")?.ids).toEqual([
      "sg-a",
      "sg-b",
      "sg-c",
      "sg-db",
    ]);
    // Over a limit of two on the set after the call (sg-c counts although eni-b lost it).
    const tight = await checkPlans(
      [
        readPlan(
          planDoc([update("alicloud_ecs_network_interface.t", ["sg-a", "sg-c"], ["sg-a", "sg-c", "sg-db"])]),
          "p",
        ),
      ],
      ecs(),
      2,
    );
    expect(tight.findings.map((f) => f.code)).toEqual(["InstanceSecurityGroupLimitExceeded"]);
  });

  test("dropping a protected group is refused", async () => {
    const report = await checkPlans(
      [readPlan(planDoc([update("alicloud_ecs_network_interface.t", ["sg-a"], ["sg-b"])]), "p")],
      ecs(),
      5,
      { protectedSecurityGroupIds: ["sg-a"] },
    );
    expect(report.findings.map((f) => [f.code, f.instanceId, f.securityGroupId])).toEqual([
      ["ProtectedSecurityGroup", "eni-b", "sg-a"],
    ]);
  });

  test("an alisg ENI attachment of the same ENI in another plan is a fight: AlicloudNetworkInterfaceConflict", async () => {
    const report = await checkPlans(
      [
        readPlan(
          planDoc([update("alicloud_ecs_network_interface.t", ["sg-a"], ["sg-a", "sg-b"])]),
          "net.json",
        ),
        readPlan(
          planDoc([
            rc({
              address: "alisg_network_interface_attachment.x",
              actions: ["create"],
              after: eniAtt("eni-b", "sg-c"),
            }),
          ]),
          "sg.json",
        ),
      ],
      ecs(),
      5,
    );
    expect(report.findings).toHaveLength(1);
    const text = writeText(report);
    expect(text).toContain(
      "AlicloudNetworkInterfaceConflict net.json: alicloud_ecs_network_interface.t, sg.json: alisg_network_interface_attachment.x: eni-b's security_group_ids are managed by net.json: alicloud_ecs_network_interface.t and by alisg (sg.json: alisg_network_interface_attachment.x)",
    );
    expect(text).toContain("lifecycle { ignore_changes = [security_group_ids] } to the network interface");
    expect(text).toMatch(/^alisg check-plan: refused: 1 error/m);
    const json = JSON.parse(writeJson(report)) as { findings: Record<string, unknown>[] };
    expect(json.findings[0]).toMatchObject({
      code: "AlicloudNetworkInterfaceConflict",
      instance_id: null,
      network_interface_id: "eni-b",
      security_group_id: null,
    });
    expect(writeGithub(report).commands).toMatch(/^::error title=alisg AlicloudNetworkInterfaceConflict::/m);
  });
});

describe("reports: network_interface_id", () => {
  const judged = (changes: object[]) => checkPlans([readPlan(planDoc(changes), "p")], ecs(), 5);

  test("an instance finding keeps instance_id and has network_interface_id null", async () => {
    const report = await judged([
      rc({
        address: "alisg_attachment.a",
        actions: ["delete"],
        before: { instance_id: "i-1", security_group_id: "sg-a", retain_on_delete: false },
      }),
      rc({
        address: "alisg_attachment.b",
        actions: ["delete"],
        before: { instance_id: "i-1", security_group_id: "sg-b", retain_on_delete: false },
      }),
    ]);
    const [f] = (JSON.parse(writeJson(report)) as { findings: Record<string, unknown>[] }).findings;
    expect(f).toMatchObject({
      code: "InstanceLastSecurityGroup",
      instance_id: "i-1",
      network_interface_id: null,
    });
    expect(Object.keys(f)).toEqual([
      "severity",
      "code",
      "address",
      "addresses",
      "instance_id",
      "network_interface_id",
      "security_group_id",
      "message",
      "fix",
    ]);
    // No ENI: the step-summary table has no network interface column.
    expect(writeGithub(report).summary).toContain(
      "| severity | code | address | instance | group | message |",
    );
  });

  test("a secondary ENI: instance_id null, network_interface_id the ENI; github gets the column", async () => {
    const report = await judged([
      rc({
        address: "alisg_network_interface_attachment.b",
        actions: ["delete"],
        before: eniAtt("eni-b", "sg-a"),
      }),
    ]);
    const [f] = (JSON.parse(writeJson(report)) as { findings: Record<string, unknown>[] }).findings;
    expect(f).toMatchObject({ instance_id: null, network_interface_id: "eni-b", security_group_id: "sg-a" });
    const md = writeGithub(report).summary;
    expect(md).toContain("| severity | code | address | instance | network interface | group | message |");
    expect(md).toContain(
      "| error | `InstanceLastSecurityGroup` | `alisg_network_interface_attachment.b` |  | eni-b | sg-a |",
    );
  });

  test("a primary ENI: its instance and the ENI", async () => {
    const report = await judged([
      rc({
        address: "alisg_attachment.a",
        actions: ["delete"],
        before: { instance_id: "i-1", security_group_id: "sg-a", retain_on_delete: false },
      }),
      rc({
        address: "alisg_network_interface_attachment.p",
        actions: ["delete"],
        before: eniAtt("eni-p", "sg-b"),
      }),
    ]);
    const [f] = (JSON.parse(writeJson(report)) as { findings: Record<string, unknown>[] }).findings;
    expect(f).toMatchObject({ instance_id: "i-1", network_interface_id: "eni-p" });
  });

  test("drift: ENI rows name the ENI (json, text column, github), instance rows as before; ignore takes network_interface_id", async () => {
    const state = readState(
      JSON.stringify({
        format_version: "1.0",
        values: {
          root_module: {
            resources: [
              ["alisg_network_interface_attachment", "b", eniAtt("eni-b", "sg-c")],
              ["alisg_network_interface_attachment", "p", eniAtt("eni-p", "sg-c")],
              ["alisg_attachment", "i", { instance_id: "i-1", security_group_id: "sg-db", id: "i-1:sg-db" }],
            ].map(([type, name, values]) => ({
              address: `${type}.${name}`,
              mode: "managed",
              type,
              name,
              values,
            })),
          },
        },
      }),
      "dir",
    );
    const report = await reportDrift([{ source: "dir", resources: state }], ecs(), [], 5);
    const json = JSON.parse(writeJson(report)) as { drift: Record<string, unknown>[] };
    expect(
      json.drift.map((d) => [d.kind, d.address, d.instance_id, d.network_interface_id, d.security_group_id]),
    ).toEqual([
      ["missing", "alisg_network_interface_attachment.b", null, "eni-b", "sg-c"],
      ["missing", "alisg_network_interface_attachment.p", "i-1", "eni-p", "sg-c"],
      ["missing", "alisg_attachment.i", "i-1", null, "sg-db"],
    ]);
    const text = writeText(report);
    expect(text).toMatch(/^KIND +ADDRESS +INSTANCE +ENI +GROUP$/m);
    expect(text).toMatch(/^missing +alisg_network_interface_attachment\.b +- +eni-b +sg-c$/m);
    expect(text).toMatch(/^missing +alisg_attachment\.i +i-1 +- +sg-db$/m);
    expect(writeGithub(report).summary).toContain(
      "| kind | address | instance | network interface | group | message |",
    );

    const ignore = readIgnoreFile('[{"network_interface_id": "eni-b"}]', "ig.json");
    const quieter = await reportDrift([{ source: "dir", resources: state }], ecs(), ignore, 5);
    expect(quieter.items.map((i) => i.address)).toEqual([
      "alisg_network_interface_attachment.p",
      "alisg_attachment.i",
    ]);
    expect(quieter.ignored).toBe(1);
  });

  test("drift of instances only: the text table has no ENI column", async () => {
    const state = readState(
      JSON.stringify({
        format_version: "1.0",
        values: {
          root_module: {
            resources: [
              {
                address: "alisg_attachment.i",
                mode: "managed",
                type: "alisg_attachment",
                name: "i",
                values: { instance_id: "i-1", security_group_id: "sg-db", id: "i-1:sg-db" },
              },
            ],
          },
        },
      }),
      "dir",
    );
    const report = await reportDrift([{ source: "dir", resources: state }], ecs(), [], 5);
    expect(writeText(report)).toMatch(/^KIND +ADDRESS +INSTANCE +GROUP$/m);
  });
});

describe("readManagedMemberships: alicloud_ecs_network_interface", () => {
  test("each group of its security_group_ids, on its ENI, marked as an ENI", () => {
    const text = JSON.stringify({
      format_version: "1.0",
      values: {
        root_module: {
          resources: [
            {
              address: "alicloud_ecs_network_interface.t",
              mode: "managed",
              type: "alicloud_ecs_network_interface",
              name: "t",
              values: eni("eni-b", ["sg-a", "sg-b"]),
            },
            {
              address: "alicloud_ecs_network_interface.u",
              mode: "managed",
              type: "alicloud_ecs_network_interface",
              name: "u",
              values: eni("eni-u", null),
            },
          ],
        },
      },
    });
    expect(readManagedMemberships(text, "s.json")).toEqual([
      {
        instanceId: "eni-b",
        networkInterface: true,
        securityGroupId: "sg-a",
        manager: "s.json: alicloud_ecs_network_interface.t",
      },
      {
        instanceId: "eni-b",
        networkInterface: true,
        securityGroupId: "sg-b",
        manager: "s.json: alicloud_ecs_network_interface.t",
      },
      { instanceId: "eni-u", networkInterface: true, manager: "s.json: alicloud_ecs_network_interface.u" },
    ]);
  });
});
