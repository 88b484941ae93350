import { judgePlan, RULE_CODES } from "../../../src/membership";
import { checkProtectedGroup, INSTANCE_RULES } from "../../../src/membership/rules";
import type { ResourceChange } from "../../../src/membership/resource-change";
import type { Facts, Policy } from "../../../src/membership/types";
import {
  alicloudInstance,
  attachment,
  groupSet,
  instance,
  join,
  leave,
  move,
  on,
  ruleTable,
  world,
} from "../fixtures";

const baseline: Policy = { protectedSecurityGroupIds: ["sg-base"] };

describe("checkProtectedGroup (ProtectedSecurityGroup), one change set", () => {
  ruleTable(checkProtectedGroup, [
    {
      name: "allows joining a protected group",
      facts: world([instance("i-1", { securityGroupIds: ["sg-web"] })]),
      changes: [join("i-1", "sg-base")],
      policy: baseline,
      refused: [],
    },
    {
      name: "allows leaving a group that is not protected",
      facts: world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [leave("i-1", "sg-web")],
      policy: baseline,
      refused: [],
    },
    {
      name: "allows a leave of a protected group the instance is not in (no call is made)",
      facts: world([instance("i-1", { securityGroupIds: ["sg-web", "sg-db"] })]),
      changes: [leave("i-1", "sg-base")],
      policy: baseline,
      refused: [],
    },
    {
      name: "allows any leave when nothing is protected",
      facts: world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [leave("i-1", "sg-base")],
      refused: [],
    },
    {
      name: "refuses leaving a protected group the instance has",
      facts: world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [leave("i-1", "sg-base")],
      policy: baseline,
      refused: ["ProtectedSecurityGroup: i-1 may not leave sg-base, a protected security group"],
      detail:
        /protected_security_group_ids.*ALISG_PROTECTED_SECURITY_GROUP_IDS.*--protected-security-group-id/,
    },
    {
      name: "refuses moving away from a protected group",
      facts: world([instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] })]),
      changes: [move("i-1", "sg-base", "sg-db")],
      policy: baseline,
      refused: ["ProtectedSecurityGroup: i-1 may not leave sg-base, a protected security group"],
    },
    {
      name: "refuses leaving a protected group the same set joins first",
      facts: world([instance("i-1", { securityGroupIds: ["sg-web"] })]),
      changes: [join("i-1", "sg-base"), leave("i-1", "sg-base")],
      policy: baseline,
      refused: ["ProtectedSecurityGroup: i-1 may not leave sg-base, a protected security group"],
    },
    {
      name: "refuses each protected group left",
      facts: world([instance("i-1", { securityGroupIds: ["sg-base", "sg-ops", "sg-web"] })]),
      changes: [leave("i-1", "sg-base"), leave("i-1", "sg-ops")],
      policy: { protectedSecurityGroupIds: ["sg-ops", "sg-base"] },
      refused: [
        "ProtectedSecurityGroup: i-1 may not leave sg-base, a protected security group",
        "ProtectedSecurityGroup: i-1 may not leave sg-ops, a protected security group",
      ],
    },
  ]);

  test("is one of the rules every change set is judged by, with its code listed", () => {
    expect(INSTANCE_RULES).toContain(checkProtectedGroup);
    expect(RULE_CODES).toContain("ProtectedSecurityGroup");
  });
});

/** i-1 in `groups`, Running, unlocked, limit 5. */
const i1 = (groups: string[]): Facts => world([instance("i-1", { securityGroupIds: groups })]);

interface Row {
  readonly name: string;
  readonly facts: Facts;
  readonly changes: readonly ResourceChange[];
  /** `severity code` of every finding, in order; empty: accepted without a word. */
  readonly findings: readonly string[];
  /** What the summary of each ProtectedSecurityGroup finding must say. */
  readonly summary?: string;
  readonly detail?: RegExp;
}

