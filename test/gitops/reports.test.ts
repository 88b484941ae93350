import type { Finding } from "../../src/membership";
import {
  exitCodeOf,
  writeGithub,
  writeJson,
  writeText,
  type CheckPlanReport,
  type DriftCommandReport,
} from "../../src/gitops";
import { readIgnoreFile } from "../../src/gitops";

const refusal: Finding = {
  severity: "error",
  code: "InstanceLastSecurityGroup",
  resources: ["a.json: alisg_attachment.a", "b.json: alisg_attachment.b"],
  labels: ["a.json: alisg_attachment.a", "b.json: alisg_attachment.b"],
  instanceId: "i-1",
  securityGroupId: "sg-b",
  summary: "InstanceLastSecurityGroup: removing sg-a and sg-b from i-1 would leave it with no security group",
  detail: "Keep another group attached first.",
};
const warning: Finding = {
  ...refusal,
  severity: "warning",
  code: "MembershipHandOff",
  summary: "MembershipHandOff: sg-a of i-1 is handed from x to y | with a pipe, 100%",
  detail: "Add a moved block.\nSecond line.",
};
const checkPlan = (findings: Finding[]): CheckPlanReport => ({
  command: "check-plan",
  findings,
  checkedAtApply: [
    {
      resource: "alisg_attachment.x",
      label: "alisg_attachment.x",
      kind: "alisg_attachment",
      before: null,
      after: { instanceId: null, securityGroupIds: ["sg-a"] },
    },
  ],
  plans: 2,
  changes: 3,
});
const drift: DriftCommandReport = {
  command: "drift",
  items: [
    {
      kind: "missing",
      source: "dir",
      address: "alisg_attachment.web",
      instanceId: "i-1",
      securityGroupId: "sg-web",
      message: "i-1 is not in sg-web any more: the next apply joins it again",
    },
    {
      kind: "instance_gone",
      source: "dir",
      address: "alisg_instance_security_groups.db",
      instanceId: "i-9",
      message: "i-9 no longer exists",
    },
  ],
  ignored: 1,
  resources: 4,
  sources: 1,
};

