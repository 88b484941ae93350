import { spawnSync } from "node:child_process";
import type { EmulatorSeed } from "../../src/emulator/server";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { platformDir } from "../../src/provider/distribution";
import { OTHER_NODES } from "../support/node-matrix";
import { attachments, Cloud, expectExit, SECRET, seed, Workspace } from "./harness";
import { actions, alisg } from "./gitops-cli";

// `alisg check-plan` on plans written by real terraform, against the emulator.
jest.setTimeout(240_000);

const world = (): EmulatorSeed => ({
  ...seed(
    [
      { instanceId: "i-two", securityGroupIds: ["sg-a", "sg-b"] },
      { instanceId: "i-web", securityGroupIds: ["sg-a", "sg-b"] },
      { instanceId: "i-solo", securityGroupIds: ["sg-a"] },
    ],
    ["sg-a", "sg-b", "sg-c"],
  ),
  // A secondary ENI of i-web in one group, for the alicloud_ecs_network_interface stand-in.
  networkInterfaces: [{ networkInterfaceId: "eni-tenant", instanceId: "i-web", securityGroupIds: ["sg-a"] }],
});

let cloud: Cloud;
const workspaces: Workspace[] = [];
let out: string;

beforeAll(async () => {
  cloud = await Cloud.start(world());
});
afterAll(async () => {
  await cloud.close();
});
beforeEach(async () => {
  await cloud.replaceState(world());
  await cloud.clearCalls();
  out = mkdtempSync(join(tmpdir(), "alisg-plans-"));
});
afterEach(() => {
  for (const ws of workspaces.splice(0)) ws.cleanup();
  rmSync(out, { recursive: true, force: true });
});

function workspace(): Workspace {
  const ws = new Workspace(cloud);
  workspaces.push(ws);
  return ws;
}

/** Saves a plan and writes `terraform show -json` of it to `file`; returns the path. */
async function savePlan(ws: Workspace, file: string): Promise<string> {
  const plan = await ws.plan(["-out", "tfplan"]);
  expectExit(plan, 2);
  const show = await ws.terraform(["show", "-json", "tfplan"]);
  expectExit(show, 0);
  const path = join(out, file);
  writeFileSync(path, show.stdout);
  return path;
}

/** A stack that manages one attachment, applied, then planned with the attachment removed. */
async function stackRemoving(name: string, instance: string, group: string): Promise<string> {
  const ws = workspace();
  ws.configure(attachments({ [name]: [instance, group] }));
  await ws.init();
  expectExit(await ws.apply(), 0);
  ws.configure({});
  return savePlan(ws, `${name}.json`);
}

