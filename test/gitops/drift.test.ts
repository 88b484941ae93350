import { compareDrift, type StateResource } from "../../src/gitops";
import { group, instance, world } from "../membership/fixtures";

const attachment = (address: string, instanceId: string, g: string, source = "dir"): StateResource => ({
  source,
  address,
  kind: "alisg_attachment",
  instanceId,
  securityGroupIds: [g],
});
const set = (address: string, instanceId: string, groups: string[]): StateResource => ({
  source: "dir",
  address,
  kind: "alisg_instance_security_groups",
  instanceId,
  securityGroupIds: groups,
});

describe("drift comparison", () => {
  test("no drift when every declared membership holds", () => {
    const facts = world([
      instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] }),
      instance("i-2", { securityGroupIds: ["sg-base", "sg-web"] }),
    ]);
    const r = compareDrift(
      [
        attachment("alisg_attachment.web", "i-1", "sg-web"),
        set("alisg_instance_security_groups.x", "i-2", ["sg-base", "sg-web"]),
      ],
      facts,
    );
    expect(r.items).toEqual([]);
  });

  test("state that no plan can pass is blocked, although ECS matches it: one pair held by two attachments", () => {
    // E.g. after `terraform apply -target` handed i-1:sg-web from one attachment to another.
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] })]);
    const r = compareDrift(
      [attachment("alisg_attachment.a", "i-1", "sg-web"), attachment("alisg_attachment.b", "i-1", "sg-web")],
      facts,
    );
    expect(r.items.map((i) => [i.kind, i.address, i.securityGroupId])).toEqual([
      ["blocked", "alisg_attachment.a", "sg-web"],
      ["blocked", "alisg_attachment.b", "sg-web"],
    ]);
    expect(r.items[0].message).toMatch(/^every plan that keeps this state is refused: DuplicateAttachment: /);
  });

  test("groups a failed apply left pending are extra: the next apply settles them", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web", "sg-db"] })]);
    const r = compareDrift(
      [{ ...attachment("alisg_attachment.web", "i-1", "sg-web"), pending: ["sg-db"] }],
      facts,
    );
    expect(r.items.map((i) => [i.kind, i.securityGroupId])).toEqual([["extra", "sg-db"]]);
    expect(r.items[0].message).toMatch(
      /joined in an apply that failed half-way .*: the next apply leaves it/,
    );
  });

  test("a deposed object that still holds its group is extra: the next apply leaves it", () => {
    const facts = world([
      instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] }),
      instance("i-2", { securityGroupIds: ["sg-base", "sg-web"] }),
    ]);
    const r = compareDrift(
      [
        attachment("alisg_attachment.web", "i-2", "sg-web"),
        { ...attachment("alisg_attachment.web", "i-1", "sg-web"), deposed: "00aa11bb" },
      ],
      facts,
    );
    expect(r.items.map((i) => [i.kind, i.address, i.instanceId, i.securityGroupId])).toEqual([
      ["extra", "alisg_attachment.web (deposed 00aa11bb)", "i-1", "sg-web"],
    ]);
  });

  test("a membership left out of band is missing: the next apply joins it again", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base"] })]);
    const r = compareDrift([attachment("alisg_attachment.web", "i-1", "sg-web")], facts);
    expect(r.items).toEqual([
      {
        kind: "missing",
        source: "dir",
        address: "alisg_attachment.web",
        instanceId: "i-1",
        securityGroupId: "sg-web",
        message: "i-1 is not in sg-web any more: the next apply joins it again",
      },
    ]);
  });

  test("a group not listed by an authoritative set is extra; attachments are additive, so not there", () => {
    const facts = world([
      instance("i-1", { securityGroupIds: ["sg-base", "sg-ops"] }),
      instance("i-2", { securityGroupIds: ["sg-base", "sg-ops"] }),
    ]);
    const r = compareDrift(
      [
        set("alisg_instance_security_groups.one", "i-1", ["sg-base"]),
        attachment("alisg_attachment.two", "i-2", "sg-base"),
      ],
      facts,
    );
    expect(r.items.map((i) => [i.kind, i.address, i.securityGroupId])).toEqual([
      ["extra", "alisg_instance_security_groups.one", "sg-ops"],
    ]);
  });

  test("instances and groups deleted out of band are instance_gone and group_gone", () => {
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base"] })], [group("sg-base")]);
    const r = compareDrift(
      [
        attachment("alisg_attachment.a", "i-9", "sg-base"),
        attachment("alisg_attachment.b", "i-1", "sg-gone"),
      ],
      facts,
    );
    expect(r.items.map((i) => [i.kind, i.instanceId, i.securityGroupId])).toEqual([
      ["instance_gone", "i-9", "sg-base"],
      ["group_gone", "i-1", "sg-gone"],
    ]);
  });

  test.each([
    ["Stopping", [], "IncorrectInstanceStatus"],
    ["Running", ["security"], "InstanceLockedForSecurity"],
  ])(
    "drift on an instance that is %s with locks %j is blocked, with the reason",
    (status, lockReasons, code) => {
      const facts = world([
        instance("i-1", { status, lockReasons, securityGroupIds: ["sg-base", "sg-ops"] }),
      ]);
      const r = compareDrift([attachment("alisg_attachment.web", "i-1", "sg-web")], facts);
      expect(r.items).toHaveLength(1);
      expect(r.items[0].kind).toBe("blocked");
      expect(r.items[0].message).toMatch(
        new RegExp(`i-1 is not in sg-web, and the next apply cannot correct it: ${code}: `),
      );
    },
  );

  test("an extra group that the next apply could not leave without emptying the instance is blocked", () => {
    // The set lists only a group that is missing and cannot be joined (another VPC).
    const facts = world([instance("i-1", { securityGroupIds: ["sg-base"] })]);
    const r = compareDrift([set("alisg_instance_security_groups.s", "i-1", ["sg-far"])], facts);
    expect(r.items.map((i) => i.kind)).toEqual(["blocked", "blocked"]);
    expect(r.items[0].message).toMatch(/InvalidInstanceId\.Mismatch/);
  });

  test("drift on a healthy instance stays correctable", () => {
    const facts = world([
      instance("i-1", { securityGroupIds: ["sg-base"] }),
      instance("i-2", { status: "Stopping", securityGroupIds: ["sg-base"] }),
    ]);
    const r = compareDrift(
      [attachment("alisg_attachment.a", "i-1", "sg-web"), attachment("alisg_attachment.b", "i-2", "sg-base")],
      facts,
    );
    expect(r.items.map((i) => i.kind)).toEqual(["missing"]);
  });

  test("the ignore list leaves known drift out and counts it", () => {
    const facts = world([
      instance("i-1", { securityGroupIds: ["sg-base"] }),
      instance("i-2", { securityGroupIds: ["sg-base"] }),
    ]);
    const state = [
      attachment("alisg_attachment.a", "i-1", "sg-web"),
      attachment("alisg_attachment.b", "i-1", "sg-db"),
      attachment("alisg_attachment.c", "i-2", "sg-web"),
    ];
    const r = compareDrift(state, facts, [
      { instanceId: "i-1", securityGroupId: "sg-web" },
      { instanceId: "i-2" },
    ]);
    expect(r.items.map((i) => i.address)).toEqual(["alisg_attachment.b"]);
    expect(r.ignored).toBe(2);
  });

  describe("with protected groups", () => {
    const baseline = { protectedSecurityGroupIds: ["sg-ops"] };

    test("a correction that would leave a protected group is blocked, with the reason", () => {
      // sg-ops joined out of band; the set does not list it, so the next apply would leave it.
      const facts = world([instance("i-1", { securityGroupIds: ["sg-base", "sg-ops"] })]);
      const state = [set("alisg_instance_security_groups.one", "i-1", ["sg-base"])];
      expect(compareDrift(state, facts).items.map((i) => i.kind)).toEqual(["extra"]);
      const r = compareDrift(state, facts, [], baseline);
      expect(r.items).toEqual([
        expect.objectContaining({
          kind: "blocked",
          address: "alisg_instance_security_groups.one",
          instanceId: "i-1",
          securityGroupId: "sg-ops",
        }),
      ]);
      expect(r.items[0].message).toBe(
        "i-1 is in sg-ops, which alisg_instance_security_groups.one does not declare, and the next apply cannot correct it: ProtectedSecurityGroup: alisg_instance_security_groups.one would remove protected security group sg-ops from i-1",
      );
    });

    test("a deposed object holding a protected group is blocked: deleting it would leave the group", () => {
      const facts = world([
        instance("i-1", { securityGroupIds: ["sg-base", "sg-ops"] }),
        instance("i-2", { securityGroupIds: ["sg-base", "sg-ops"] }),
      ]);
      const r = compareDrift(
        [
          attachment("alisg_attachment.ops", "i-2", "sg-ops"),
          { ...attachment("alisg_attachment.ops", "i-1", "sg-ops"), deposed: "00aa11bb" },
        ],
        facts,
        [],
        baseline,
      );
      expect(r.items.map((i) => [i.kind, i.address, i.instanceId])).toEqual([
        ["blocked", "alisg_attachment.ops (deposed 00aa11bb)", "i-1"],
      ]);
      expect(r.items[0].message).toContain("ProtectedSecurityGroup: ");
    });

    test("a protected membership that is missing stays correctable: joining is always allowed", () => {
      const facts = world([instance("i-1", { securityGroupIds: ["sg-base"] })]);
      const r = compareDrift([attachment("alisg_attachment.ops", "i-1", "sg-ops")], facts, [], baseline);
      expect(r.items.map((i) => i.kind)).toEqual(["missing"]);
    });
  });
});
