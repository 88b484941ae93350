import { GitopsInputError, readManagedMemberships } from "../../src/gitops";

const resource = (type: string, name: string, values: Record<string, unknown>) => ({
  address: `${type}.${name}`,
  mode: "managed",
  type,
  name,
  values,
});

describe("readManagedMemberships (--exclude-state)", () => {
  test("a `terraform show -json` state: alicloud_instance groups, alisg pairs (pending ones too) and sets, child modules too", () => {
    const text = JSON.stringify({
      format_version: "1.0",
      values: {
        root_module: {
          resources: [
            resource("alicloud_instance", "web", { id: "i-web", security_groups: ["sg-a", "sg-b"] }),
            resource("alisg_attachment", "x", {
              instance_id: "i-x",
              security_group_id: "sg-x",
              pending_security_group_ids: ["sg-old"],
            }),
            resource("terraform_data", "other", { input: "i-web" }),
          ],
          child_modules: [
            {
              resources: [
                resource("alisg_instance_security_groups", "db", {
                  instance_id: "i-db",
                  security_group_ids: ["sg-db"],
                }),
              ],
            },
          ],
        },
      },
    });
    expect(readManagedMemberships(text, "s.json")).toEqual([
      { instanceId: "i-web", securityGroupId: "sg-a", manager: "s.json: alicloud_instance.web" },
      { instanceId: "i-web", securityGroupId: "sg-b", manager: "s.json: alicloud_instance.web" },
      { instanceId: "i-x", securityGroupId: "sg-x", manager: "s.json: alisg_attachment.x" },
      { instanceId: "i-x", securityGroupId: "sg-old", manager: "s.json: alisg_attachment.x" },
      { instanceId: "i-db", manager: "s.json: alisg_instance_security_groups.db" },
    ]);
  });

  test("ENI resources: alisg_network_interface_* and alicloud_ecs_network_interface, marked as an ENI", () => {
    const text = JSON.stringify({
      format_version: "1.0",
      values: {
        root_module: {
          resources: [
            resource("alisg_network_interface_attachment", "t", {
              network_interface_id: "eni-t",
              security_group_id: "sg-t",
              pending_security_group_ids: ["sg-old"],
            }),
            resource("alisg_network_interface_security_groups", "w", {
              network_interface_id: "eni-w",
              security_group_ids: ["sg-w"],
            }),
            resource("alisg_network_interface_attachment", "new", { security_group_id: "sg-t" }),
            resource("alicloud_ecs_network_interface", "n", { id: "eni-n", security_group_ids: ["sg-n"] }),
          ],
        },
      },
    });
    const eni = { networkInterface: true };
    expect(readManagedMemberships(text, "s.json")).toEqual([
      {
        instanceId: "eni-t",
        ...eni,
        securityGroupId: "sg-t",
        manager: "s.json: alisg_network_interface_attachment.t",
      },
      {
        instanceId: "eni-t",
        ...eni,
        securityGroupId: "sg-old",
        manager: "s.json: alisg_network_interface_attachment.t",
      },
      { instanceId: "eni-w", ...eni, manager: "s.json: alisg_network_interface_security_groups.w" },
      {
        instanceId: "eni-n",
        ...eni,
        securityGroupId: "sg-n",
        manager: "s.json: alicloud_ecs_network_interface.n",
      },
    ]);
  });

  test("a raw `terraform state pull` state, with index keys in the addresses", () => {
    const text = JSON.stringify({
      version: 4,
      resources: [
        {
          mode: "managed",
          type: "alicloud_instance",
          name: "app",
          instances: [{ index_key: "a", attributes: { id: "i-a", security_groups: ["sg-1"] } }],
        },
      ],
    });
    expect(readManagedMemberships(text, "pulled")).toEqual([
      { instanceId: "i-a", securityGroupId: "sg-1", manager: 'pulled: alicloud_instance.app["a"]' },
    ]);
  });

  test("a plan: its prior state and its planned values count; unknown groups take the whole instance; new instances nothing", () => {
    const text = JSON.stringify({
      format_version: "1.2",
      prior_state: {
        format_version: "1.0",
        values: {
          root_module: {
            resources: [resource("alicloud_instance", "web", { id: "i-web", security_groups: ["sg-old"] })],
          },
        },
      },
      planned_values: {
        root_module: {
          resources: [
            // security_groups unknown until apply: omitted from planned values.
            resource("alicloud_instance", "web", { id: "i-web" }),
            // Still to be created: no ID yet.
            resource("alicloud_instance", "new", { security_groups: ["sg-a"] }),
            resource("alisg_attachment", "later", { instance_id: "i-later" }),
          ],
        },
      },
      resource_changes: [],
    });
    expect(readManagedMemberships(text, "plan.json")).toEqual([
      { instanceId: "i-web", securityGroupId: "sg-old", manager: "plan.json: alicloud_instance.web" },
      { instanceId: "i-web", manager: "plan.json: alicloud_instance.web" },
      { instanceId: "i-later", manager: "plan.json: alisg_attachment.later" },
    ]);
  });

  test.each([
    ["not JSON", "{", /^f: not valid JSON/],
    ["a list", "[]", /^f: expected a JSON object holding a Terraform plan or state$/],
    ["neither", '{"hello": 1}', /^f: not a Terraform state/],
    ["format 2", '{"format_version": "2.0", "values": {}}', /^f: format_version "2.0" is not supported/],
    ["an old raw state", '{"version": 3}', /^f: state version 3 is not supported/],
  ])("refuses %s, naming the file", (_title, text, message) => {
    expect(() => readManagedMemberships(text, "f")).toThrow(GitopsInputError);
    expect(() => readManagedMemberships(text, "f")).toThrow(message);
  });
});
