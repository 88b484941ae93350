import { planAdoption, resourceNames, type ManagedMembership } from "../../../src/gitops";
import { eni, estate, group, instance, selection } from "./fixtures";

const world = () =>
  estate(
    [
      instance("i-b", ["sg-web", "sg-base"]),
      instance("i-a", ["sg-base"]),
      instance("i-stopping", ["sg-base"], { status: "Stopping" }),
      instance("i-locked", ["sg-base"], { lockReasons: ["security", "financial"] }),
      instance("i-financial", ["sg-base"], { lockReasons: ["financial"] }),
    ],
    [group("sg-base", "baseline"), group("sg-web")],
  );

const byName = (a: ReturnType<typeof planAdoption>) =>
  a.resources.map((r) => [r.name, r.importId, r.securityGroupIds.join(",")]);

describe("planAdoption", () => {
  test("attachments: one per pair, sorted by instance then group, named and imported by the IDs", () => {
    const a = planAdoption(world(), "attachment", [], selection(), "cn-hangzhou");
    expect(byName(a)).toEqual([
      ["i-a_sg-base", "i-a:sg-base", "sg-base"],
      ["i-b_sg-base", "i-b:sg-base", "sg-base"],
      ["i-b_sg-web", "i-b:sg-web", "sg-web"],
      ["i-financial_sg-base", "i-financial:sg-base", "sg-base"],
      ["i-locked_sg-base", "i-locked:sg-base", "sg-base"],
      ["i-stopping_sg-base", "i-stopping:sg-base", "sg-base"],
    ]);
    expect(new Set(a.resources.map((r) => r.type))).toEqual(new Set(["alisg_attachment"]));
    expect([...a.groupNames]).toEqual([["sg-base", "baseline"]]);
    expect(a.leftOut).toEqual([]);
  });

  test("an alicloud_ecs_network_interface's groups are its ENI's: an instance with the same ID is still adopted", () => {
    const managed: ManagedMembership[] = [
      { instanceId: "i-b", networkInterface: true, manager: "s.json: alicloud_ecs_network_interface.b" },
      {
        instanceId: "i-a",
        networkInterface: true,
        securityGroupId: "sg-base",
        manager: "s.json: alicloud_ecs_network_interface.a",
      },
    ];
    for (const kind of ["attachment", "set"] as const) {
      const a = planAdoption(world(), kind, managed, selection(), "r");
      expect(a.leftOut).toEqual([]);
      expect(a.resources.map((r) => r.importId)).toEqual(
        planAdoption(world(), kind, [], selection(), "r").resources.map((r) => r.importId),
      );
    }
  });

  test("sets: one per instance with all its groups, imported by the instance ID", () => {
    const a = planAdoption(world(), "set", [], selection(), "cn-hangzhou");
    expect(byName(a)[1]).toEqual(["i-b", "i-b", "sg-base,sg-web"]);
    expect(a.resources).toHaveLength(5);
    expect(a.resources[0].type).toBe("alisg_instance_security_groups");
  });

  test("instances that are not Running/Stopped or are security-locked are adopted, with the reason a later change would be refused", () => {
    const a = planAdoption(world(), "set", [], selection(), "cn-hangzhou");
    const cautions = Object.fromEntries(a.resources.map((r) => [r.memberId, r.cautions.map((c) => c.code)]));
    expect(cautions).toEqual({
      "i-a": [],
      "i-b": [],
      "i-financial": [],
      "i-locked": ["InstanceLockedForSecurity"],
      "i-stopping": ["IncorrectInstanceStatus"],
    });
    const stopping = a.resources.find((r) => r.memberId === "i-stopping")!;
    expect(stopping.cautions[0].message).toBe(
      "i-stopping is Stopping: importing changes nothing, but a later change to its groups would be refused (IncorrectInstanceStatus) until it is Running or Stopped",
    );
  });

  test("the result does not depend on the order ECS answered in", () => {
    const e = world();
    const reversed = {
      ...e,
      instances: [...e.instances]
        .reverse()
        .map((i) => ({ ...i, securityGroupIds: [...i.securityGroupIds].reverse() })),
    };
    expect(planAdoption(reversed, "attachment", [], selection(), "r").resources).toEqual(
      planAdoption(e, "attachment", [], selection(), "r").resources,
    );
  });

  describe("memberships already managed (--exclude-state)", () => {
    const managed: ManagedMembership[] = [
      { instanceId: "i-b", securityGroupId: "sg-web", manager: "s.json: alicloud_instance.b" },
      { instanceId: "i-a", manager: "s.json: alisg_instance_security_groups.a" },
    ];

    test("attachments: the managed pairs are left out, every pair of an instance under a set too", () => {
      const a = planAdoption(world(), "attachment", managed, selection(), "r");
      expect(a.resources.map((r) => r.importId)).toEqual([
        "i-b:sg-base",
        "i-financial:sg-base",
        "i-locked:sg-base",
        "i-stopping:sg-base",
      ]);
      expect(a.leftOut).toEqual([
        {
          member: "instance",
          memberId: "i-a",
          securityGroupIds: ["sg-base"],
          reason: "already managed by s.json: alisg_instance_security_groups.a",
        },
        {
          member: "instance",
          memberId: "i-b",
          securityGroupIds: ["sg-web"],
          reason: "already managed by s.json: alicloud_instance.b",
        },
      ]);
      expect(a.instances.map((i) => i.instanceId)).toEqual(["i-b", "i-financial", "i-locked", "i-stopping"]);
    });

    test("sets: an instance with any managed membership is left out whole (a set next to it would fight it)", () => {
      const a = planAdoption(world(), "set", managed, selection(), "r");
      expect(a.resources.map((r) => r.memberId)).toEqual(["i-financial", "i-locked", "i-stopping"]);
      expect(a.leftOut.map((l) => [l.memberId, l.securityGroupIds, l.reason])).toEqual([
        [
          "i-a",
          ["sg-base"],
          "already managed by s.json: alisg_instance_security_groups.a; an authoritative set next to it would fight it",
        ],
        [
          "i-b",
          ["sg-base", "sg-web"],
          "already managed by s.json: alicloud_instance.b; an authoritative set next to it would fight it",
        ],
      ]);
    });
  });

  test("an instance in no group, or with an ID alisg cannot manage, is left out with the reason", () => {
    const e = estate([instance("i-empty", []), instance("i-odd", ["sg:x"]), instance("i-ok", ["sg-a"])]);
    const a = planAdoption(e, "attachment", [], selection(), "r");
    expect(a.resources.map((r) => r.importId)).toEqual(["i-ok:sg-a"]);
    expect(a.leftOut.map((l) => [l.memberId, l.reason])).toEqual([
      ["i-empty", "it is in no security group"],
      ["i-odd", "an ID is not one alisg can manage (1 to 64 of A-Z a-z 0-9 - _)"],
    ]);
  });
});

