import { judgePlan } from "../../src/membership";
import type { ReplacementOrder, ResourceChange } from "../../src/membership/resource-change";
import type { Facts } from "../../src/membership/types";
import {
  alicloudInstance,
  attachment,
  DEFAULT_GROUPS,
  group,
  groupSet,
  instance,
  on,
  world,
} from "./fixtures";

/**
 * Table tests of the whole-plan model: plans it accepts and plans it refuses
 * or warns about. That its answers hold when the real provider applies them
 * in every order is proven by the provider-level property tests
 * (test/provider/properties/).
 */

/** i-1 in `groups` (limit 5 unless given), Running, unlocked. */
const i1 = (groups: string[], maxSecurityGroups = 5): Facts =>
  world([instance("i-1", { securityGroupIds: groups, maxSecurityGroups })]);

interface Row {
  readonly name: string;
  readonly facts: Facts;
  readonly changes: readonly ResourceChange[];
  /** `severity code` of every finding, sorted; empty: accepted without a word. */
  readonly findings: readonly string[];
  /** What the summary of each finding must say, in the same order. */
  readonly summaries?: readonly RegExp[];
  readonly detail?: RegExp;
  /** The resources each finding names, in the same order. */
  readonly resources?: readonly (readonly string[])[];
}

const rows: Row[] = [
  // Accepted.
  {
    name: "joining a group with room to spare",
    facts: i1(["sg-base"]),
    changes: [attachment("web", null, on("i-1", "sg-web"))],
    findings: [],
  },
  {
    name: "removing one of two groups",
    facts: i1(["sg-base", "sg-web"]),
    changes: [attachment("web", on("i-1", "sg-web"), null)],
    findings: [],
  },
  {
    name: "moving the only group (joins the new one first)",
    facts: i1(["sg-web"]),
    changes: [attachment("web", on("i-1", "sg-web"), on("i-1", "sg-db"))],
    findings: [],
  },
  {
    name: "forgetting the only group with retain_on_delete",
    facts: i1(["sg-web"]),
    changes: [attachment("web", on("i-1", "sg-web"), null, { retainOnDelete: true })],
    findings: [],
  },
  ...(["delete-first", "create-first", "either"] as ReplacementOrder[]).map((order): Row => ({
    name: `replacing the only group's attachment by the same pair (${order})`,
    facts: i1(["sg-web"]),
    changes: [attachment("web", on("i-1", "sg-web"), on("i-1", "sg-web"), { replacement: order })],
    findings: [],
  })),
  {
    name: "replacing an attachment onto another instance (its old pair is left)",
    facts: world([
      instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] }),
      instance("i-2", { securityGroupIds: ["sg-base"] }),
    ]),
    changes: [attachment("web", on("i-1", "sg-web"), on("i-2", "sg-web"), { replacement: "delete-first" })],
    findings: [],
  },
  {
    name: "renaming an attachment of one of two groups: a hand-off that may lapse",
    facts: i1(["sg-base", "sg-web"]),
    changes: [attachment("old", on("i-1", "sg-web"), null), attachment("new", null, on("i-1", "sg-web"))],
    findings: ["warning MembershipHandOff"],
    summaries: [
      /^MembershipHandOff: sg-web of i-1 is handed from alisg_attachment\.old to alisg_attachment\.new/,
    ],
    resources: [["alisg_attachment.new", "alisg_attachment.old"]],
    detail: /moved block/,
  },
  {
    name: "a count index shift: each group handed to the next element",
    facts: i1(["sg-base", "sg-web", "sg-db", "sg-app"]),
    changes: [
      attachment("x[0]", on("i-1", "sg-web"), on("i-1", "sg-db")),
      attachment("x[1]", on("i-1", "sg-db"), on("i-1", "sg-app")),
      attachment("x[2]", on("i-1", "sg-app"), null),
    ],
    findings: ["warning MembershipHandOff", "warning MembershipHandOff"],
    summaries: [/sg-app of i-1 is handed from/, /sg-db of i-1 is handed from/],
    detail: /for_each/,
    resources: [
      ["alisg_attachment.x[1]", "alisg_attachment.x[2]"],
      ["alisg_attachment.x[0]", "alisg_attachment.x[1]"],
    ],
  },
  {
    name: "an authoritative set created over groups it does not list",
    facts: i1(["sg-base", "sg-web", "sg-db"]),
    changes: [groupSet("s", null, on("i-1", "sg-base"))],
    findings: ["warning UnlistedSecurityGroups"],
    summaries: [/^UnlistedSecurityGroups: .*i-1 leave sg-db and sg-web, which it does not list/],
  },
  {
    name: "an authoritative set listing every group the instance has",
    facts: i1(["sg-base", "sg-web"]),
    changes: [groupSet("s", null, on("i-1", "sg-web", "sg-base", "sg-db"))],
    findings: [],
  },
  {
    name: "an alicloud_instance adding a group",
    facts: i1(["sg-base"]),
    changes: [alicloudInstance("vm", on("i-1", "sg-base"), on("i-1", "sg-base", "sg-web"))],
    findings: [],
  },

  // Refused.
  {
    name: "renaming the attachment of the only group",
    facts: i1(["sg-web"]),
    changes: [attachment("old", on("i-1", "sg-web"), null), attachment("new", null, on("i-1", "sg-web"))],
    findings: ["error InstanceLastSecurityGroup"],
    summaries: [
      /^InstanceLastSecurityGroup: sg-web of i-1 is handed from alisg_attachment\.old to alisg_attachment\.new/,
    ],
    detail: /moved block/,
  },
  {
    name: "two removals that together empty the instance",
    facts: i1(["sg-web", "sg-db"]),
    changes: [attachment("web", on("i-1", "sg-web"), null), attachment("db", on("i-1", "sg-db"), null)],
    findings: ["error InstanceLastSecurityGroup"],
    summaries: [
      /^InstanceLastSecurityGroup: removing sg-db and sg-web from i-1 would leave it with no security group/,
    ],
    detail: /retain_on_delete/,
  },
  {
    name: "an alicloud_instance swapping its only group (leaves before it joins)",
    facts: i1(["sg-web"]),
    changes: [alicloudInstance("vm", on("i-1", "sg-web"), on("i-1", "sg-db"))],
    findings: ["error InstanceLastSecurityGroup"],
    summaries: [/^InstanceLastSecurityGroup: removing sg-web from i-1 would leave it with no security group/],
    detail: /alisg_attachment/,
  },
  {
    name: "a join at the instance's limit",
    facts: i1(["sg-base", "sg-web"], 2),
    changes: [attachment("db", null, on("i-1", "sg-db"))],
    findings: ["error InstanceSecurityGroupLimitExceeded"],
    summaries: [
      /^InstanceSecurityGroupLimitExceeded: joining sg-db could put i-1 in 3 security groups, over its limit of 2/,
    ],
  },
  {
    name: "a move at the instance's limit (it joins before it leaves)",
    facts: i1(["sg-base", "sg-web"], 2),
    changes: [attachment("web", on("i-1", "sg-web"), on("i-1", "sg-db"))],
    findings: ["error InstanceSecurityGroupLimitExceeded"],
  },
  {
    name: "the same pair created by two attachments",
    facts: i1(["sg-base"]),
    changes: [attachment("a", null, on("i-1", "sg-web")), attachment("b", null, on("i-1", "sg-web"))],
    findings: ["error DuplicateAttachment"],
    summaries: [/^DuplicateAttachment: i-1:sg-web is declared by 2 alisg_attachment resources/],
  },
  {
    name: "dropping one of two attachments of one pair",
    facts: i1(["sg-base", "sg-web"]),
    changes: [
      attachment("keep", on("i-1", "sg-web"), on("i-1", "sg-web")),
      attachment("drop", on("i-1", "sg-web"), null),
    ],
    findings: ["error DuplicateAttachment"],
    summaries: [
      /^DuplicateAttachment: alisg_attachment\.drop would make i-1 leave sg-web, which alisg_attachment\.keep still declares/,
    ],
    detail: /retain_on_delete|terraform state rm/,
  },
  {
    name: "an attachment beside an authoritative set",
    facts: i1(["sg-base"]),
    changes: [attachment("web", null, on("i-1", "sg-web")), groupSet("s", null, on("i-1", "sg-base"))],
    findings: ["error MixedMembershipResources"],
    summaries: [/^MixedMembershipResources: i-1 is governed by both/],
  },
  {
    name: "two authoritative sets for one instance",
    facts: i1(["sg-base"]),
    changes: [
      groupSet("s1", null, on("i-1", "sg-base")),
      groupSet("s2", null, on("i-1", "sg-base", "sg-web")),
    ],
    findings: ["error DuplicateInstanceSecurityGroups"],
    summaries: [
      /^DuplicateInstanceSecurityGroups: i-1 is governed by 2 alisg_instance_security_groups resources/,
    ],
  },
  {
    name: "an instance that is Starting (a per-call refusal)",
    facts: world([instance("i-1", { status: "Starting" })]),
    changes: [attachment("web", null, on("i-1", "sg-web"))],
    findings: ["error IncorrectInstanceStatus"],
  },
  {
    name: "a security-locked instance (a per-call refusal)",
    facts: world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"], lockReasons: ["security"] })]),
    changes: [attachment("web", on("i-1", "sg-web"), null)],
    findings: ["error InstanceLockedForSecurity"],
  },
  {
    name: "adopting a group on a Starting instance makes no call: accepted",
    facts: world([instance("i-1", { status: "Starting", securityGroupIds: ["sg-base", "sg-web"] })]),
    changes: [attachment("web", null, on("i-1", "sg-web"))],
    findings: [],
  },
];

