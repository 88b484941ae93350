import { factsNeeded, judgePlan, planMembership } from "../../src/membership";
import type { Holding, ResourceChange, ResourceKind } from "../../src/membership/resource-change";
import type { Facts, NetworkInterfaceFacts } from "../../src/membership/types";
import { DEFAULT_GROUPS, instance, join, leave, move } from "./fixtures";

/**
 * The subject of a membership is an instance or an ENI: every rule and
 * whole-plan judgment applies to ENIs, and an instance and its primary ENI
 * are one subject.
 */

function eni(
  networkInterfaceId: string,
  over: Partial<Omit<NetworkInterfaceFacts, "networkInterfaceId">> = {},
): NetworkInterfaceFacts {
  return {
    networkInterfaceId,
    type: "Secondary",
    status: "InUse",
    instanceId: "i-1",
    vpcId: "vpc-main",
    securityGroupIds: ["sg-base"],
    maxSecurityGroups: 5,
    ...over,
  };
}

/** i-1 (Running, in sg-base and sg-web, unless `over`), its primary ENI eni-p, and `enis`. */
function facts(
  enis: (NetworkInterfaceFacts | [string, null])[] = [],
  over: Parameters<typeof instance>[1] = {},
): Facts {
  const i1 = instance("i-1", { securityGroupIds: ["sg-base", "sg-web"], ...over });
  const primary = eni("eni-p", { type: "Primary", securityGroupIds: i1.securityGroupIds });
  return {
    instances: new Map([["i-1", i1]]),
    groups: new Map(DEFAULT_GROUPS.map((g) => [g.securityGroupId, g])),
    networkInterfaces: new Map<string, NetworkInterfaceFacts | null>([
      ["eni-p", primary],
      ...enis.map((e): [string, NetworkInterfaceFacts | null] =>
        Array.isArray(e) ? e : [e.networkInterfaceId, e],
      ),
    ]),
  };
}

const on = (id: string | null, ...securityGroupIds: string[]): Holding => ({
  instanceId: id,
  securityGroupIds,
});
const change = (
  kind: ResourceKind,
  name: string,
  before: Holding | null,
  after: Holding | null,
): ResourceChange => ({
  resource: `${kind}.${name}`,
  label: `${kind}.${name}`,
  kind,
  before,
  after,
});
const eniAttachment = (name: string, b: Holding | null, a: Holding | null) =>
  change("alisg_network_interface_attachment", name, b, a);
const eniSet = (name: string, b: Holding | null, a: Holding | null) =>
  change("alisg_network_interface_security_groups", name, b, a);
const attachment = (name: string, b: Holding | null, a: Holding | null) =>
  change("alisg_attachment", name, b, a);
const instanceSet = (name: string, b: Holding | null, a: Holding | null) =>
  change("alisg_instance_security_groups", name, b, a);

const codes = (f: Facts, changes: ResourceChange[]) =>
  judgePlan(f, changes)
    .findings.map((x) => `${x.severity} ${x.code}`)
    .sort();

