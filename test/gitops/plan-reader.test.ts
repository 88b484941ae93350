import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readPlan, GitopsInputError } from "../../src/gitops";
import { att, planDoc, rc } from "./plans";

const opentofu = (file: string) => readFileSync(join(__dirname, "fixtures", "opentofu", file), "utf8");

describe("plan reader", () => {
  test("reads attachment creates, deletes, moves and no-ops with their addresses", () => {
    const plan = readPlan(
      planDoc([
        rc({ address: "alisg_attachment.new", actions: ["create"], after: att("i-1", "sg-a") }),
        rc({ address: "alisg_attachment.old", actions: ["delete"], before: att("i-1", "sg-b", true) }),
        rc({
          address: "alisg_attachment.mv",
          actions: ["update"],
          before: att("i-2", "sg-a"),
          after: att("i-2", "sg-b"),
        }),
        rc({
          address: "alisg_attachment.same",
          actions: ["no-op"],
          before: att("i-3", "sg-a"),
          after: att("i-3", "sg-a"),
        }),
      ]),
      "plan.json",
    );
    expect(plan.changes).toEqual([
      {
        resource: "alisg_attachment.new",
        label: "alisg_attachment.new",
        kind: "alisg_attachment",
        before: null,
        after: { instanceId: "i-1", securityGroupIds: ["sg-a"] },
      },
      {
        resource: "alisg_attachment.old",
        label: "alisg_attachment.old",
        kind: "alisg_attachment",
        before: { instanceId: "i-1", securityGroupIds: ["sg-b"] },
        after: null,
        retainOnDelete: true,
      },
      expect.objectContaining({
        before: { instanceId: "i-2", securityGroupIds: ["sg-a"] },
        after: { instanceId: "i-2", securityGroupIds: ["sg-b"] },
      }),
      expect.objectContaining({
        resource: "alisg_attachment.same",
        before: expect.anything(),
        after: expect.anything(),
      }),
    ]);
  });

  test("replacements keep Terraform's order: delete-first by default, create-first with create_before_destroy", () => {
    const plan = readPlan(
      planDoc([
        rc({
          address: "alisg_attachment.a",
          actions: ["delete", "create"],
          before: att("i-1", "sg-a"),
          after: att("i-2", "sg-a"),
        }),
        rc({
          address: "alisg_attachment.b",
          actions: ["create", "delete"],
          before: att("i-1", "sg-b"),
          after: att("i-2", "sg-b"),
        }),
      ]),
      "p",
    );
    expect(plan.changes.map((c) => c.replacement)).toEqual(["delete-first", "create-first"]);
  });

  test("values unknown until apply become null", () => {
    const plan = readPlan(
      planDoc([
        rc({
          address: "alisg_attachment.x",
          actions: ["create"],
          after: { security_group_id: "sg-a", retain_on_delete: false },
          afterUnknown: { instance_id: true, id: true },
        }),
        rc({
          address: "alisg_instance_security_groups.s",
          actions: ["create"],
          after: { instance_id: "i-1", security_group_ids: ["sg-a", null] },
          afterUnknown: { security_group_ids: [false, true] },
        }),
      ]),
      "p",
    );
    expect(plan.changes.map((c) => c.after)).toEqual([
      { instanceId: null, securityGroupIds: ["sg-a"] },
      { instanceId: "i-1", securityGroupIds: null },
    ]);
  });

  test("alicloud_instance counts only when an update changes security_groups", () => {
    const inst = (id: string, groups: string[]) => ({ id, security_groups: groups, instance_name: "web" });
    const plan = readPlan(
      planDoc([
        rc({
          address: "alicloud_instance.swap",
          actions: ["update"],
          before: inst("i-1", ["sg-a"]),
          after: inst("i-1", ["sg-b"]),
        }),
        rc({
          address: "alicloud_instance.rename",
          actions: ["update"],
          before: inst("i-2", ["sg-a"]),
          after: inst("i-2", ["sg-a"]),
        }),
        rc({
          address: "alicloud_instance.new",
          actions: ["create"],
          after: inst("i-3", ["sg-a"]),
          afterUnknown: { id: true },
        }),
        rc({ address: "alicloud_instance.gone", actions: ["delete"], before: inst("i-4", ["sg-a"]) }),
        rc({
          address: "alicloud_instance.rep",
          actions: ["delete", "create"],
          before: inst("i-5", ["sg-a"]),
          after: inst("i-5", ["sg-b"]),
          afterUnknown: { id: true },
        }),
      ]),
      "p",
    );
    expect(plan.changes).toEqual([
      {
        resource: "alicloud_instance.swap",
        label: "alicloud_instance.swap",
        kind: "alicloud_instance",
        before: { instanceId: "i-1", securityGroupIds: ["sg-a"] },
        after: { instanceId: "i-1", securityGroupIds: ["sg-b"] },
      },
    ]);
  });

  test("data sources, other types and forget actions are read as Terraform means them", () => {
    const plan = readPlan(
      planDoc([
        rc({ address: "data.alisg_attachment.d", type: "alisg_attachment", mode: "data", actions: ["read"] }),
        rc({ address: "terraform_data.x", actions: ["create"], after: {} }),
        rc({ address: "alisg_attachment.f", actions: ["forget"], before: att("i-1", "sg-a") }),
      ]),
      "p",
    );
    expect(plan.changes).toEqual([
      expect.objectContaining({ resource: "alisg_attachment.f", after: null, retainOnDelete: true }),
    ]);
  });

  test.each([
    ["2.0", /p\.json: format_version "2\.0" is not supported/],
    ["0.9", /format_version "0\.9"/],
  ])("refuses format_version %s, naming the file and the version", (version, message) => {
    expect(() => readPlan(planDoc([], version), "p.json")).toThrow(message);
    expect(() => readPlan(planDoc([], version), "p.json")).toThrow(GitopsInputError);
  });

  test.each([
    ["not JSON", "{oops", /p\.json: not valid JSON/],
    ["not an object", "[]", /expected a JSON object/],
    [
      "a state, not a plan",
      JSON.stringify({ format_version: "1.0", values: { root_module: {} } }),
      /not a plan/,
    ],
    ["no format_version", JSON.stringify({ resource_changes: [] }), /no format_version/],
    [
      "unknown actions",
      planDoc([rc({ address: "alisg_attachment.x", actions: ["explode"], before: att("i-1", "sg-a") })]),
      /alisg_attachment\.x has actions \[explode\]/,
    ],
  ])("refuses %s with a message naming the file", (_what, text, message) => {
    expect(() => readPlan(text, "p.json")).toThrow(message);
  });

  test("a replacement that forgets its old object, in Terraform's [create, forget] and OpenTofu's [forget, create] order, leaves nothing", () => {
    const plan = readPlan(
      planDoc([
        rc({
          address: "alisg_attachment.terraform",
          actions: ["create", "forget"],
          before: att("i-1", "sg-a"),
          after: att("i-2", "sg-a"),
        }),
        rc({
          address: "alisg_attachment.opentofu",
          actions: ["forget", "create"],
          before: att("i-1", "sg-b"),
          after: att("i-2", "sg-b"),
        }),
      ]),
      "p",
    );
    expect(plan.changes.map((c) => [c.resource, c.replacement, c.retainOnDelete])).toEqual([
      ["alisg_attachment.terraform", "create-first", true],
      ["alisg_attachment.opentofu", "delete-first", true],
    ]);
    expect(plan.changes[1]).toMatchObject({
      before: { instanceId: "i-1", securityGroupIds: ["sg-b"] },
      after: { instanceId: "i-2", securityGroupIds: ["sg-b"] },
    });
  });

  test("reads OpenTofu's plan JSON: registry.opentofu.org providers, its version, its actions and reasons, no applyable/complete", () => {
    const plan = readPlan(opentofu("plan.json"), "tofu.json");
    expect(plan.terraformVersion).toBe("1.12.6");
    expect(plan.changes).toEqual([
      {
        resource: "alisg_attachment.web",
        label: "alisg_attachment.web",
        kind: "alisg_attachment",
        before: null,
        after: { instanceId: "i-web1", securityGroupIds: ["sg-web"] },
      },
      {
        resource: "alisg_attachment.old",
        label: "alisg_attachment.old",
        kind: "alisg_attachment",
        before: { instanceId: "i-web1", securityGroupIds: ["sg-old"] },
        after: null,
      },
      {
        resource: "alisg_attachment.db",
        label: "alisg_attachment.db",
        kind: "alisg_attachment",
        before: { instanceId: "i-db1", securityGroupIds: ["sg-db"] },
        after: { instanceId: "i-db2", securityGroupIds: ["sg-db"] },
        retainOnDelete: true,
        replacement: "delete-first",
      },
      {
        resource: "alisg_attachment.keep",
        label: "alisg_attachment.keep",
        kind: "alisg_attachment",
        before: { instanceId: "i-keep", securityGroupIds: ["sg-only"] },
        after: null,
        retainOnDelete: true,
      },
      {
        resource: "alisg_instance_security_groups.solo",
        label: "alisg_instance_security_groups.solo",
        kind: "alisg_instance_security_groups",
        before: { instanceId: "i-solo", securityGroupIds: ["sg-a"] },
        after: { instanceId: "i-solo", securityGroupIds: ["sg-b"] },
      },
      {
        resource: "alicloud_instance.app",
        label: "alicloud_instance.app",
        kind: "alicloud_instance",
        before: { instanceId: "i-app", securityGroupIds: ["sg-a"] },
        after: { instanceId: "i-app", securityGroupIds: ["sg-c"] },
      },
    ]);
  });

  test("refuses a plan encrypted by OpenTofu, naming the file and the command that decrypts", () => {
    expect(() => readPlan(opentofu("state-encrypted.json"), "tfplan.json")).toThrow(
      'tfplan.json: encrypted by OpenTofu (encryption_version "v0"): give the output of `tofu show -json PLANFILE`, which OpenTofu decrypts with your encryption configuration',
    );
  });

  test("an empty plan (no resource_changes) has no changes", () => {
    expect(readPlan(JSON.stringify({ format_version: "1.2", planned_values: {} }), "p").changes).toEqual([]);
  });
});
