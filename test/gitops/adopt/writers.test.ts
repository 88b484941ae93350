import {
  adoptionSummary,
  planAdoption,
  writeAdoptionJson,
  writeCdktf,
  writeHcl,
  type ManagedMembership,
} from "../../../src/gitops";
import { eni, estate, group, instance, selection } from "./fixtures";

const small = (managed: ManagedMembership[] = [], kind: "attachment" | "set" = "attachment") =>
  planAdoption(
    estate(
      [instance("i-web", ["sg-web", "sg-base"]), instance("i-busy", ["sg-base"], { status: "Starting" })],
      [group("sg-base", "baseline"), group("sg-web")],
    ),
    kind,
    managed,
    selection({ tags: [{ key: "env", value: "prod" }] }),
    "cn-hangzhou",
  );

const HEADER = [
  "# Written by `alisg adopt --vpc-id vpc-1 --tag env=prod --kind attachment` in cn-hangzhou:",
  "# 3 alisg_attachment resources for 2 instances, each with its import.",
  "# Importing changes nothing in ECS: the first `terraform plan` shows only imports, and its apply makes no Join or Leave call (import blocks need Terraform 1.5+).",
  "# Once applied, the imports have done their work: keep them (an import of a resource already in the state is skipped) or delete them.",
];

describe("--format hcl", () => {
  test("import blocks and resource blocks, laid out as terraform fmt does, with a caution where a later change would be refused", () => {
    expect(writeHcl(small(), {})).toBe(
      [
        ...HEADER,
        "",
        "# i-busy is Starting: importing changes nothing, but a later change to its groups would be refused (IncorrectInstanceStatus) until it is Running or Stopped",
        "import {",
        "  to = alisg_attachment.i-busy_sg-base",
        '  id = "i-busy:sg-base"',
        "}",
        "",
        'resource "alisg_attachment" "i-busy_sg-base" {',
        '  instance_id       = "i-busy"',
        '  security_group_id = "sg-base" # baseline',
        "}",
        "",
        "import {",
        "  to = alisg_attachment.i-web_sg-base",
        '  id = "i-web:sg-base"',
        "}",
        "",
        'resource "alisg_attachment" "i-web_sg-base" {',
        '  instance_id       = "i-web"',
        '  security_group_id = "sg-base" # baseline',
        "}",
        "",
        "import {",
        "  to = alisg_attachment.i-web_sg-web",
        '  id = "i-web:sg-web"',
        "}",
        "",
        'resource "alisg_attachment" "i-web_sg-web" {',
        '  instance_id       = "i-web"',
        '  security_group_id = "sg-web"',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("sets list the groups; named groups one a line with the name", () => {
    const hcl = writeHcl(small([], "set"), {});
    expect(hcl).toContain(
      [
        'resource "alisg_instance_security_groups" "i-web" {',
        '  instance_id = "i-web"',
        "  security_group_ids = [",
        '    "sg-base", # baseline',
        '    "sg-web",',
        "  ]",
        "}",
      ].join("\n"),
    );
    const unnamed = planAdoption(estate([instance("i-1", ["sg-b", "sg-a"])]), "set", [], selection(), "r");
    expect(writeHcl(unnamed, {})).toContain(
      'resource "alisg_instance_security_groups" "i-1" {\n  instance_id        = "i-1"\n  security_group_ids = ["sg-a", "sg-b"]\n}',
    );
  });

  test("no terraform or provider block unless asked; --with-provider adds both", () => {
    expect(writeHcl(small(), {})).not.toMatch(/^(terraform|provider) /m);
    const hcl = writeHcl(small(), { withProvider: { source: "alisg/alisg", version: "1.2.3" } });
    expect(hcl).toContain(
      [
        "terraform {",
        "  required_providers {",
        "    alisg = {",
        '      source  = "alisg/alisg"',
        '      version = "1.2.3"',
        "    }",
        "  }",
        "}",
        "",
        'provider "alisg" {',
        '  region = "cn-hangzhou"',
        "}",
      ].join("\n"),
    );
  });

  test("what was left out, and IDs not found, are listed in the header", () => {
    const a = planAdoption(
      {
        ...estate([instance("i-web", ["sg-web", "sg-base"])]),
        instancesNotFound: ["i-gone"],
        groupsNotFound: ["sg-gone"],
      },
      "attachment",
      [{ instanceId: "i-web", securityGroupId: "sg-base", manager: "state.json: alicloud_instance.web" }],
      selection(),
      "r",
    );
    expect(writeHcl(a, {})).toContain(
      [
        "# Left out (1):",
        "#   i-web sg-base: already managed by state.json: alicloud_instance.web",
        "# Not found: --instance-id i-gone (no such instance, or it does not match the other filters).",
        "# Not found: --security-group-id sg-gone (no such group).",
      ].join("\n"),
    );
  });

  test("text from outside cannot break out of a comment: names and addresses with newlines stay on one line", () => {
    const a = planAdoption(
      estate(
        [instance("i-1", ["sg-1", "sg-2", "sg-3"])],
        [group("sg-1", 'evil\nresource "x" {}'), group("sg-2", "a\u2028b")],
      ),
      "attachment",
      [{ instanceId: "i-1", securityGroupId: "sg-3", manager: 'f: alicloud_instance.x["\r\n}"]' }],
      selection({ tags: [{ key: "k", value: "v\nprovider" }] }),
      "r",
    );
    for (const [text, marker] of [
      [writeHcl(a, {}), "#"],
      [writeCdktf(a, { cdk: "cdktf", withProvider: false }), "//"],
    ]) {
      expect(text).not.toMatch(/[\r\u2028\u2029]/);
      // Every line that holds outside text holds it after a comment marker.
      const outside = ["evil", "\\nprovider", "alicloud_instance.x", "a\\u2028b"];
      const lines = text.split("\n").filter((l) => outside.some((o) => l.includes(o)));
      expect(lines.length).toBe(4);
      for (const line of lines) {
        const at = Math.min(...outside.map((o) => line.indexOf(o)).filter((n) => n >= 0));
        expect(line.indexOf(marker)).toBeGreaterThanOrEqual(0);
        expect(line.indexOf(marker)).toBeLessThan(at);
      }
      expect(text).toContain("evil\\u000aresource");
    }
  });

  test("the same estate gives the same text, byte for byte", () => {
    expect(writeHcl(small(), {})).toBe(writeHcl(small(), {}));
  });
});

describe("--format cdktf", () => {
  test("a module exporting one function that adds the constructs, each with importFrom", () => {
    const ts = writeCdktf(small(), { cdk: "cdktf", withProvider: false });
    expect(ts).toBe(
      [
        ...HEADER.map((l) => l.replace(/^# /, "// ")).slice(0, 2),
        "// Importing changes nothing in ECS: the first `cdktf plan` (or `terraform plan` in the stack dir) shows only imports, and its deploy makes no Join or Leave call.",
        "// Once applied, the imports have done their work: keep them (an import of a resource already in the state is skipped) or delete them.",
        '// Written for a cdktf app; for a cdktn app, import from "cdktf-alicloud-sg-attachment/cdktn" instead (or run alisg adopt with --cdk cdktn).',
        'import type { Construct } from "constructs";',
        'import { SecurityGroupAttachment } from "cdktf-alicloud-sg-attachment";',
        "",
        "/**",
        " * Adds the adopted memberships to `scope` (the TerraformStack that holds the",
        " * alisg provider), each imported with `importFrom`: the first plan imports them",
        " * and changes nothing in ECS.",
        " */",
        "export function addAdoptedSecurityGroups(scope: Construct): void {",
        "  // i-busy is Starting: importing changes nothing, but a later change to its groups would be refused (IncorrectInstanceStatus) until it is Running or Stopped",
        '  new SecurityGroupAttachment(scope, "i-busy_sg-base", {',
        '    instanceId: "i-busy",',
        '    securityGroupId: "sg-base", // baseline',
        '  }).importFrom("i-busy:sg-base");',
        '  new SecurityGroupAttachment(scope, "i-web_sg-base", {',
        '    instanceId: "i-web",',
        '    securityGroupId: "sg-base", // baseline',
        '  }).importFrom("i-web:sg-base");',
        '  new SecurityGroupAttachment(scope, "i-web_sg-web", {',
        '    instanceId: "i-web",',
        '    securityGroupId: "sg-web",',
        '  }).importFrom("i-web:sg-web");',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("for cdktn only the import line differs; sets and the provider use their constructs", () => {
    const cdktf = writeCdktf(small([], "set"), { cdk: "cdktf", withProvider: true });
    const cdktn = writeCdktf(small([], "set"), { cdk: "cdktn", withProvider: true });
    const differing = cdktf.split("\n").filter((l, n) => l !== cdktn.split("\n")[n]);
    expect(differing).toEqual([
      '// Written for a cdktf app; for a cdktn app, import from "cdktf-alicloud-sg-attachment/cdktn" instead (or run alisg adopt with --cdk cdktn).',
      'import { AlisgProvider, InstanceSecurityGroups } from "cdktf-alicloud-sg-attachment";',
    ]);
    expect(cdktn).toContain(
      'import { AlisgProvider, InstanceSecurityGroups } from "cdktf-alicloud-sg-attachment/cdktn";',
    );
    expect(cdktf).toContain('  new AlisgProvider(scope, "alisg", { region: "cn-hangzhou" });\n');
    expect(cdktf).toContain('  }).importFrom("i-web");');
  });
});

describe("--format json", () => {
  test("the memberships found, with their address and import ID, the caution, and what was left out", () => {
    const doc = JSON.parse(
      writeAdoptionJson(
        small([{ instanceId: "i-web", securityGroupId: "sg-web", manager: "s: alicloud_instance.w" }]),
      ),
    ) as Record<string, unknown>;
    expect(doc).toEqual({
      format_version: "1.0",
      region: "cn-hangzhou",
      kind: "attachment",
      selection: {
        instance_ids: [],
        network_interface_ids: [],
        vpc_id: "vpc-1",
        tags: [{ key: "env", value: "prod" }],
        security_group_ids: [],
      },
      memberships: [
        {
          instance_id: "i-busy",
          security_group_id: "sg-base",
          security_group_name: "baseline",
          address: "alisg_attachment.i-busy_sg-base",
          import_id: "i-busy:sg-base",
          instance_status: "Starting",
          network_interface_id: null,
          network_interface_status: null,
          lock_reasons: [],
          vpc_id: "vpc-1",
          cautions: [
            {
              code: "IncorrectInstanceStatus",
              message:
                "i-busy is Starting: importing changes nothing, but a later change to its groups would be refused (IncorrectInstanceStatus) until it is Running or Stopped",
            },
          ],
        },
        {
          instance_id: "i-web",
          security_group_id: "sg-base",
          security_group_name: "baseline",
          address: "alisg_attachment.i-web_sg-base",
          import_id: "i-web:sg-base",
          instance_status: "Running",
          network_interface_id: null,
          network_interface_status: null,
          lock_reasons: [],
          vpc_id: "vpc-1",
          cautions: [],
        },
      ],
      left_out: [
        {
          instance_id: "i-web",
          network_interface_id: null,
          security_group_id: "sg-web",
          reason: "already managed by s: alicloud_instance.w",
        },
      ],
      not_found: { instance_ids: [], network_interface_ids: [], security_group_ids: [] },
      summary: { instances: 2, network_interfaces: 0, memberships: 2, resources: 2, left_out: 1 },
    });
  });

  test("for sets, each membership names its set's address and the instance as import ID", () => {
    const doc = JSON.parse(writeAdoptionJson(small([], "set"))) as {
      memberships: { address: string; import_id: string }[];
    };
    expect(doc.memberships.map((m) => [m.address, m.import_id])).toEqual([
      ["alisg_instance_security_groups.i-busy", "i-busy"],
      ["alisg_instance_security_groups.i-web", "i-web"],
      ["alisg_instance_security_groups.i-web", "i-web"],
    ]);
  });
});

describe("network interfaces, in every format", () => {
  const withEnis = (kind: "attachment" | "set") =>
    planAdoption(
      estate(
        [],
        [group("sg-base", "baseline"), group("sg-tenant")],
        [
          eni("eni-wan", ["sg-tenant", "sg-base"], { instanceId: "i-host" }),
          eni("eni-primary", ["sg-base"], { type: "Primary", instanceId: "i-host" }),
          eni("eni-spare", ["sg-tenant"], { status: "Available", instanceId: null }),
          eni("eni-gone", []),
        ].filter((e) => e.networkInterfaceId !== "eni-gone"),
      ),
      kind,
      [],
      selection({ vpcId: undefined, networkInterfaceIds: ["eni-wan", "eni-primary", "eni-spare"] }),
      "cn-hangzhou",
    );

  test("hcl attachments: network_interface_id and security_group_id, imported by <eni>:<sg>; the primary ENI in the header", () => {
    const hcl = writeHcl(withEnis("attachment"), {});
    expect(hcl).toContain(
      "# 3 alisg_network_interface_attachment resources for 2 ENIs, each with its import.",
    );
    expect(hcl).toContain(
      "#   eni-primary sg-base: a primary ENI: its groups are those of i-host; adopt them with --instance-id i-host (an ENI resource next to the instance's would be refused)",
    );
    expect(hcl).toContain(
      [
        "import {",
        "  to = alisg_network_interface_attachment.eni-wan_sg-tenant",
        '  id = "eni-wan:sg-tenant"',
        "}",
        "",
        'resource "alisg_network_interface_attachment" "eni-wan_sg-tenant" {',
        '  network_interface_id = "eni-wan"',
        '  security_group_id    = "sg-tenant"',
        "}",
      ].join("\n"),
    );
    expect(hcl).not.toContain("eni-primary:");
  });

  test("hcl sets: network_interface_id and security_group_ids, imported by the ENI ID", () => {
    const hcl = writeHcl(withEnis("set"), {});
    expect(hcl).toContain(
      [
        "import {",
        "  to = alisg_network_interface_security_groups.eni-spare",
        '  id = "eni-spare"',
        "}",
        "",
        'resource "alisg_network_interface_security_groups" "eni-spare" {',
        '  network_interface_id = "eni-spare"',
        '  security_group_ids   = ["sg-tenant"]',
        "}",
      ].join("\n"),
    );
    expect(hcl).toContain(
      '  network_interface_id = "eni-wan"\n  security_group_ids = [\n    "sg-base", # baseline\n',
    );
  });

  test("the summary names each kind written; with nothing written, the kind the selection asked for", () => {
    expect(adoptionSummary(withEnis("set"))).toBe(
      "2 alisg_network_interface_security_groups resources for 2 ENIs",
    );
    const primaryOnly = planAdoption(
      estate([], [], [eni("eni-p", ["sg-base"], { type: "Primary" })]),
      "attachment",
      [],
      selection({ vpcId: undefined, networkInterfaceIds: ["eni-p"] }),
      "r",
    );
    expect(adoptionSummary(primaryOnly)).toBe("0 alisg_network_interface_attachment resources for 0 ENIs");
    expect(adoptionSummary(small())).toBe("3 alisg_attachment resources for 2 instances");
  });

  test("an ENI that does not exist is listed in the header and in not_found", () => {
    const adoption = { ...withEnis("attachment"), networkInterfacesNotFound: ["eni-nope"] };
    expect(writeHcl(adoption, {})).toContain(
      "# Not found: --network-interface-id eni-nope (no such network interface).\n",
    );
    const doc = JSON.parse(writeAdoptionJson(adoption)) as { not_found: Record<string, unknown> };
    expect(doc.not_found.network_interface_ids).toEqual(["eni-nope"]);
  });

  test("cdktf: the ENI constructs with networkInterfaceId, each with importFrom", () => {
    const attachments = writeCdktf(withEnis("attachment"), { cdk: "cdktn", withProvider: false });
    expect(attachments).toContain(
      'import { NetworkInterfaceSecurityGroupAttachment } from "cdktf-alicloud-sg-attachment/cdktn";',
    );
    expect(attachments).toContain(
      [
        '  new NetworkInterfaceSecurityGroupAttachment(scope, "eni-spare_sg-tenant", {',
        '    networkInterfaceId: "eni-spare",',
        '    securityGroupId: "sg-tenant",',
        '  }).importFrom("eni-spare:sg-tenant");',
      ].join("\n"),
    );
    const sets = writeCdktf(withEnis("set"), { cdk: "cdktf", withProvider: false });
    expect(sets).toContain('import { NetworkInterfaceSecurityGroups } from "cdktf-alicloud-sg-attachment";');
    expect(sets).toContain('  }).importFrom("eni-wan");');
  });

  test("json: each ENI membership names the ENI, its status and the instance it is attached to", () => {
    const doc = JSON.parse(writeAdoptionJson(withEnis("attachment"))) as {
      memberships: Record<string, unknown>[];
      left_out: Record<string, unknown>[];
      summary: Record<string, unknown>;
      selection: Record<string, unknown>;
    };
    expect(doc.memberships[0]).toEqual({
      instance_id: null,
      network_interface_id: "eni-spare",
      security_group_id: "sg-tenant",
      security_group_name: "sg-tenant",
      address: "alisg_network_interface_attachment.eni-spare_sg-tenant",
      import_id: "eni-spare:sg-tenant",
      instance_status: null,
      network_interface_status: "Available",
      lock_reasons: [],
      vpc_id: "vpc-1",
      cautions: [],
    });
    expect(doc.memberships.map((m) => [m.network_interface_id, m.instance_id])).toEqual([
      ["eni-spare", null],
      ["eni-wan", "i-host"],
      ["eni-wan", "i-host"],
    ]);
    expect(doc.left_out).toEqual([
      {
        instance_id: null,
        network_interface_id: "eni-primary",
        security_group_id: "sg-base",
        reason: expect.stringContaining("a primary ENI") as unknown,
      },
    ]);
    expect(doc.summary).toEqual({
      instances: 0,
      network_interfaces: 2,
      memberships: 3,
      resources: 3,
      left_out: 1,
    });
    expect(doc.selection.network_interface_ids).toEqual(["eni-primary", "eni-spare", "eni-wan"]);
  });
});