describe("planMembership: the rules on an ENI", () => {
  const refusedCodes = (f: Facts, changes: Parameters<typeof planMembership>[1]) =>
    planMembership(f, changes).flatMap((p) => p.refusals.map((r) => r.code));

  test.each([
    ["joins a secondary ENI to a group with room", [eni("eni-b")], [join("eni-b", "sg-web")], []],
    [
      "leaves one of two groups of an ENI",
      [eni("eni-b", { securityGroupIds: ["sg-base", "sg-web"] })],
      [leave("eni-b", "sg-web")],
      [],
    ],
    ["moves an ENI's only group (join first)", [eni("eni-b")], [move("eni-b", "sg-base", "sg-db")], []],
    [
      "changes a detached (Available) ENI",
      [eni("eni-b", { instanceId: null, status: "Available" })],
      [join("eni-b", "sg-web")],
      [],
    ],
    [
      "refuses to leave an ENI's last group",
      [eni("eni-b")],
      [leave("eni-b", "sg-base")],
      ["InstanceLastSecurityGroup"],
    ],
    [
      "refuses a group over the ENI's limit",
      [eni("eni-b", { securityGroupIds: ["sg-base", "sg-web"], maxSecurityGroups: 2 })],
      [join("eni-b", "sg-db")],
      ["InstanceSecurityGroupLimitExceeded"],
    ],
    [
      "refuses a group in another VPC",
      [eni("eni-b")],
      [join("eni-b", "sg-far")],
      ["InvalidInstanceId.Mismatch"],
    ],
    [
      "refuses mixing normal and enterprise groups on an ENI",
      [eni("eni-b")],
      [join("eni-b", "sg-ent")],
      ["InvalidOperation.MultiGroupType"],
    ],
    [
      "refuses a group that does not exist",
      [eni("eni-b")],
      [join("eni-b", "sg-nope")],
      ["InvalidSecurityGroupId.NotFound"],
    ],
    [
      "refuses an ENI that does not exist",
      [["eni-gone", null] as [string, null]],
      [join("eni-gone", "sg-web")],
      ["InvalidEniId.NotFound"],
    ],
    [
      "refuses an ENI being attached",
      [eni("eni-b", { status: "Attaching" })],
      [join("eni-b", "sg-web")],
      ["IncorrectNetworkInterfaceStatus"],
    ],
    [
      "refuses an ENI being detached",
      [eni("eni-b", { status: "Detaching", securityGroupIds: ["sg-base", "sg-web"] })],
      [leave("eni-b", "sg-web")],
      ["IncorrectNetworkInterfaceStatus"],
    ],
    [
      "refuses an ENI being created",
      [eni("eni-b", { instanceId: null, status: "Creating" })],
      [join("eni-b", "sg-web")],
      ["IncorrectNetworkInterfaceStatus"],
    ],
    [
      "refuses an ENI being deleted",
      [eni("eni-b", { instanceId: null, status: "Deleting" })],
      [join("eni-b", "sg-web")],
      ["IncorrectNetworkInterfaceStatus"],
    ],
    [
      "adopts a group the ENI is in whatever its status (no call)",
      [eni("eni-b", { status: "Attaching" })],
      [join("eni-b", "sg-base")],
      [],
    ],
  ] as const)("%s", (_name, enis, changes, expected) => {
    expect(refusedCodes(facts([...enis]), [...changes])).toEqual(expected);
  });

  test("names the ENI's group type rule and the ENI's own API in a mixed-type refusal", () => {
    const [plan] = planMembership(facts([eni("eni-b")]), [join("eni-b", "sg-ent")]);
    expect(plan.refusals.map((r) => r.summary)).toEqual([
      "InvalidOperation.MultiGroupType: eni-b cannot join sg-ent (enterprise) while it is in sg-base (normal): an ENI's groups must all be of one type",
    ]);
    expect(plan.refusals[0].detail).toContain("ModifyNetworkInterfaceAttribute");
  });

  test("refuses an ENI whose instance is not Running or Stopped, naming the instance", () => {
    const plans = planMembership(facts([eni("eni-b")], { status: "Starting" }), [join("eni-b", "sg-web")]);
    expect(plans[0].refusals.map((r) => r.summary)).toEqual([
      "IncorrectInstanceStatus: eni-b is attached to i-1, which is Starting, so it cannot join sg-web now",
    ]);
    expect(plans[0].refusals[0].detail).toContain("Wait for i-1 to reach Running or Stopped");
  });

  test("refuses an ENI whose instance is locked for security", () => {
    const plans = planMembership(facts([eni("eni-b")], { lockReasons: ["security"] }), [
      join("eni-b", "sg-web"),
    ]);
    expect(plans[0].refusals.map((r) => r.code)).toEqual(["InstanceLockedForSecurity"]);
  });

  test("refuses an attached ENI whose instance was not described (conservative)", () => {
    const f = facts([eni("eni-b", { instanceId: "i-unseen" })]);
    expect(planMembership(f, [join("eni-b", "sg-web")])[0].refusals.map((r) => r.code)).toEqual([
      "IncorrectInstanceStatus",
    ]);
  });

  test("a primary ENI is its instance: its changes are judged with the instance's, on the instance's groups", () => {
    const f = facts([], { securityGroupIds: ["sg-web"] });
    const plans = planMembership(f, [
      join("eni-p", "sg-db"),
      leave("i-1", "sg-web"),
      leave("eni-p", "sg-db"),
    ]);
    expect(plans.map((p) => p.instanceId)).toEqual(["i-1"]);
    expect(plans[0].refusals.map((r) => r.code)).toEqual(["InstanceLastSecurityGroup"]);
  });

  test("the primary ENI's operations are the instance's operations", () => {
    const plans = planMembership(facts(), [join("eni-p", "sg-db")]);
    expect(plans[0].operations).toEqual([{ action: "join", instanceId: "i-1", securityGroupId: "sg-db" }]);
  });
});