describe("planAdoption of network interfaces", () => {
  const enis = () =>
    estate(
      [instance("i-a", ["sg-base"])],
      [group("sg-base", "baseline"), group("sg-tenant")],
      [
        eni("eni-b", ["sg-tenant", "sg-base"]),
        eni("eni-a", ["sg-tenant"], { status: "Available", instanceId: null }),
        eni("eni-primary", ["sg-base"], { type: "Primary", instanceId: "i-a" }),
        eni("eni-detaching", ["sg-base"], { status: "Detaching" }),
      ],
    );

  test("attachments: one alisg_network_interface_attachment per pair, after the instances', imported by <eni>:<sg>", () => {
    const a = planAdoption(enis(), "attachment", [], selection(), "r");
    expect(a.resources.map((r) => [r.type, r.name, r.importId])).toEqual([
      ["alisg_attachment", "i-a_sg-base", "i-a:sg-base"],
      ["alisg_network_interface_attachment", "eni-a_sg-tenant", "eni-a:sg-tenant"],
      ["alisg_network_interface_attachment", "eni-b_sg-base", "eni-b:sg-base"],
      ["alisg_network_interface_attachment", "eni-b_sg-tenant", "eni-b:sg-tenant"],
      ["alisg_network_interface_attachment", "eni-detaching_sg-base", "eni-detaching:sg-base"],
    ]);
    expect(a.networkInterfaces.map((e) => e.networkInterfaceId)).toEqual(["eni-a", "eni-b", "eni-detaching"]);
  });

  test("sets: one alisg_network_interface_security_groups per ENI, imported by the ENI ID", () => {
    const a = planAdoption(enis(), "set", [], selection(), "r");
    expect(
      a.resources
        .filter((r) => r.member === "networkInterface")
        .map((r) => [r.type, r.importId, r.securityGroupIds]),
    ).toEqual([
      ["alisg_network_interface_security_groups", "eni-a", ["sg-tenant"]],
      ["alisg_network_interface_security_groups", "eni-b", ["sg-base", "sg-tenant"]],
      ["alisg_network_interface_security_groups", "eni-detaching", ["sg-base"]],
    ]);
  });

  test("a primary ENI is left out (its groups are its instance's): never an ENI resource next to the instance's", () => {
    for (const kind of ["attachment", "set"] as const) {
      const a = planAdoption(enis(), kind, [], selection(), "r");
      expect(a.resources.some((r) => r.memberId === "eni-primary")).toBe(false);
      expect(a.leftOut).toEqual([
        {
          member: "networkInterface",
          memberId: "eni-primary",
          securityGroupIds: ["sg-base"],
          reason:
            "a primary ENI: its groups are those of i-a; adopt them with --instance-id i-a (an ENI resource next to the instance's would be refused)",
        },
      ]);
    }
  });

  test("an ENI that is not InUse/Available is adopted, with the reason a later change would be refused", () => {
    const a = planAdoption(enis(), "set", [], selection(), "r");
    const cautions = Object.fromEntries(a.resources.map((r) => [r.memberId, r.cautions.map((c) => c.code)]));
    expect(cautions).toEqual({
      "i-a": [],
      "eni-a": [],
      "eni-b": [],
      "eni-detaching": ["IncorrectNetworkInterfaceStatus"],
    });
  });

  test("--exclude-state: a primary ENI's resource manages its instance's memberships; a secondary ENI's does not", () => {
    const e = estate(
      [instance("i-a", ["sg-base", "sg-web"]), instance("i-b", ["sg-base", "sg-web"])],
      [group("sg-base"), group("sg-web")],
      [],
      [],
      [
        eni("eni-pa", ["sg-base", "sg-web"], { type: "Primary", instanceId: "i-a" }),
        eni("eni-sb", ["sg-web"], { instanceId: "i-b" }),
      ],
    );
    const managed = [
      {
        instanceId: "eni-pa",
        networkInterface: true as const,
        securityGroupId: "sg-web",
        manager: "s.json: alisg_network_interface_attachment.pa",
      },
      {
        instanceId: "eni-sb",
        networkInterface: true as const,
        securityGroupId: "sg-web",
        manager: "s.json: alisg_network_interface_attachment.sb",
      },
    ];
    const a = planAdoption(e, "attachment", managed, selection(), "r");
    expect(a.resources.map((r) => r.importId)).toEqual(["i-a:sg-base", "i-b:sg-base", "i-b:sg-web"]);
    expect(a.leftOut).toEqual([
      {
        member: "instance",
        memberId: "i-a",
        securityGroupIds: ["sg-web"],
        reason: "already managed by s.json: alisg_network_interface_attachment.pa",
      },
    ]);
    // A set next to it would fight it: the whole instance is left out.
    const sets = planAdoption(e, "set", managed, selection(), "r");
    expect(sets.resources.map((r) => r.importId)).toEqual(["i-b"]);
    expect(sets.leftOut.map((l) => [l.memberId, l.reason])).toEqual([
      [
        "i-a",
        "already managed by s.json: alisg_network_interface_attachment.pa; an authoritative set next to it would fight it",
      ],
    ]);
  });

  test("an ENI attached to an instance that is not Running/Stopped, or is security-locked, is adopted with that caution", () => {
    const e = estate(
      [],
      [group("sg-tenant")],
      [
        eni("eni-starting", ["sg-tenant"], { instanceId: "i-starting" }),
        eni("eni-locked", ["sg-tenant"], { instanceId: "i-locked", status: "Detaching" }),
        eni("eni-fine", ["sg-tenant"], { instanceId: "i-fine" }),
        eni("eni-lost", ["sg-tenant"], { instanceId: "i-gone" }),
      ],
      [
        instance("i-starting", [], { status: "Starting" }),
        instance("i-locked", [], { status: "Stopped", lockReasons: ["security"] }),
        instance("i-fine", [], { status: "Stopped", lockReasons: ["financial"] }),
      ],
    );
    const a = planAdoption(e, "attachment", [], selection(), "r");
    const cautions = Object.fromEntries(a.resources.map((r) => [r.memberId, r.cautions]));
    expect(cautions["eni-starting"]).toEqual([
      {
        code: "IncorrectInstanceStatus",
        message:
          "eni-starting is attached to i-starting, which is Starting: importing changes nothing, but a later change to the ENI's groups would be refused (IncorrectInstanceStatus) until i-starting is Running or Stopped",
      },
    ]);
    expect(cautions["eni-locked"].map((c) => c.code)).toEqual([
      "IncorrectNetworkInterfaceStatus",
      "InstanceLockedForSecurity",
    ]);
    expect(cautions["eni-locked"][1].message).toBe(
      "eni-locked is attached to i-locked, which is locked for security: importing changes nothing, but a later change to the ENI's groups would be refused (InstanceLockedForSecurity) until the lock is lifted",
    );
    expect(cautions["eni-fine"]).toEqual([]);
    expect(cautions["eni-lost"]).toEqual([]);
  });

  test("--exclude-state: ENI memberships already managed are left out; an instance's are not an ENI's", () => {
    const managed: ManagedMembership[] = [
      {
        instanceId: "eni-b",
        networkInterface: true,
        securityGroupId: "sg-tenant",
        manager: "s.json: alisg_network_interface_attachment.b",
      },
      { instanceId: "eni-a", networkInterface: true, manager: "s.json: alicloud_ecs_network_interface.a" },
      { instanceId: "eni-detaching", securityGroupId: "sg-base", manager: "s.json: alisg_attachment.x" },
    ];
    const a = planAdoption(enis(), "attachment", managed, selection(), "r");
    expect(a.resources.map((r) => r.importId)).toEqual([
      "i-a:sg-base",
      "eni-b:sg-base",
      "eni-detaching:sg-base",
    ]);
    expect(a.leftOut.map((l) => [l.memberId, l.securityGroupIds, l.reason])).toEqual([
      ["eni-primary", ["sg-base"], expect.stringContaining("a primary ENI") as unknown],
      ["eni-a", ["sg-tenant"], "already managed by s.json: alicloud_ecs_network_interface.a"],
      ["eni-b", ["sg-tenant"], "already managed by s.json: alisg_network_interface_attachment.b"],
    ]);
    const sets = planAdoption(enis(), "set", managed, selection(), "r");
    expect(sets.resources.map((r) => r.importId)).toEqual(["i-a", "eni-detaching"]);
  });
});

describe("resourceNames", () => {
  test("joins the IDs with _, which Terraform names and cdktf construct IDs both keep", () => {
    expect(resourceNames([["i-bp1abc", "sg-bp1web"], ["i-bp1abc"]])).toEqual([
      "i-bp1abc_sg-bp1web",
      "i-bp1abc",
    ]);
  });

  test("a name must start with a letter or _", () => {
    expect(resourceNames([["9i", "sg-1"], ["-x"]])).toEqual(["_9i_sg-1", "_-x"]);
  });

  test("keys that would collide (only possible with _ inside IDs) both get a stable hash suffix", () => {
    const names = resourceNames([
      ["i_a", "b"],
      ["i", "a_b"],
      ["i-c", "d"],
    ]);
    expect(names[2]).toBe("i-c_d");
    expect(names[0]).toMatch(/^i_a_b_[0-9a-f]{8}$/);
    expect(names[1]).toMatch(/^i_a_b_[0-9a-f]{8}$/);
    expect(names[0]).not.toBe(names[1]);
    expect(
      resourceNames([
        ["i", "a_b"],
        ["i_a", "b"],
      ]),
    ).toEqual([names[1], names[0]]);
  });
});