describe("alisg check-plan with real terraform plans", () => {
  test("two stacks each removing one of an instance's two groups: each alone is safe, together refused (text and github)", async () => {
    const a = await stackRemoving("stack_a", "i-two", "sg-a");
    const b = await stackRemoving("stack_b", "i-two", "sg-b");
    await cloud.clearCalls();

    expectExit(await alisg(cloud, ["check-plan", a]), 0);
    expectExit(await alisg(cloud, ["check-plan", b]), 0);
    const both = await alisg(cloud, ["check-plan", a, b]);
    expectExit(both, 2);
    expect(both.stdout).toContain(
      `InstanceLastSecurityGroup ${a}: alisg_attachment.stack_a, ${b}: alisg_attachment.stack_b: removing sg-a and sg-b from i-two would leave it with no security group`,
    );
    expect(both.stdout).toMatch(/^ {2}fix: /m);
    // alisg itself on Node.js 22 and 24: the same plans, the same verdict, byte for byte.
    for (const node of OTHER_NODES) {
      const other = await alisg(cloud, ["check-plan", a, b], { node });
      expect([node.major, other.code, other.stdout]).toEqual([node.major, both.code, both.stdout]);
    }
    expect(new Set(await actions(cloud))).toEqual(new Set(["DescribeInstances", "DescribeSecurityGroups"]));
    expect(await cloud.sortedGroupsOf("i-two")).toEqual(["sg-a", "sg-b"]);

    // github format: annotations on stdout, and a table appended to $GITHUB_STEP_SUMMARY.
    const summary = join(out, "summary.md");
    writeFileSync(summary, "earlier step\n");
    const gh = await alisg(cloud, ["check-plan", a, b, "--format", "github"], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expectExit(gh, 2);
    expect(gh.stdout).toMatch(/^::error title=alisg InstanceLastSecurityGroup::/m);
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("earlier step\n### alisg check-plan: refused")).toBe(true);
    expect(md).toContain("| error | `InstanceLastSecurityGroup` |");
  });

  test("two provider aliases in one plan are judged together", async () => {
    const ws = workspace();
    const config = (resources: Record<string, Record<string, object>>) => {
      ws.configure(resources);
      const main = JSON.parse(readFileSync(join(ws.dir, "main.tf.json"), "utf8")) as {
        provider: { alisg: Record<string, unknown> };
      };
      const second = { ...main.provider.alisg, alias: "second" };
      writeFileSync(
        join(ws.dir, "main.tf.json"),
        JSON.stringify({ ...main, provider: { alisg: [main.provider.alisg, second] } }),
      );
    };
    config({
      alisg_attachment: {
        one: { instance_id: "i-two", security_group_id: "sg-a" },
        two: { instance_id: "i-two", security_group_id: "sg-b", provider: "alisg.second" },
      },
    });
    await ws.init();
    expectExit(await ws.apply(), 0);
    config({});
    // Each provider configuration sees one removal, so terraform's own plan succeeds.
    const plan = await savePlan(ws, "aliases.json");
    const r = await alisg(cloud, ["check-plan", plan, "--format", "json"]);
    expectExit(r, 2);
    const doc = JSON.parse(r.stdout) as { findings: { code: string; addresses: string[] }[] };
    expect(doc.findings).toEqual([
      expect.objectContaining({
        code: "InstanceLastSecurityGroup",
        addresses: ["alisg_attachment.one", "alisg_attachment.two"],
      }),
    ]);
  });

  test("the limit and the protected groups come from the plans' provider blocks; an expression is named; the flags replace them", async () => {
    const groups = ["sg-a", "sg-b", "sg-c", "sg-d", "sg-e", "sg-f"];
    await cloud.replaceState({
      ...seed(
        [
          { instanceId: "i-two", securityGroupIds: ["sg-a", "sg-b"] },
          { instanceId: "i-web", securityGroupIds: ["sg-a", "sg-b"] },
          { instanceId: "i-solo", securityGroupIds: ["sg-a"] },
        ],
        groups,
      ),
      maxSecurityGroupsPerInstance: 6,
    });
    // i-web to 6 groups, with the provider's limit written as a literal, then as a variable.
    const widen = Object.fromEntries(
      ["sg-c", "sg-d", "sg-e", "sg-f"].map((g) => [`web_${g.slice(3)}`, ["i-web", g] as [string, string]]),
    );
    const wide = workspace();
    wide.configure(attachments(widen), { max_security_groups_per_instance: 6 });
    await wide.init();
    const widePlan = await savePlan(wide, "wide.json");
    const byVariable = workspace();
    byVariable.configure(
      attachments(widen),
      { max_security_groups_per_instance: "${var.limit}" as unknown as number },
      { variable: { limit: { type: "number", default: 6 } } },
    );
    await byVariable.init();
    const variablePlan = await savePlan(byVariable, "by-variable.json");

    expectExit(await alisg(cloud, ["check-plan", widePlan]), 0);
    const capped = await alisg(cloud, ["check-plan", widePlan, "--max-security-groups-per-instance", "5"]);
    expectExit(capped, 2);
    expect(capped.stdout).toContain("InstanceSecurityGroupLimitExceeded");
    const unread = await alisg(cloud, ["check-plan", variablePlan]);
    expectExit(unread, 2);
    expect(unread.stdout).toContain("InstanceSecurityGroupLimitExceeded");
    expect(unread.stderr).toContain(
      `alisg check-plan: ${variablePlan}: provider alisg: max_security_groups_per_instance is an expression, whose value the plan does not hold: give --max-security-groups-per-instance to judge with it`,
    );
    expectExit(
      await alisg(cloud, ["check-plan", variablePlan, "--max-security-groups-per-instance", "6"]),
      0,
    );

    // One stack protects sg-a (and only joins); another, whose provider protects nothing, takes sg-a from i-two.
    const baseline = workspace();
    baseline.configure(attachments({ solo_b: ["i-solo", "sg-b"] }), {
      protected_security_group_ids: ["sg-a"],
    });
    await baseline.init();
    const baselinePlan = await savePlan(baseline, "baseline.json");
    const leaverPlan = await stackRemoving("two_a", "i-two", "sg-a");
    expectExit(await alisg(cloud, ["check-plan", leaverPlan]), 0);
    const together = await alisg(cloud, ["check-plan", baselinePlan, leaverPlan]);
    expectExit(together, 2);
    expect(together.stdout).toContain(`ProtectedSecurityGroup ${leaverPlan}: alisg_attachment.two_a`);
    // The flag replaces the blocks' lists.
    expectExit(
      await alisg(cloud, ["check-plan", baselinePlan, leaverPlan, "--protected-security-group-id", "sg-c"]),
      0,
    );
  });

  test("a plan saved while the instance was Running is refused once it has started stopping", async () => {
    const plan = await stackRemoving("web", "i-web", "sg-a");
    expectExit(await alisg(cloud, ["check-plan", plan]), 0);
    await cloud.patchInstance("i-web", { status: "Stopping" });
    const r = await alisg(cloud, ["check-plan", plan]);
    expectExit(r, 2);
    expect(r.stdout).toMatch(/^IncorrectInstanceStatus alisg_attachment\.web: /m);
  });

  test("reads a plan from stdin; values unknown until apply are listed as checked at apply", async () => {
    const ws = workspace();
    ws.configure({
      terraform_data: { inst: { input: "i-web" } },
      alisg_attachment: {
        later: { instance_id: "${terraform_data.inst.output}", security_group_id: "sg-c" },
      },
    });
    await ws.init();
    const plan = await savePlan(ws, "unknown.json");
    const r = await alisg(cloud, ["check-plan", "-"], { stdin: readFileSync(plan, "utf8") });
    expectExit(r, 0);
    expect(r.stdout).toContain(
      "checked at apply: alisg_attachment.later: its instance is known only at apply: checked then",
    );
  });

  test("alicloud_instance security_groups changes, planned by real terraform (stand-in alicloud provider)", async () => {
    const ws = workspace();
    installAlicloudStandIn(ws.dir);
    const instance = (groups: string[]) =>
      configureWithAlicloud(ws, {
        alicloud_instance: { solo: { instance_name: "solo", security_groups: groups } },
      });
    instance(["sg-a"]);
    await ws.init();
    expectExit(await ws.apply(), 0);

    // Adding a group: the alicloud provider joins it; safe, also when the group is protected.
    instance(["sg-a", "sg-b"]);
    const add = await savePlan(ws, "add.json");
    expectExit(await alisg(cloud, ["check-plan", add]), 0);
    expectExit(await alisg(cloud, ["check-plan", add, "--protected-security-group-id", "sg-b"]), 0);

    // Swapping the only group: the alicloud provider would leave sg-a first, which ECS refuses.
    instance(["sg-b"]);
    const r = await alisg(cloud, ["check-plan", await savePlan(ws, "swap.json")]);
    expectExit(r, 2);
    expect(r.stdout).toContain(
      "InstanceLastSecurityGroup alicloud_instance.solo: removing sg-a from i-solo would leave it with no security group",
    );
    expect(r.stdout).toMatch(/an alisg_attachment whose security_group_id changes moves in place/);
    // With sg-a protected, dropping it from security_groups is refused for that reason first.
    const guarded = await alisg(cloud, [
      "check-plan",
      join(out, "swap.json"),
      "--protected-security-group-id",
      "sg-a",
    ]);
    expectExit(guarded, 2);
    expect(guarded.stdout).toContain(
      "ProtectedSecurityGroup alicloud_instance.solo: alicloud_instance.solo would remove protected security group sg-a from i-solo",
    );
    expect(guarded.stdout).toContain("keep sg-a in security_groups of alicloud_instance.solo");
    expect(new Set(await actions(cloud))).toEqual(new Set(["DescribeInstances", "DescribeSecurityGroups"]));
  });

  test("alicloud_ecs_network_interface security_group_ids changes: one call replaces the set; beside an alisg ENI resource, a fight", async () => {
    const ws = workspace();
    installAlicloudStandIn(ws.dir);
    const nic = (groups: string[], more: Record<string, Record<string, object>> = {}) =>
      configureWithAlicloud(ws, {
        alicloud_ecs_network_interface: {
          tenant: { network_interface_name: "tenant", security_group_ids: groups },
        },
        ...more,
      });
    nic(["sg-a"]);
    await ws.init();
    expectExit(await ws.apply(), 0);
    await cloud.clearCalls();

    // Swapping the ENI's only group: ModifyNetworkInterfaceAttribute sets the new list in one call, so
    // there is no moment without a group (the same swap through alicloud_instance is refused above).
    nic(["sg-b"]);
    const swap = await savePlan(ws, "eni-swap.json");
    const ok = await alisg(cloud, ["check-plan", swap, "--format", "json"]);
    expectExit(ok, 0);
    const safe = JSON.parse(ok.stdout) as { findings: unknown[]; summary: Record<string, unknown> };
    expect(safe.findings).toEqual([]);
    expect(safe.summary).toMatchObject({ result: "safe", errors: 0, changes: 1 });
    // sg-a protected: dropping it from security_group_ids is refused, naming the ENI.
    const guarded = await alisg(cloud, ["check-plan", swap, "--protected-security-group-id", "sg-a"]);
    expectExit(guarded, 2);
    expect(guarded.stdout).toContain(
      "ProtectedSecurityGroup alicloud_ecs_network_interface.tenant: alicloud_ecs_network_interface.tenant would remove protected security group sg-a from eni-tenant",
    );
    expect(guarded.stdout).toContain(
      "keep sg-a in security_group_ids of alicloud_ecs_network_interface.tenant",
    );

    // The same ENI also given a group by alisg in the same plan: the two would undo each other.
    nic(["sg-a", "sg-b"], {
      alisg_network_interface_attachment: {
        extra: {
          network_interface_id: "${alicloud_ecs_network_interface.tenant.id}",
          security_group_id: "sg-c",
        },
      },
    });
    const fight = await savePlan(ws, "eni-fight.json");
    const refused = await alisg(cloud, ["check-plan", fight]);
    expectExit(refused, 2);
    expect(refused.stdout).toContain(
      "AlicloudNetworkInterfaceConflict alicloud_ecs_network_interface.tenant, alisg_network_interface_attachment.extra: eni-tenant's security_group_ids are managed by alicloud_ecs_network_interface.tenant and by alisg (alisg_network_interface_attachment.extra)",
    );
    expect(refused.stdout).toContain(
      "lifecycle { ignore_changes = [security_group_ids] } to the network interface",
    );
    const json = await alisg(cloud, ["check-plan", fight, "--format", "json"]);
    expectExit(json, 2);
    expect((JSON.parse(json.stdout) as { findings: unknown[] }).findings).toEqual([
      expect.objectContaining({
        severity: "error",
        code: "AlicloudNetworkInterfaceConflict",
        addresses: ["alicloud_ecs_network_interface.tenant", "alisg_network_interface_attachment.extra"],
        instance_id: null,
        network_interface_id: "eni-tenant",
      }),
    ]);
    // Only reads; the ENI is untouched.
    expect(new Set(await actions(cloud))).toEqual(
      new Set(["DescribeNetworkInterfaces", "DescribeInstances", "DescribeSecurityGroups"]),
    );
    expect(await cloud.networkInterfaceGroupsOf("eni-tenant")).toEqual(["sg-a"]);
  });

  test("a malformed ENI ID in a plan is refused with InvalidEniId.Malformed, naming the ENI", async () => {
    const plan = join(out, "malformed.json");
    const change = (type: string, name: string, after: Record<string, unknown>) => ({
      address: `${type}.${name}`,
      mode: "managed",
      type,
      name,
      change: { actions: ["create"], before: null, after, after_unknown: {} },
    });
    writeFileSync(
      plan,
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [
          change("alisg_network_interface_attachment", "bad", {
            network_interface_id: "eni tenant",
            security_group_id: "sg-b",
          }),
          change("alisg_attachment", "bad", { instance_id: "i web", security_group_id: "sg-b" }),
        ],
      }),
    );
    const r = await alisg(cloud, ["check-plan", plan]);
    expectExit(r, 2);
    expect(r.stdout).toContain(
      'InvalidEniId.Malformed alisg_network_interface_attachment.bad: "eni tenant" is not a valid network interface ID (it contains whitespace), so it cannot join sg-b',
    );
    expect(r.stdout).toContain(
      'InvalidInstanceId.Malformed alisg_attachment.bad: "i web" is not a valid instance ID (it contains whitespace), so it cannot join sg-b',
    );
  });

  test("errors exit 1 and name the input: unknown format_version, missing file, bad JSON, no region", async () => {
    const v2 = join(out, "v2.json");
    writeFileSync(v2, JSON.stringify({ format_version: "2.0", resource_changes: [] }));
    let r = await alisg(cloud, ["check-plan", v2]);
    expectExit(r, 1);
    expect(r.stderr).toContain(`alisg check-plan: ${v2}: format_version "2.0" is not supported`);

    r = await alisg(cloud, ["check-plan", join(out, "nope.json")]);
    expectExit(r, 1);
    expect(r.stderr).toContain("nope.json: cannot read it (ENOENT)");

    r = await alisg(cloud, ["check-plan", "-"], { stdin: "{not json" });
    expectExit(r, 1);
    expect(r.stderr).toContain("stdin: not valid JSON");

    const ok = join(out, "ok.json");
    writeFileSync(ok, JSON.stringify({ format_version: "1.2", resource_changes: [] }));
    r = await alisg(cloud, ["check-plan", ok], { env: { ALIBABA_CLOUD_REGION_ID: "" } });
    expectExit(r, 1);
    expect(r.stderr).toContain("Missing region");
  });

  test("wrong credentials are an error (exit 1), not a verdict", async () => {
    const plan = join(out, "removal.json");
    writeFileSync(
      plan,
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [
          {
            address: "alisg_attachment.web",
            mode: "managed",
            type: "alisg_attachment",
            name: "web",
            change: {
              actions: ["delete"],
              before: { instance_id: "i-web", security_group_id: "sg-a" },
              after: null,
            },
          },
        ],
      }),
    );
    const r = await alisg(cloud, ["check-plan", plan], { env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong" } });
    expectExit(r, 1);
    expect(r.stderr).toMatch(/^alisg check-plan: SignatureDoesNotMatch: .*action DescribeInstances/);
    expect(r.output).not.toContain("wrong");
    expect(r.output).not.toContain(SECRET);
  });
});

