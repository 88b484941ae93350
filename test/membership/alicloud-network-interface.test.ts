import { factsNeeded, judgePlan } from "../../src/membership";
import type { Holding, ResourceChange, ResourceKind } from "../../src/membership/resource-change";
import type { Facts, NetworkInterfaceFacts } from "../../src/membership/types";
import { DEFAULT_GROUPS, instance, on } from "./fixtures";

/**
 * `alicloud_ecs_network_interface` updates of `security_group_ids` (check-plan's
 * input): one ModifyNetworkInterfaceAttribute call replaces the ENI's whole set,
 * so there is no moment between a leave and a join, but the whole-plan rules
 * (last group, protected groups, the limit, fights with alisg) still hold.
 */

/** i-1 with its primary ENI eni-p, and a secondary ENI eni-b (in `groups`, limit `max`). */
function facts(groups: string[], max = 5, more: Partial<NetworkInterfaceFacts> = {}): Facts {
  const eniB: NetworkInterfaceFacts = {
    networkInterfaceId: "eni-b",
    type: "Secondary",
    status: "InUse",
    instanceId: "i-1",
    vpcId: "vpc-main",
    securityGroupIds: groups,
    maxSecurityGroups: max,
    ...more,
  };
  const i1 = instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] });
  return {
    instances: new Map([["i-1", i1]]),
    groups: new Map(DEFAULT_GROUPS.map((g) => [g.securityGroupId, g])),
    networkInterfaces: new Map<string, NetworkInterfaceFacts | null>([
      [
        "eni-p",
        { ...eniB, networkInterfaceId: "eni-p", type: "Primary", securityGroupIds: i1.securityGroupIds },
      ],
      ["eni-b", eniB],
    ]),
  };
}

const change = (kind: ResourceKind, name: string, b: Holding | null, a: Holding | null): ResourceChange => ({
  resource: `${kind}.${name}`,
  label: `${kind}.${name}`,
  kind,
  before: b,
  after: a,
});
const alicloudEni = (name: string, b: Holding | null, a: Holding | null) =>
  change("alicloud_ecs_network_interface", name, b, a);

const verdict = (f: Facts, changes: ResourceChange[], protectedSecurityGroupIds: string[] = []) =>
  judgePlan(f, changes, { protectedSecurityGroupIds }).findings.map((x) => `${x.severity} ${x.code}`);