describe("judgePlan: plans accepted and refused", () => {
  test.each(rows.map((r) => [r.name, r] as const))("%s", (_name, row) => {
    const j = judgePlan(row.facts, row.changes);
    const findings = [...j.findings].sort((a, b) => (a.summary < b.summary ? -1 : 1));
    expect(findings.map((f) => `${f.severity} ${f.code}`)).toEqual(row.findings);
    findings.forEach((f, n) => {
      expect(f.summary.startsWith(`${f.code}: `)).toBe(true);
      if (row.summaries) expect(f.summary).toMatch(row.summaries[n]);
      expect(f.detail).toMatch(row.detail ?? /\S/);
    });
    expect(j.unknown).toEqual([]);
    if (row.resources) expect(findings.map((f) => f.resources)).toEqual(row.resources);
  });

  test("values unknown until apply are listed in `unknown` and not judged", () => {
    const facts = i1(["sg-web"]);
    const later = attachment("later", null, on(null, "sg-web"));
    const groupsLater = groupSet("s", null, { instanceId: "i-1", securityGroupIds: null });
    // Judged now, this removal of the only group would be refused.
    const lastGroup = attachment("web", { instanceId: "i-1", securityGroupIds: null }, null);
    const j = judgePlan(facts, [later, groupsLater, lastGroup]);
    expect(j.unknown).toEqual([later, groupsLater, lastGroup]);
    expect(j.findings).toEqual([]);
    // Known changes beside them are still judged.
    const known = attachment("known", on("i-1", "sg-web"), null);
    const k = judgePlan(facts, [later, known]);
    expect(k.unknown).toEqual([later]);
    expect(k.findings.map((f) => f.code)).toEqual(["InstanceLastSecurityGroup"]);
  });
});