const ALICLOUD_VERSION = "1.0.0";

/** Writes the workspace's configuration with the stand-in alicloud provider required beside alisg. */
function configureWithAlicloud(ws: Workspace, resources: Record<string, Record<string, object>>): void {
  ws.configure(resources);
  const main = JSON.parse(readFileSync(join(ws.dir, "main.tf.json"), "utf8")) as {
    terraform: { required_providers: Record<string, object> };
  };
  main.terraform.required_providers.alicloud = { source: "aliyun/alicloud", version: ALICLOUD_VERSION };
  writeFileSync(join(ws.dir, "main.tf.json"), JSON.stringify(main));
}

/** Bundles the stand-in alicloud provider into the workspace's implied mirror, as Terraform expects it. */
function installAlicloudStandIn(dir: string): void {
  const target = join(
    dir,
    "terraform.d",
    "plugins",
    "registry.terraform.io",
    "aliyun",
    "alicloud",
    ALICLOUD_VERSION,
    platformDir(),
  );
  const r = spawnSync(
    process.execPath,
    [
      join(__dirname, "..", "..", "scripts", "bundle-provider.mjs"),
      "--entry",
      join(__dirname, "fixtures", "alicloud-stand-in-main.ts"),
      "--outdir",
      target,
      "--name",
      `terraform-provider-alicloud_v${ALICLOUD_VERSION}`,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0)
    throw new Error(`bundling the stand-in alicloud provider failed:\n${r.stderr}${r.stdout}`);
}