describe("judgePlan: an alicloud_ecs_network_interface replaces the ENI's set in one call", () => {
  test.each<[string, Facts, ResourceChange[], string[], string[]]>([
    [
      "swapping the ENI's only group (no leave-first lapse, unlike alicloud_instance)",
      facts(["sg-web"]),
      [alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-db"))],
      [],
      [],
    ],
    [
      "dropping a protected group",
      facts(["sg-base", "sg-web"]),
      [alicloudEni("tenant", on("eni-b", "sg-base", "sg-web"), on("eni-b", "sg-web"))],
      ["sg-base"],
      ["error ProtectedSecurityGroup"],
    ],
    [
      "adding a protected group",
      facts(["sg-web"]),
      [alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-web", "sg-base"))],
      ["sg-base"],
      [],
    ],
    [
      "an empty list (the ENI would keep no group)",
      facts(["sg-web"]),
      [alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b"))],
      [],
      ["error InstanceLastSecurityGroup"],
    ],
    [
      "an ENI being detached",
      facts(["sg-web"], 5, { status: "Detaching" }),
      [alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-db"))],
      [],
      ["error IncorrectNetworkInterfaceStatus"],
    ],
    [
      "swapping normal groups for enterprise ones in one call (never both types at once)",
      facts(["sg-web", "sg-db"]),
      [alicloudEni("tenant", on("eni-b", "sg-web", "sg-db"), on("eni-b", "sg-ent", "sg-ent2"))],
      [],
      [],
    ],
    [
      "a new list of normal and enterprise groups",
      facts(["sg-web"]),
      [alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-web", "sg-ent"))],
      [],
      ["error InvalidOperation.MultiGroupType"],
    ],
    [
      "a group that does not exist",
      facts(["sg-web"]),
      [alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-web", "sg-nope"))],
      [],
      ["error InvalidSecurityGroupId.NotFound"],
    ],
  ])("%s", (_name, f, changes, protectedIds, expected) => {
    expect(verdict(f, changes, protectedIds)).toEqual(expected);
  });

  test("the limit is judged on the set after the call, not on a moment with both", () => {
    const f = facts(["sg-base", "sg-web", "sg-db", "sg-app", "sg-ops"]);
    const swap = alicloudEni(
      "tenant",
      on("eni-b", "sg-base", "sg-web", "sg-db", "sg-app", "sg-ops"),
      on("eni-b", "sg-base", "sg-web", "sg-db", "sg-app", "sg-new"),
    );
    const withNew: Facts = {
      ...f,
      groups: new Map([
        ...f.groups,
        ["sg-new", { securityGroupId: "sg-new", vpcId: "vpc-main", type: "normal" }],
      ]),
    };
    expect(verdict(withNew, [swap])).toEqual([]);
    const grow = alicloudEni(
      "tenant",
      on("eni-b", "sg-base", "sg-web", "sg-db", "sg-app", "sg-ops"),
      on("eni-b", "sg-base", "sg-web", "sg-db", "sg-app", "sg-ops", "sg-new"),
    );
    const over = judgePlan(withNew, [grow]).findings;
    expect(over.map((x) => x.code)).toEqual(["InstanceSecurityGroupLimitExceeded"]);
    expect(over[0].summary).toMatch(
      /^InstanceSecurityGroupLimitExceeded: joining sg-new could put eni-b in 6/,
    );
  });

  test("a protected group dropped names the ENI, the resource and the fix in security_group_ids", () => {
    const [f] = judgePlan(
      facts(["sg-base", "sg-web"]),
      [alicloudEni("tenant", on("eni-b", "sg-base", "sg-web"), on("eni-b", "sg-web"))],
      { protectedSecurityGroupIds: ["sg-base"] },
    ).findings;
    expect(f).toMatchObject({
      code: "ProtectedSecurityGroup",
      instanceId: "eni-b",
      networkInterfaceId: "eni-b",
      securityGroupId: "sg-base",
      labels: ["alicloud_ecs_network_interface.tenant"],
    });
    expect(f.detail).toContain("keep sg-base in security_group_ids of alicloud_ecs_network_interface.tenant");
  });

  test("a list of both group types is refused with a fix for security_group_ids", () => {
    const [f, ...rest] = judgePlan(facts(["sg-web"]), [
      alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-web", "sg-ent")),
    ]).findings;
    expect(rest).toEqual([]);
    expect(f.summary).toBe(
      "InvalidOperation.MultiGroupType: joining sg-ent could put eni-b in normal and enterprise security groups at once",
    );
    expect(f.detail).toContain(
      "List groups of one type only in security_group_ids of alicloud_ecs_network_interface.tenant",
    );
  });

  test("an empty list is refused with a fix for security_group_ids", () => {
    const [f] = judgePlan(facts(["sg-web"]), [
      alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b")),
    ]).findings;
    expect(f.summary).toBe(
      "InstanceLastSecurityGroup: removing sg-web from eni-b would leave it with no security group",
    );
    expect(f.detail).toMatch(/one call \(ModifyNetworkInterfaceAttribute\)/);
    expect(f.detail).toContain("security_group_ids of alicloud_ecs_network_interface.tenant");
  });

  test("creating, destroying or replacing the ENI declares nothing alisg judges", () => {
    const f = facts(["sg-web"]);
    expect(judgePlan(f, [alicloudEni("new", null, on("eni-b", "sg-db"))]).findings).toEqual([]);
    expect(judgePlan(f, [alicloudEni("gone", on("eni-b", "sg-web"), null)]).findings).toEqual([]);
    const replaced = {
      ...alicloudEni("r", on("eni-b", "sg-web"), on("eni-b")),
      replacement: "delete-first" as const,
    };
    expect(judgePlan(f, [replaced]).findings).toEqual([]);
    // Beside an alisg resource of the same ENI, a created one is no fight either.
    const created = alicloudEni("new", null, on("eni-b", "sg-web"));
    const attach = change("alisg_network_interface_attachment", "a", null, on("eni-b", "sg-db"));
    expect(verdict(f, [created, attach])).toEqual([]);
  });

  test("its ENI is described as an ENI, and the groups it joins", () => {
    const needed = factsNeeded([alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-db"))]);
    expect(needed).toEqual({
      instanceIds: [],
      networkInterfaceIds: ["eni-b"],
      securityGroupIds: ["sg-db"],
    });
  });
});

describe("judgePlan: AlicloudNetworkInterfaceConflict", () => {
  const update = alicloudEni("tenant", on("eni-b", "sg-web"), on("eni-b", "sg-web", "sg-db"));

  test.each<[string, ResourceChange]>([
    [
      "an alisg_network_interface_attachment",
      change("alisg_network_interface_attachment", "a", null, on("eni-b", "sg-app")),
    ],
    [
      "an alisg_network_interface_security_groups",
      change("alisg_network_interface_security_groups", "s", null, on("eni-b", "sg-web", "sg-db")),
    ],
    [
      "an alisg_network_interface_attachment that is not changed (a no-op)",
      change("alisg_network_interface_attachment", "a", on("eni-b", "sg-web"), on("eni-b", "sg-web")),
    ],
  ])("refuses it beside %s of the same ENI", (_name, ours) => {
    const findings = judgePlan(facts(["sg-web"]), [update, ours]).findings;
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: "error",
      code: "AlicloudNetworkInterfaceConflict",
      instanceId: "eni-b",
      networkInterfaceId: "eni-b",
      labels: [ours.label, "alicloud_ecs_network_interface.tenant"].sort(),
    });
    expect(findings[0].summary).toBe(
      `AlicloudNetworkInterfaceConflict: eni-b's security_group_ids are managed by alicloud_ecs_network_interface.tenant and by alisg (${ours.label})`,
    );
    expect(findings[0].detail).toContain(
      "lifecycle { ignore_changes = [security_group_ids] } to the network interface",
    );
    expect(findings[0].detail).toContain("Remove the groups from one side");
  });

  test("refuses two alicloud_ecs_network_interface resources of one ENI", () => {
    const other = alicloudEni("copy", on("eni-b", "sg-web"), on("eni-b", "sg-app"));
    const [f, ...rest] = judgePlan(facts(["sg-web"]), [update, other]).findings;
    expect(rest).toEqual([]);
    expect(f.summary).toBe(
      "AlicloudNetworkInterfaceConflict: eni-b's security_group_ids are managed by 2 alicloud_ecs_network_interface resources (alicloud_ecs_network_interface.copy and alicloud_ecs_network_interface.tenant)",
    );
  });

  test("accepts alisg resources of another ENI, and an instance resource of the ENI's instance", () => {
    const f: Facts = {
      ...facts(["sg-web"]),
      networkInterfaces: new Map([
        ...facts(["sg-web"]).networkInterfaces!,
        ["eni-c", { ...facts(["sg-web"]).networkInterfaces!.get("eni-b")!, networkInterfaceId: "eni-c" }],
      ]),
    };
    const elsewhere = change("alisg_network_interface_attachment", "c", null, on("eni-c", "sg-db"));
    const onInstance = change("alisg_attachment", "i", null, on("i-1", "sg-db"));
    expect(verdict(f, [update, elsewhere, onInstance])).toEqual([]);
  });

  test("warns when an alisg ENI resource whose ENI is known only at apply may land on it", () => {
    const floating = change("alisg_network_interface_attachment", "later", null, on(null, "sg-app"));
    const instanceOne = change("alisg_attachment", "later", null, on(null, "sg-app"));
    const findings = judgePlan(facts(["sg-web"]), [update, floating, instanceOne]).findings;
    expect(findings.map((x) => [x.severity, x.code, x.labels])).toEqual([
      [
        "warning",
        "AlicloudNetworkInterfaceConflict",
        ["alicloud_ecs_network_interface.tenant", "alisg_network_interface_attachment.later"],
      ],
    ]);
  });
});

describe("AlicloudInstanceConflict keeps its code and wording beside the ENI one", () => {
  const vm = (name: string) =>
    change(
      "alicloud_instance",
      name,
      on("i-1", "sg-base", "sg-web"),
      on("i-1", "sg-base", "sg-web", "sg-db"),
    );

  test("two alicloud_instance resources of one instance", () => {
    const [f] = judgePlan(facts(["sg-web"]), [vm("a"), vm("b")]).findings;
    expect(f.summary).toBe(
      "AlicloudInstanceConflict: i-1's security_groups are managed by 2 alicloud_instance resources (alicloud_instance.a and alicloud_instance.b)",
    );
    expect(f.detail).toBe(
      "Each takes its security_groups as the instance's complete list, so they would undo each other on every apply. Keep the instance in one resource (remove the other from the state with `terraform state rm`).",
    );
    expect(f).not.toHaveProperty("networkInterfaceId");
  });

  test("an alicloud_instance beside an alisg attachment of the instance", () => {
    const [f] = judgePlan(facts(["sg-web"]), [
      vm("a"),
      change("alisg_attachment", "x", null, on("i-1", "sg-app")),
    ]).findings;
    expect(f.summary).toBe(
      "AlicloudInstanceConflict: i-1's security_groups are managed by alicloud_instance.a and by alisg (alisg_attachment.x)",
    );
    expect(f.detail).toBe(
      "The alicloud provider treats security_groups as the complete list, so the two would undo each other on every apply. Remove the groups from one side, or add lifecycle { ignore_changes = [security_groups] } to the instance.",
    );
  });
});

describe("findings name the ENI", () => {
  test("an instance attachment and an ENI attachment of its primary ENI: the instance, with the primary ENI", () => {
    const a = change("alisg_attachment", "a", null, on("i-1", "sg-db"));
    const b = change("alisg_network_interface_attachment", "b", null, on("eni-p", "sg-db"));
    const [f] = judgePlan(facts(["sg-web"]), [a, b]).findings;
    expect(f).toMatchObject({ code: "DuplicateAttachment", instanceId: "i-1", networkInterfaceId: "eni-p" });
  });

  test("a finding about an instance named only by instance resources has no ENI", () => {
    const a = change("alisg_attachment", "a", on("i-1", "sg-base"), null);
    const b = change("alisg_attachment", "b", on("i-1", "sg-web"), null);
    const [f] = judgePlan(facts(["sg-web"]), [a, b]).findings;
    expect(f.code).toBe("InstanceLastSecurityGroup");
    expect(f).not.toHaveProperty("networkInterfaceId");
  });

  test("a malformed ENI ID is InvalidEniId.Malformed, naming the ENI", () => {
    const f: Facts = {
      ...facts(["sg-web"]),
      networkInterfaces: new Map([...facts(["sg-web"]).networkInterfaces!, ["eni bad", null]]),
    };
    for (const kind of ["alisg_network_interface_attachment", "alicloud_ecs_network_interface"] as const) {
      const before = kind === "alicloud_ecs_network_interface" ? on("eni bad", "sg-web") : null;
      const [x, ...rest] = judgePlan(f, [
        change(kind, "bad", before, on("eni bad", "sg-web", "sg-db")),
      ]).findings;
      expect(rest).toEqual([]);
      expect(x).toMatchObject({
        code: "InvalidEniId.Malformed",
        instanceId: "eni bad",
        networkInterfaceId: "eni bad",
      });
      expect(x.summary).toBe(
        'InvalidEniId.Malformed: "eni bad" is not a valid network interface ID (it contains whitespace), so it cannot join sg-db',
      );
      expect(x.detail).toMatch(/A network interface ID is letters, digits/);
    }
  });

  test("a malformed instance ID keeps InvalidInstanceId.Malformed", () => {
    const [x] = judgePlan(facts(["sg-web"]), [
      change("alisg_attachment", "bad", null, on("i bad", "sg-db")),
    ]).findings;
    expect(x.summary).toMatch(/^InvalidInstanceId\.Malformed: "i bad" is not a valid instance ID/);
  });
});
