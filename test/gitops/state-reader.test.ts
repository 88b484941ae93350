import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readState } from "../../src/gitops";

const opentofu = (file: string) => readFileSync(join(__dirname, "fixtures", "opentofu", file), "utf8");

const showJson = JSON.stringify({
  format_version: "1.0",
  terraform_version: "1.11.4",
  values: {
    root_module: {
      resources: [
        {
          address: "alisg_attachment.web",
          mode: "managed",
          type: "alisg_attachment",
          name: "web",
          values: {
            id: "i-1:sg-web",
            instance_id: "i-1",
            security_group_id: "sg-web",
            retain_on_delete: false,
          },
        },
        { address: "terraform_data.x", mode: "managed", type: "terraform_data", name: "x", values: {} },
      ],
      child_modules: [
        {
          address: "module.db",
          resources: [
            {
              address: "module.db.alisg_instance_security_groups.db[0]",
              mode: "managed",
              type: "alisg_instance_security_groups",
              name: "db",
              index: 0,
              values: { id: "i-2", instance_id: "i-2", security_group_ids: ["sg-base", "sg-db"] },
            },
          ],
        },
      ],
    },
  },
});

const rawState = JSON.stringify({
  version: 4,
  terraform_version: "1.11.4",
  serial: 3,
  lineage: "x",
  resources: [
    {
      mode: "managed",
      type: "alisg_attachment",
      name: "web",
      provider: 'provider["registry.terraform.io/alisg/alisg"]',
      instances: [
        { index_key: "a", attributes: { instance_id: "i-1", security_group_id: "sg-web" } },
        { index_key: 1, attributes: { instance_id: "i-3", security_group_id: "sg-web" } },
      ],
    },
    {
      module: "module.db",
      mode: "managed",
      type: "alisg_instance_security_groups",
      name: "db",
      instances: [{ attributes: { instance_id: "i-2", security_group_ids: ["sg-db"] } }],
    },
  ],
});

describe("state reader", () => {
  test("reads `terraform show -json` state, child modules included", () => {
    expect(readState(showJson, "dir")).toEqual([
      {
        source: "dir",
        address: "alisg_attachment.web",
        kind: "alisg_attachment",
        instanceId: "i-1",
        securityGroupIds: ["sg-web"],
      },
      {
        source: "dir",
        address: "module.db.alisg_instance_security_groups.db[0]",
        kind: "alisg_instance_security_groups",
        instanceId: "i-2",
        securityGroupIds: ["sg-base", "sg-db"],
      },
    ]);
  });

  test("reads a raw `terraform state pull`, building addresses with index keys and modules", () => {
    expect(
      readState(rawState, "s.tfstate").map((r) => [r.address, r.instanceId, r.securityGroupIds]),
    ).toEqual([
      ['alisg_attachment.web["a"]', "i-1", ["sg-web"]],
      ["alisg_attachment.web[1]", "i-3", ["sg-web"]],
      ["module.db.alisg_instance_security_groups.db", "i-2", ["sg-db"]],
    ]);
  });

  test("reads OpenTofu's `tofu show -json` and `tofu state pull` alike (registry.opentofu.org providers, tainted objects)", () => {
    const expected = [
      ["alisg_attachment.web", "alisg_attachment", "i-web1", ["sg-web"]],
      ['alisg_attachment.each["db"]', "alisg_attachment", "i-db1", ["sg-db"]],
      [
        "module.app.alisg_instance_security_groups.app[0]",
        "alisg_instance_security_groups",
        "i-app",
        ["sg-a", "sg-b"],
      ],
    ];
    for (const file of ["state-show.json", "state-pull.json"]) {
      const resources = readState(opentofu(file), file);
      expect(resources.map((r) => [r.address, r.kind, r.instanceId, r.securityGroupIds])).toEqual(expected);
      expect(new Set(resources.map((r) => r.source))).toEqual(new Set([file]));
    }
  });

  test("refuses a state encrypted by OpenTofu, naming the file and the commands that decrypt", () => {
    expect(() => readState(opentofu("state-encrypted.json"), "terraform.tfstate")).toThrow(
      'terraform.tfstate: encrypted by OpenTofu (encryption_version "v0"): give the output of `tofu show -json` or `tofu state pull`, which OpenTofu decrypts with your encryption configuration',
    );
  });

  test("an empty state has no resources", () => {
    expect(readState(JSON.stringify({ format_version: "1.0" }), "d")).toEqual([]);
  });

  test.each([
    [
      "format_version 2",
      JSON.stringify({ format_version: "2.0", values: {} }),
      /s: format_version "2\.0" is not supported/,
    ],
    [
      "raw state version 3",
      JSON.stringify({ version: 3, modules: [] }),
      /s: state version 3 is not supported/,
    ],
    [
      "a plan",
      JSON.stringify({ format_version: "1.2", resource_changes: [] }),
      /this is a plan, not a state/,
    ],
    [
      "a plan with no changes, as OpenTofu writes it (no resource_changes)",
      JSON.stringify({
        format_version: "1.2",
        terraform_version: "1.12.6",
        planned_values: { root_module: {} },
      }),
      /this is a plan, not a state/,
    ],
    ["something else", JSON.stringify({ hello: 1 }), /not a Terraform state/],
    ["bad JSON", "nope", /s: not valid JSON/],
    [
      "an attachment without instance_id",
      JSON.stringify({
        format_version: "1.0",
        values: {
          root_module: {
            resources: [
              { address: "alisg_attachment.x", mode: "managed", type: "alisg_attachment", values: {} },
            ],
          },
        },
      }),
      /alisg_attachment\.x has no instance_id/,
    ],
  ])("refuses %s, naming the source", (_what, text, message) => {
    expect(() => readState(text, "s")).toThrow(message);
  });
});