describe("judgePlan: declarations that cannot both hold", () => {
  test("two alicloud_instance resources for one instance are refused", () => {
    const facts = i1(["sg-web"]);
    const changes = [
      alicloudInstance("vm1", on("i-1", "sg-web"), on("i-1", "sg-web", "sg-db")),
      alicloudInstance("vm2", on("i-1", "sg-web"), on("i-1", "sg-web")),
    ];
    // Accepted, every order would end in [sg-db, sg-web], which vm2 declares untrue: refused instead.
    const j = judgePlan(facts, changes);
    expect(j.findings.map((f) => [f.severity, f.code, f.resources])).toEqual([
      ["error", "AlicloudInstanceConflict", ["alicloud_instance.vm1", "alicloud_instance.vm2"]],
    ]);
  });
});

describe("judgePlan: hand-offs name who leaves the group, and are never missed", () => {
  test("a count shift names, for each group, the element that leaves it", () => {
    const facts = i1(["sg-base", "sg-web", "sg-db", "sg-app"]);
    const j = judgePlan(facts, [
      attachment("x[0]", on("i-1", "sg-web"), on("i-1", "sg-db")),
      attachment("x[1]", on("i-1", "sg-db"), on("i-1", "sg-app")),
      attachment("x[2]", on("i-1", "sg-app"), null),
    ]);
    expect(j.findings.map((f) => [f.code, f.securityGroupId, f.resources])).toEqual([
      ["MembershipHandOff", "sg-app", ["alisg_attachment.x[1]", "alisg_attachment.x[2]"]],
      ["MembershipHandOff", "sg-db", ["alisg_attachment.x[0]", "alisg_attachment.x[1]"]],
    ]);
  });

  test("a group an authoritative set takes over from a removed attachment is warned about", () => {
    const facts = i1(["sg-app", "sg-web"]);
    const changes = [
      groupSet("s", null, on("i-1", "sg-app", "sg-web")),
      attachment("gone", on("i-1", "sg-web"), null),
    ];
    const j = judgePlan(facts, changes);
    expect(j.findings.map((f) => [f.code, f.securityGroupId, f.resources])).toEqual([
      ["MembershipHandOff", "sg-web", ["alisg_attachment.gone", "alisg_instance_security_groups.s"]],
    ]);
  });
});