const rows: Row[] = [
  // Accepted.
  {
    name: "an attachment that joins a protected group",
    facts: i1(["sg-web"]),
    changes: [attachment("base", null, on("i-1", "sg-base"))],
    findings: [],
  },
  {
    name: "an authoritative set created that lists the protected group",
    facts: i1(["sg-base", "sg-web"]),
    changes: [groupSet("s", null, on("i-1", "sg-base", "sg-db"))],
    findings: ["warning UnlistedSecurityGroups"],
  },
  {
    name: "a protected attachment forgotten with retain_on_delete",
    facts: i1(["sg-base", "sg-web"]),
    changes: [attachment("base", on("i-1", "sg-base"), null, { retainOnDelete: true })],
    findings: [],
  },
  {
    name: "an attachment moved onto a protected group",
    facts: i1(["sg-web", "sg-db"]),
    changes: [attachment("a", on("i-1", "sg-web"), on("i-1", "sg-base"))],
    findings: [],
  },
  {
    name: "a protected attachment replaced in place (-replace): it joins first, so it never leaves",
    facts: i1(["sg-base", "sg-web"]),
    changes: [attachment("base", on("i-1", "sg-base"), on("i-1", "sg-base"), { replacement: "either" })],
    findings: [],
  },
  {
    name: "a removed attachment of a protected group the instance is not in",
    facts: i1(["sg-web", "sg-db"]),
    changes: [attachment("base", on("i-1", "sg-base"), null)],
    findings: [],
  },
  // Refused.
  {
    name: "a removed attachment of a protected group",
    facts: i1(["sg-base", "sg-web"]),
    changes: [attachment("base", on("i-1", "sg-base"), null)],
    findings: ["error ProtectedSecurityGroup"],
    summary:
      "ProtectedSecurityGroup: alisg_attachment.base would remove protected security group sg-base from i-1",
    detail: /keep alisg_attachment\.base, or set retain_on_delete = true/,
  },
  {
    name: "an attachment moved away from a protected group",
    facts: i1(["sg-base", "sg-web"]),
    changes: [attachment("base", on("i-1", "sg-base"), on("i-1", "sg-db"))],
    findings: ["error ProtectedSecurityGroup"],
    summary:
      "ProtectedSecurityGroup: alisg_attachment.base would remove protected security group sg-base from i-1",
    detail: /add another alisg_attachment for the new group/,
  },
  {
    name: "an attachment of a protected group moved to another instance",
    facts: world([
      instance("i-1", { securityGroupIds: ["sg-base", "sg-web"] }),
      instance("i-2", { securityGroupIds: ["sg-web"] }),
    ]),
    changes: [attachment("base", on("i-1", "sg-base"), on("i-2", "sg-base"))],
    findings: ["error ProtectedSecurityGroup"],
  },
  {
    name: "an authoritative set created that does not list the protected group",
    facts: i1(["sg-base", "sg-web"]),
    changes: [groupSet("s", null, on("i-1", "sg-web"))],
    findings: ["error ProtectedSecurityGroup"],
    summary:
      "ProtectedSecurityGroup: alisg_instance_security_groups.s would remove protected security group sg-base from i-1",
    detail: /list sg-base in security_group_ids of alisg_instance_security_groups\.s/,
  },
  {
    name: "an authoritative set updated to drop the protected group",
    facts: i1(["sg-base", "sg-web"]),
    changes: [groupSet("s", on("i-1", "sg-base", "sg-web"), on("i-1", "sg-web"))],
    findings: ["error ProtectedSecurityGroup"],
  },
  {
    name: "an alicloud_instance update whose security_groups drops the protected group",
    facts: i1(["sg-base", "sg-web"]),
    changes: [alicloudInstance("vm", on("i-1", "sg-base", "sg-web"), on("i-1", "sg-web", "sg-db"))],
    findings: ["error ProtectedSecurityGroup"],
    summary:
      "ProtectedSecurityGroup: alicloud_instance.vm would remove protected security group sg-base from i-1",
    detail: /keep sg-base in security_groups of alicloud_instance\.vm/,
  },
  {
    name: "a renamed protected attachment without a moved block (Terraform may delete the old one first)",
    facts: i1(["sg-base", "sg-web"]),
    changes: [attachment("old", on("i-1", "sg-base"), null), attachment("new", null, on("i-1", "sg-base"))],
    findings: ["error ProtectedSecurityGroup"],
    summary:
      "ProtectedSecurityGroup: alisg_attachment.old would remove protected security group sg-base from i-1, in an order Terraform may pick, before alisg_attachment.new adds it again",
    detail: /moved block/,
  },
  {
    name: "a protected group another attachment joins and an authoritative set then leaves",
    facts: i1(["sg-web"]),
    changes: [attachment("base", null, on("i-1", "sg-base")), groupSet("s", null, on("i-1", "sg-web"))],
    findings: ["error MixedMembershipResources"],
  },
  {
    name: "the last group, protected: the policy is named, and so is the last group",
    facts: i1(["sg-base"]),
    changes: [attachment("base", on("i-1", "sg-base"), null)],
    findings: ["error ProtectedSecurityGroup"],
  },
];

describe("judgePlan with protected groups", () => {
  test.each(rows.map((r) => [r.name, r] as const))("%s", (_name, r) => {
    const j = judgePlan(r.facts, r.changes, { protectedSecurityGroupIds: ["sg-base"] });
    expect(j.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(r.findings);
    for (const f of j.findings.filter((x) => x.code === "ProtectedSecurityGroup")) {
      expect(f.securityGroupId).toBe("sg-base");
      if (r.summary) expect(f.summary).toBe(r.summary);
      expect(f.detail).toMatch(r.detail ?? /protected_security_group_ids/);
      expect(f.detail).toMatch(/--protected-security-group-id/);
    }
  });

  test("the same plans pass when nothing is protected, except where ECS itself refuses", () => {
    const refused = rows.filter((r) => r.findings.includes("error ProtectedSecurityGroup"));
    for (const r of refused) {
      const codes = judgePlan(r.facts, r.changes).findings.map((f) => f.code);
      expect(codes).not.toContain("ProtectedSecurityGroup");
    }
  });

  test("an instance with too many changes to explore every order still has its protected leaves refused", () => {
    const groups = Array.from({ length: 40 }, (_, n) => `sg-x${n}`);
    const facts = world(
      [instance("i-1", { securityGroupIds: ["sg-base", "sg-web"], maxSecurityGroups: 50 })],
      [...groups, "sg-base", "sg-web"].map((g) => ({
        securityGroupId: g,
        vpcId: "vpc-main",
        type: "normal",
      })),
    );
    const changes = [
      ...groups.map((g) => attachment(g, null, on("i-1", g))),
      attachment("base", on("i-1", "sg-base"), null),
    ];
    const j = judgePlan(facts, changes, { protectedSecurityGroupIds: ["sg-base"] });
    expect(j.findings.map((f) => [f.code, f.resources])).toEqual([
      ["ProtectedSecurityGroup", ["alisg_attachment.base"]],
    ]);
  });
});