describe("report writers", () => {
  test("exit codes: 2 for a refusal or drift, 0 for warnings only or clean", () => {
    expect(exitCodeOf(checkPlan([refusal, warning]))).toBe(2);
    expect(exitCodeOf(checkPlan([warning]))).toBe(0);
    expect(exitCodeOf(drift)).toBe(2);
    expect(exitCodeOf({ ...drift, items: [] })).toBe(0);
  });

  test("text: one line per finding (CODE address: sentence), the fix below, unknowns, a headline", () => {
    expect(writeText(checkPlan([warning, refusal]))).toBe(
      [
        "InstanceLastSecurityGroup a.json: alisg_attachment.a, b.json: alisg_attachment.b: removing sg-a and sg-b from i-1 would leave it with no security group",
        "  fix: Keep another group attached first.",
        "warning: MembershipHandOff a.json: alisg_attachment.a, b.json: alisg_attachment.b: sg-a of i-1 is handed from x to y | with a pipe, 100%",
        "  fix: Add a moved block.\nSecond line.",
        "checked at apply: alisg_attachment.x: its instance is known only at apply: checked then",
        "alisg check-plan: refused: 1 error, 1 warning, 1 checked at apply (3 membership changes in 2 plans)",
        "",
      ].join("\n"),
    );
  });

  test("text: drift is a table, then one line per drift and a headline; no colour codes", () => {
    const text = writeText(drift);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "KIND           ADDRESS                            INSTANCE  GROUP",
      "missing        alisg_attachment.web               i-1       sg-web",
      "instance_gone  alisg_instance_security_groups.db  i-9       -",
    ]);
    expect(text).toContain(
      "alisg drift: 2 differences (1 missing, 1 instance_gone), 1 ignored in 4 resources\n",
    );
    expect(text).not.toContain("\u001b");
    expect(writeText({ ...drift, items: [], ignored: 0 })).toBe("alisg drift: no drift in 4 resources\n");
  });

  test("json: versioned, with findings and summary (check-plan) and drift and summary (drift)", () => {
    const doc = JSON.parse(writeJson(checkPlan([refusal]))) as Record<string, unknown>;
    expect(doc).toEqual({
      format_version: "1.0",
      findings: [
        {
          severity: "error",
          code: "InstanceLastSecurityGroup",
          address: "a.json: alisg_attachment.a",
          addresses: ["a.json: alisg_attachment.a", "b.json: alisg_attachment.b"],
          instance_id: "i-1",
          network_interface_id: null,
          security_group_id: "sg-b",
          message: "removing sg-a and sg-b from i-1 would leave it with no security group",
          fix: "Keep another group attached first.",
        },
      ],
      checked_at_apply: [
        { address: "alisg_attachment.x", reason: "its instance is known only at apply: checked then" },
      ],
      summary: { result: "refused", errors: 1, warnings: 0, checked_at_apply: 1, plans: 2, changes: 3 },
    });
    const d = JSON.parse(writeJson(drift)) as { format_version: string; drift: unknown[]; summary: unknown };
    expect(d.format_version).toBe("1.0");
    expect(d.drift[0]).toEqual({
      kind: "missing",
      address: "alisg_attachment.web",
      source: "dir",
      instance_id: "i-1",
      network_interface_id: null,
      security_group_id: "sg-web",
      message: "i-1 is not in sg-web any more: the next apply joins it again",
    });
    expect(d.summary).toEqual({
      result: "drift",
      total: 2,
      by_kind: { missing: 1, instance_gone: 1 },
      ignored: 1,
      resources: 4,
      sources: 1,
    });
  });

  test("github: escaped workflow commands and a Markdown table for the step summary", () => {
    const out = writeGithub(checkPlan([refusal, warning]));
    const lines = out.commands.trimEnd().split("\n");
    expect(lines[0]).toBe(
      "::error title=alisg InstanceLastSecurityGroup::a.json: alisg_attachment.a, b.json: alisg_attachment.b: removing sg-a and sg-b from i-1 would leave it with no security group%0AFix: Keep another group attached first.",
    );
    expect(lines[1]).toMatch(
      /^::warning title=alisg MembershipHandOff::.*100%25%0AFix: Add a moved block\.%0ASecond line\.$/,
    );
    expect(lines[2]).toBe(
      "::notice title=alisg checked at apply::alisg_attachment.x: its instance is known only at apply: checked then",
    );
    expect(out.summary).toContain("### alisg check-plan: refused: 1 error, 1 warning");
    expect(out.summary).toContain("| severity | code | address | instance | group | message |");
    expect(out.summary).toContain("handed from x to y \\| with a pipe");
    expect(out.summary).toContain("Add a moved block.<br>Second line.");
    const d = writeGithub(drift);
    expect(d.commands.split("\n").slice(0, 2)).toEqual([
      "::warning title=alisg drift missing::alisg_attachment.web: i-1 is not in sg-web any more: the next apply joins it again",
      "::error title=alisg drift instance_gone::alisg_instance_security_groups.db: i-9 no longer exists",
    ]);
    expect(d.summary).toContain("| missing | `alisg_attachment.web` | i-1 | sg-web |");
  });
});

describe("ignore file", () => {
  test("reads a list of instance/group entries; a missing group means the whole instance", () => {
    expect(
      readIgnoreFile('[{"instance_id":"i-1","security_group_id":"sg-a"},{"instance_id":"i-2"}]', "ig.json"),
    ).toEqual([{ instanceId: "i-1", securityGroupId: "sg-a" }, { instanceId: "i-2" }]);
  });
  test.each([
    ["{}", /ig\.json: expected a JSON list/],
    ['[{"security_group_id":"sg-a"}]', /ig\.json: entry 1 has no instance_id/],
    ['[{"instance_id":"i-1","security_group_id":5}]', /entry 1: security_group_id must be a string/],
  ])("refuses %s, naming the file", (text, message) => {
    expect(() => readIgnoreFile(text, "ig.json")).toThrow(message);
  });
});