describe("judgePlan: changes Terraform only plans as replacements", () => {
  test("an attachment moved to another instance without the replacement flag is judged as a replacement", () => {
    const facts = world([
      instance("i-1", { securityGroupIds: ["sg-web"] }),
      instance("i-2", { securityGroupIds: ["sg-base"] }),
    ]);
    // Its old pair is i-1's only group: leaving it is refused, as for a flagged replacement.
    const moved = attachment("a", on("i-1", "sg-web"), on("i-2", "sg-db"));
    const j = judgePlan(facts, [moved]);
    expect(j.findings).toEqual(judgePlan(facts, [{ ...moved, replacement: "either" }]).findings);
    expect(j.findings.map((f) => [f.code, f.instanceId])).toEqual([["InstanceLastSecurityGroup", "i-1"]]);
  });
});

describe("judgePlan: the answer does not depend on the order the changes are given in", () => {
  test("a hand-off with two leavers names both, whichever comes first", () => {
    const facts = i1(["sg-base", "sg-web"]);
    const a = attachment("a", on("i-1", "sg-web"), null);
    const b = attachment("b", on("i-1", "sg-web"), null);
    const c = attachment("c", null, on("i-1", "sg-web"));
    const j = judgePlan(facts, [a, b, c]);
    expect(judgePlan(facts, [b, a, c])).toEqual(j);
    expect(judgePlan(facts, [c, b, a])).toEqual(j);
    expect(j.findings.map((f) => [f.code, f.resources])).toEqual([
      ["MembershipHandOff", ["alisg_attachment.a", "alisg_attachment.b", "alisg_attachment.c"]],
    ]);
  });

  test("a per-call refusal says the same whichever change comes first", () => {
    const facts = world([instance("i-1", { status: "Starting" })]);
    const web = attachment("web", null, on("i-1", "sg-web"));
    const db = attachment("db", null, on("i-1", "sg-db"));
    expect(judgePlan(facts, [db, web])).toEqual(judgePlan(facts, [web, db]));
  });

  test("a refusal and a warning are the same whichever change comes first", () => {
    const facts = i1(["sg-web"]);
    const old = attachment("old", on("i-1", "sg-web"), null);
    const renamed = attachment("new", null, on("i-1", "sg-web"));
    expect(judgePlan(facts, [renamed, old])).toEqual(judgePlan(facts, [old, renamed]));
    const two = i1(["sg-base", "sg-web", "sg-db"]);
    const set = groupSet("s", null, on("i-1", "sg-base"));
    const gone = attachment("gone", on("i-1", "sg-db"), null);
    expect(judgePlan(two, [set, gone])).toEqual(judgePlan(two, [gone, set]));
  });
});

describe("judgePlan: the bound on the orders explored", () => {
  const groups = (n: number) => Array.from({ length: n }, (_, k) => `sg-${String(k).padStart(2, "0")}`);
  /** i-1 in `initial`, limit 20, with the groups sg-00... known. */
  const many = (initial: string[]): Facts =>
    world(
      [instance("i-1", { securityGroupIds: initial, maxSecurityGroups: 20 })],
      [...DEFAULT_GROUPS, ...groups(20).map((g) => group(g))],
    );

  test("twelve creates on one instance are checked in every order", () => {
    const j = judgePlan(
      many(["sg-base"]),
      groups(12).map((g) => attachment(g, null, on("i-1", g))),
    );
    expect(j.findings).toEqual([]);
  });

  test("any number of creates that only join (within the limit, of one type) is judged without a search", () => {
    const j = judgePlan(
      many(["sg-base"]),
      groups(19).map((g) => attachment(g, null, on("i-1", g))),
    );
    expect(j.findings).toEqual([]);
    // Over the limit, it is still refused.
    const over = judgePlan(
      many(["sg-base", "sg-19"]),
      groups(19).map((g) => attachment(g, null, on("i-1", g))),
    );
    expect(over.findings.map((f) => `${f.severity} ${f.code}`)).toContain(
      "error InstanceSecurityGroupLimitExceeded",
    );
  });

  test("beyond the bound (thirteen creates and a removal on one instance): a warning, each call still checked at apply", () => {
    const j = judgePlan(many(["sg-base", "sg-web"]), [
      ...groups(13).map((g) => attachment(g, null, on("i-1", g))),
      attachment("web", on("i-1", "sg-web"), null),
    ]);
    expect(j.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(["warning TooManyChangesToCheck"]);
    expect(j.findings[0].summary).toBe(
      "TooManyChangesToCheck: i-1 has too many changes in this plan to check every order Terraform may apply them in",
    );
    expect(j.findings[0].detail).toContain("The plan makes 14 changes to i-1");
  });

  test("beyond the bound, a change that would leave the instance with no group is still refused", () => {
    const j = judgePlan(many(groups(14)), [...groups(14).map((g) => attachment(g, on("i-1", g), null))]);
    expect(j.findings.map((f) => `${f.severity} ${f.code}`)).toContain("error InstanceLastSecurityGroup");
  });
});