describe("judgePlan: whole plans with ENIs", () => {
  test.each([
    ["an ENI attachment created", [eniAttachment("b", null, on("eni-b", "sg-web"))], []],
    [
      "an ENI attachment of the last group removed",
      [eniAttachment("b", on("eni-b", "sg-base"), null)],
      ["error InstanceLastSecurityGroup"],
    ],
    [
      "an ENI attachment renamed (a hand-off)",
      [
        eniAttachment("old", on("eni-b", "sg-base"), null),
        eniAttachment("new", null, on("eni-b", "sg-base")),
      ],
      ["error InstanceLastSecurityGroup"],
    ],
    [
      "two ENI attachments of one pair",
      [eniAttachment("x", null, on("eni-b", "sg-web")), eniAttachment("y", null, on("eni-b", "sg-web"))],
      ["error DuplicateAttachment"],
    ],
    [
      "an ENI set beside an ENI attachment",
      [eniSet("s", null, on("eni-b", "sg-base")), eniAttachment("y", null, on("eni-b", "sg-web"))],
      ["error MixedMembershipResources"],
    ],
    [
      "an ENI set that leaves unlisted groups",
      [eniSet("s", null, on("eni-b", "sg-web"))],
      ["warning UnlistedSecurityGroups"],
    ],
    [
      "two ENI joins within the limit",
      [eniAttachment("a", null, on("eni-b", "sg-web")), eniAttachment("c", null, on("eni-b", "sg-db"))],
      [],
    ],
  ] as const)("%s", (_name, changes, expected) => {
    expect(codes(facts([eni("eni-b")]), [...changes])).toEqual(expected);
  });

  test("an instance attachment and a primary-ENI attachment of one pair are a DuplicateAttachment", () => {
    const plan = judgePlan(facts(), [
      attachment("inst", null, on("i-1", "sg-db")),
      eniAttachment("prim", null, on("eni-p", "sg-db")),
    ]);
    expect(plan.findings.map((f) => [f.code, f.instanceId, f.resources])).toEqual([
      ["DuplicateAttachment", "i-1", ["alisg_attachment.inst", "alisg_network_interface_attachment.prim"]],
    ]);
  });

  test.each([
    [
      "an instance set and a primary-ENI attachment",
      [
        instanceSet("s", null, on("i-1", "sg-base", "sg-web")),
        eniAttachment("p", null, on("eni-p", "sg-db")),
      ],
    ],
    [
      "a primary-ENI set and an instance attachment",
      [eniSet("s", null, on("eni-p", "sg-base", "sg-web")), attachment("a", null, on("i-1", "sg-db"))],
    ],
  ] as const)("%s are MixedMembershipResources", (_name, changes) => {
    expect(codes(facts(), [...changes])).toContain("error MixedMembershipResources");
  });

  test("a pair handed from an instance attachment to a primary-ENI attachment is a hand-off, not a removal", () => {
    const f = facts([], { securityGroupIds: ["sg-base", "sg-web"] });
    const plan = judgePlan(f, [
      attachment("old", on("i-1", "sg-web"), null),
      eniAttachment("new", null, on("eni-p", "sg-web")),
    ]);
    expect(plan.findings.map((x) => x.code)).toEqual(["MembershipHandOff"]);
  });

  test("removals through the instance and through its primary ENI count together for the last group", () => {
    const plan = judgePlan(facts(), [
      attachment("a", on("i-1", "sg-base"), null),
      eniAttachment("b", on("eni-p", "sg-web"), null),
    ]);
    expect(plan.findings.map((x) => x.code)).toEqual(["InstanceLastSecurityGroup"]);
  });

  test("a secondary ENI is a subject of its own: its last group is not the instance's", () => {
    const plan = judgePlan(facts([eni("eni-b", { securityGroupIds: ["sg-base", "sg-web"] })]), [
      attachment("a", on("i-1", "sg-web"), null),
      eniAttachment("b", on("eni-b", "sg-web"), null),
    ]);
    expect(plan.findings).toEqual([]);
  });

  test("two ENI joins that could pass the ENI's limit together are refused", () => {
    const f = facts([eni("eni-b", { maxSecurityGroups: 2 })]);
    expect(
      codes(f, [
        eniAttachment("a", null, on("eni-b", "sg-web")),
        eniAttachment("c", null, on("eni-b", "sg-db")),
      ]),
    ).toEqual(["error InstanceSecurityGroupLimitExceeded"]);
  });

  test("an ENI whose instance is Stopping is refused at plan", () => {
    expect(
      codes(facts([eni("eni-b")], { status: "Stopping" }), [eniAttachment("b", null, on("eni-b", "sg-web"))]),
    ).toEqual(["error IncorrectInstanceStatus"]);
  });

  test("an ENI being detached is refused at plan", () => {
    expect(
      codes(facts([eni("eni-b", { status: "Detaching" })]), [
        eniAttachment("b", null, on("eni-b", "sg-web")),
      ]),
    ).toEqual(["error IncorrectNetworkInterfaceStatus"]);
  });

  test("an ENI that does not exist is refused at plan with InvalidEniId.NotFound", () => {
    expect(codes(facts([["eni-gone", null]]), [eniAttachment("g", null, on("eni-gone", "sg-web"))])).toEqual([
      "error InvalidEniId.NotFound",
    ]);
  });

  test("an instance's ID given as an ENI ID is refused as no ENI, not judged as the instance", () => {
    // A replacement eni-p:sg-web -> "i-1":sg-web is no hand-off: no ENI i-1 exists, and the old object leaves sg-web.
    const plan = judgePlan(facts([["i-1", null]]), [
      eniAttachment("a", on("eni-p", "sg-web"), on("i-1", "sg-web")),
      eniAttachment("b", on("eni-p", "sg-base"), null),
    ]);
    expect(plan.findings.map((x) => `${x.severity} ${x.code} ${x.instanceId}`).sort()).toEqual([
      "error InstanceLastSecurityGroup i-1",
      "error InvalidEniId.NotFound i-1",
    ]);
  });

  test("an ID named by both kinds is described as both (an instance and an ENI)", () => {
    const needed = factsNeeded([
      attachment("a", null, on("i-1", "sg-web")),
      eniAttachment("b", null, on("i-1", "sg-db")),
    ]);
    expect(needed.instanceIds).toEqual(["i-1"]);
    expect(needed.networkInterfaceIds).toEqual(["i-1"]);
  });

  test("an ENI's ID given as an instance ID is refused as no instance, not judged as the ENI", () => {
    const plan = judgePlan(facts([eni("eni-b")]), [
      attachment("a", null, on("eni-b", "sg-web")),
      eniAttachment("b", on("eni-b", "sg-base"), on("eni-b", "sg-db")),
    ]);
    expect(
      plan.findings.filter((x) => x.severity === "error").map((x) => `${x.code} ${x.resources.join(",")}`),
    ).toEqual(["InvalidInstanceId.NotFound alisg_attachment.a"]);
  });
});

describe("protected groups on ENIs", () => {
  const protect = { protectedSecurityGroupIds: ["sg-base"] };

  test("removing a secondary ENI's protected group is refused, another group is not", () => {
    const world = facts([eni("eni-s", { securityGroupIds: ["sg-base", "sg-web"] })]);
    const refused = judgePlan(
      world,
      [change("alisg_network_interface_attachment", "base", on("eni-s", "sg-base"), null)],
      protect,
    );
    expect(refused.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(["error ProtectedSecurityGroup"]);
    const allowed = judgePlan(
      world,
      [change("alisg_network_interface_attachment", "web", on("eni-s", "sg-web"), null)],
      protect,
    );
    expect(allowed.findings).toEqual([]);
  });

  test("a primary ENI's set that drops the protected group is refused, as for its instance", () => {
    const refused = judgePlan(
      facts(),
      [
        change(
          "alisg_network_interface_security_groups",
          "p",
          on("eni-p", "sg-base", "sg-web"),
          on("eni-p", "sg-web"),
        ),
      ],
      protect,
    );
    expect(refused.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(["error ProtectedSecurityGroup"]);
  });
});
