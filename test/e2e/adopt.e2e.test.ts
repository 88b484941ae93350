/**
 * `alisg adopt` on a brownfield estate of 300 instances with 1 to 5 groups
 * each, against the emulator, then the real terraform on what it wrote: the
 * first plan only imports, its apply makes no Join or Leave call, the next
 * plan is clean. The same for authoritative sets, and for the cdktf module
 * in a cdktf app (its cdktn twin type-checks and synthesizes the same);
 * and for the ENIs named with --network-interface-id, alone or next to
 * instances. Needs dist/ (npm test builds first).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EmulatorSeed } from "../../src/emulator/server";
import {
  ACCESS_KEY,
  Cloud,
  expectExit,
  runProcess,
  SECRET,
  seed,
  Workspace,
  type RunResult,
} from "./harness";
import { alisg } from "./gitops-cli";

jest.setTimeout(300_000);

const root = join(__dirname, "..", "..");
const INSTANCES = 300;
const GROUPS = Array.from({ length: 12 }, (_, g) => `sg-p${String(g).padStart(2, "0")}`);

/** Instance k of vpc-prod: 1 to 5 groups, a tag or two; a few not Running/Stopped or security-locked. */
function prodInstance(k: number) {
  const count = 1 + ((k * 7) % 5);
  return {
    instanceId: `i-prod${String(k).padStart(3, "0")}`,
    vpcId: "vpc-prod",
    // 5 is coprime with 12: the groups of one instance are distinct.
    securityGroupIds: Array.from({ length: count }, (_, j) => GROUPS[(k + j * 5) % GROUPS.length]),
    status: k === 7 ? ("Stopping" as const) : k === 13 ? ("Stopped" as const) : ("Running" as const),
    lockReasons: k === 11 ? (["security"] as const) : [],
    tags: [
      { key: "env", value: k % 3 === 0 ? "prod" : "test" },
      ...(k % 10 === 0 ? [{ key: "owner", value: "platform" }] : []),
    ],
  };
}

const prod = Array.from({ length: INSTANCES }, (_, k) => prodInstance(k));
const memberships = prod.reduce((n, i) => n + i.securityGroupIds.length, 0);

/** Secondary ENI k, attached to instance k of vpc-prod: 1 to 3 groups. */
function secondaryEni(k: number) {
  return {
    networkInterfaceId: `eni-s${String(k).padStart(3, "0")}`,
    instanceId: prod[k].instanceId,
    // 7 is coprime with 12: the groups of one ENI are distinct.
    securityGroupIds: Array.from({ length: 1 + (k % 3) }, (_, j) => GROUPS[(k * 5 + j * 7) % GROUPS.length]),
  };
}
const SECONDARY_ENIS = 150;
const secondaries = Array.from({ length: SECONDARY_ENIS }, (_, k) => secondaryEni(k));
/** A detached ENI, and the primary ENI of i-prod000 (its groups are the instance's). */
const FREE_ENI = {
  networkInterfaceId: "eni-free",
  instanceId: null,
  vpcId: "vpc-prod",
  securityGroupIds: ["sg-p03"],
};
const PRIMARY_ENI = {
  networkInterfaceId: "eni-p000",
  instanceId: prod[0].instanceId,
  type: "Primary" as const,
};
const groupsOf = (enis: readonly { securityGroupIds: readonly string[] }[]) =>
  enis.reduce((n, e) => n + e.securityGroupIds.length, 0);

function world(): EmulatorSeed {
  const base = seed(
    [
      ...prod.map((i) => ({ ...i, lockReasons: [...i.lockReasons] })),
      // Another VPC, which no selection below takes.
      ...Array.from({ length: 20 }, (_, k) => ({
        instanceId: `i-other${k}`,
        vpcId: "vpc-other",
        securityGroupIds: ["sg-other"],
      })),
    ],
    [
      ...GROUPS.map((securityGroupId) => ({ securityGroupId, vpcId: "vpc-prod" })),
      { securityGroupId: "sg-other", vpcId: "vpc-other" },
    ],
  );
  // A name, as real groups have: it appears as a comment next to the ID.
  base.securityGroups![0] = { ...base.securityGroups![0], name: "baseline deny-all" };
  return { ...base, networkInterfaces: [...secondaries, FREE_ENI, PRIMARY_ENI] };
}

let cloud: Cloud;
let work: string;
const workspaces: Workspace[] = [];

beforeAll(async () => {
  cloud = await Cloud.start(world());
  work = mkdtempSync(join(tmpdir(), "alisg-adopt-"));
});
afterAll(async () => {
  await cloud.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(async () => {
  await cloud.replaceState(world());
  await cloud.clearCalls();
});
afterEach(() => {
  for (const ws of workspaces.splice(0)) ws.cleanup();
});

/** A Terraform dir whose main.tf.json holds only the terraform and provider blocks. */
function workspace(): Workspace {
  const ws = new Workspace(cloud);
  workspaces.push(ws);
  ws.configure({});
  return ws;
}

/** The API calls since the log was last cleared, by action. */
async function callCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const c of await cloud.calls()) counts[c.action] = (counts[c.action] ?? 0) + 1;
  return counts;
}

/**
 * Runs adopt, checks its describe calls against the bound, and reports the
 * run time. `expectedInstances` null: no instance selector (ENIs only);
 * `enis`: how many --network-interface-id were given; `hosts`: how many
 * instances those ENIs are attached to that the selection does not hold.
 */
async function adopt(
  args: string[],
  expectedInstances: number | null,
  enis = 0,
  hosts = 0,
): Promise<RunResult> {
  await cloud.clearCalls();
  const started = Date.now();
  const r = await alisg(cloud, ["adopt", ...args]);
  const ms = Date.now() - started;
  expectExit(r, 0);
  const counts = await callCounts();
  // Read-only: Describe* calls only, exactly the bound: one paged query, 100 a page, for the
  // instances, and the ENIs' other hosts 100 IDs a call; ceil(ENIs / 100)
  // DescribeNetworkInterfaces; the groups in one batch.
  const instanceCalls =
    (expectedInstances === null ? 0 : Math.max(1, Math.ceil(expectedInstances / 100))) +
    Math.ceil(hosts / 100);
  expect(counts).toEqual({
    ...(instanceCalls > 0 ? { DescribeInstances: instanceCalls } : {}),
    ...(enis > 0 ? { DescribeNetworkInterfaces: Math.ceil(enis / 100) } : {}),
    DescribeSecurityGroups: 1,
  });
  process.stdout.write(
    `alisg adopt ${args.length > 12 ? `${args.slice(0, 12).join(" ")} ...` : args.join(" ")}: ${expectedInstances ?? 0} instances, ${enis} ENIs, ${JSON.stringify(counts)}, ${ms} ms\n`,
  );
  return r;
}

/**
 * The first plan of what adopt wrote only imports; applying that saved plan
 * (no second planning walk) makes no Join or Leave call; the next plan is clean.
 */
async function importsOnly(run: (args: string[]) => Promise<RunResult>, resources: number): Promise<void> {
  const plan = await run(["plan", "-detailed-exitcode", "-out", "tfplan"]);
  expectExit(plan, 2);
  expect(plan.stdout).toContain(`Plan: ${resources} to import, 0 to add, 0 to change, 0 to destroy.`);
  await cloud.clearCalls();
  const apply = await run(["apply", "tfplan"]);
  expectExit(apply, 0);
  expect(apply.stdout).toContain(
    `Apply complete! Resources: ${resources} imported, 0 added, 0 changed, 0 destroyed.`,
  );
  expect(await cloud.changes()).toEqual([]);
  expectExit(await run(["plan", "-detailed-exitcode"]), 0);
}

const terraformIn = (ws: Workspace) => (args: string[]) => ws.terraform([...args, "-no-color"]);

describe("alisg adopt on 300 instances with real terraform", () => {
  test("--kind attachment (hcl): the same file every run, terraform fmt clean; the plan only imports; the apply joins and leaves nothing", async () => {
    const ws = workspace();
    const file = join(ws.dir, "adopted.tf");
    await adopt(["--vpc-id", "vpc-prod", "--out", file], INSTANCES);
    const text = readFileSync(file, "utf8");
    expect(text.match(/^import \{$/gm)).toHaveLength(memberships);
    expect(text).toContain('  security_group_id = "sg-p00" # baseline deny-all\n');
    expect(text).toContain(
      "# i-prod007 is Stopping: importing changes nothing, but a later change to its groups would be refused (IncorrectInstanceStatus) until it is Running or Stopped\n",
    );
    expect(text).toContain("# i-prod011 is locked for security:");
    expect(text).not.toMatch(/i-other|^provider|^terraform/m);
    // Byte for byte the same on the next run; and terraform fmt would change nothing.
    expect((await alisg(cloud, ["adopt", "--vpc-id", "vpc-prod"])).stdout).toBe(text);
    expectExit(await ws.terraform(["fmt", "-check", "-diff", "-no-color"]), 0);

    await ws.init();
    await importsOnly(terraformIn(ws), memberships);

    // Adopting again, leaving out what this state already manages: nothing left to adopt.
    const state = join(work, "attachments.tfstate.json");
    writeFileSync(state, (await ws.terraform(["show", "-json"])).stdout);
    const again = await alisg(cloud, [
      "adopt",
      "--vpc-id",
      "vpc-prod",
      "--exclude-state",
      state,
      "--format",
      "json",
    ]);
    expectExit(again, 0);
    const doc = JSON.parse(again.stdout) as { memberships: unknown[]; summary: { left_out: number } };
    expect(doc.memberships).toEqual([]);
    expect(doc.summary.left_out).toBe(memberships);
  });

  test("--kind set: one authoritative set per instance, imports only", async () => {
    const ws = workspace();
    await adopt(["--vpc-id", "vpc-prod", "--kind", "set", "--out", join(ws.dir, "adopted.tf")], INSTANCES);
    const text = readFileSync(join(ws.dir, "adopted.tf"), "utf8");
    expect(text.match(/^resource "alisg_instance_security_groups" /gm)).toHaveLength(INSTANCES);
    await ws.init();
    await importsOnly(terraformIn(ws), INSTANCES);
  });

  test("--format cdktf: the module synthesizes in a cdktf app and deploys with imports only; its cdktn twin synthesizes the same", async () => {
    const apps = { cdktf: cdkApp("cdktf"), cdktn: cdkApp("cdktn") };
    const enis = [secondaries[0], secondaries[2], FREE_ENI];
    const imports = memberships + groupsOf(enis);
    for (const cdk of ["cdktf", "cdktn"] as const) {
      const args = ["--vpc-id", "vpc-prod", "--format", "cdktf", "--cdk", cdk, "--with-provider"];
      const eniArgs = enis.flatMap((e) => ["--network-interface-id", e.networkInterfaceId]);
      await adopt([...args, ...eniArgs, "--out", join(apps[cdk], "adopted.ts")], INSTANCES, enis.length);
    }
    expect(readFileSync(join(apps.cdktn, "adopted.ts"), "utf8")).toContain(
      '  new NetworkInterfaceSecurityGroupAttachment(scope, "eni-free_sg-p03", {\n    networkInterfaceId: "eni-free",\n',
    );
    // Type-checked against each CDK's declarations (and the library's), compiled, synthesized.
    const stacks = await Promise.all(
      (["cdktf", "cdktn"] as const).map(async (cdk) => {
        const dir = apps[cdk];
        const tsc = await runProcess(
          join(root, "node_modules", ".bin", "tsc"),
          ["-p", "tsconfig.json"],
          dir,
          {
            PATH: process.env.PATH ?? "",
          },
        );
        expectExit(tsc, 0);
        // Synth runs `terraform version` once (import blocks need Terraform 1.5+).
        const synth = await runProcess(process.execPath, ["dist/main.js"], dir, {
          PATH: process.env.PATH ?? "",
          HOME: dir,
          TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"),
          CHECKPOINT_DISABLE: "1",
        });
        expectExit(synth, 0);
        return join(dir, "cdktf.out", "stacks", "adopted");
      }),
    );
    const synthesized = stacks.map((dir) => {
      const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
      return { import: json.import, resource: json.resource, provider: json.provider };
    });
    expect(synthesized[1]).toEqual(synthesized[0]);
    expect(synthesized[0].import).toHaveLength(imports);

    const terraform = (args: string[]) =>
      runProcess("terraform", [...args, "-no-color"], stacks[0], {
        PATH: process.env.PATH ?? "",
        HOME: apps.cdktf,
        TF_CLI_CONFIG_FILE: join(apps.cdktf, "cli.tfrc"),
        CHECKPOINT_DISABLE: "1",
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
        ALIBABA_CLOUD_ECS_ENDPOINT: cloud.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
      });
    expectExit(await terraform(["init"]), 0);
    await importsOnly(terraform, imports);
  });
});

describe("alisg adopt --network-interface-id with real terraform", () => {
  test("ENIs alone (hcl attachments): ceil(ENIs / 100) DescribeNetworkInterfaces, their hosts 100 a call; cautions from a host; the primary ENI left out, an unknown ENI a warning; imports only", async () => {
    const ws = workspace();
    const file = join(ws.dir, "adopted.tf");
    const ids = [...secondaries, FREE_ENI, PRIMARY_ENI].map((e) => e.networkInterfaceId);
    const args = [...ids, "eni-nope"].flatMap((id) => ["--network-interface-id", id]);
    const r = await adopt([...args, "--out", file], null, ids.length + 1, SECONDARY_ENIS);
    expect(r.stderr).toContain(
      "alisg adopt: warning: --network-interface-id eni-nope: no such network interface",
    );
    const imports = groupsOf([...secondaries, FREE_ENI]);
    expect(r.stderr).toContain(
      `alisg adopt: ${imports} alisg_network_interface_attachment resources for ${SECONDARY_ENIS + 1} ENIs written to ${file}; ${prod[0].securityGroupIds.length} membership`,
    );
    const text = readFileSync(file, "utf8");
    expect(text.match(/^resource "alisg_network_interface_attachment" /gm)).toHaveLength(imports);
    expect(text).not.toMatch(/^resource "alisg_attachment" /m);
    expect(text).toContain(
      'resource "alisg_network_interface_attachment" "eni-free_sg-p03" {\n  network_interface_id = "eni-free"\n  security_group_id    = "sg-p03"\n}',
    );
    // The hosts of eni-s007 and eni-s011 are Stopping and security-locked: adopted, with the reason.
    expect(text).toContain(
      "# eni-s007 is attached to i-prod007, which is Stopping: importing changes nothing, but a later change to the ENI's groups would be refused (IncorrectInstanceStatus)",
    );
    expect(text).toContain("# eni-s011 is attached to i-prod011, which is locked for security:");
    expect(text).toContain("#   eni-p000 ");
    expect(text).not.toContain('"eni-p000:');
    expectExit(await ws.terraform(["fmt", "-check", "-diff", "-no-color"]), 0);
    await ws.init();
    await importsOnly(terraformIn(ws), imports);

    // --exclude-state: what this state manages (by ENI resources) is left out.
    const state = join(work, "eni-attachments.tfstate.json");
    writeFileSync(state, (await ws.terraform(["show", "-json"])).stdout);
    const again = await alisg(cloud, ["adopt", ...args, "--exclude-state", state, "--format", "json"]);
    expectExit(again, 0);
    const doc = JSON.parse(again.stdout) as { memberships: unknown[]; summary: { left_out: number } };
    expect(doc.memberships).toEqual([]);
    expect(doc.summary.left_out).toBe(imports + prod[0].securityGroupIds.length);
  });

  test("--exclude-state: a resource of an instance's primary ENI leaves that membership out of the instance's, in the same DescribeNetworkInterfaces pass", async () => {
    const ws = workspace();
    const held = prod[0].securityGroupIds[0];
    ws.configure({
      alisg_network_interface_attachment: {
        primary: { network_interface_id: PRIMARY_ENI.networkInterfaceId, security_group_id: held },
      },
    });
    await ws.init();
    expectExit(await ws.apply(), 0);
    const state = join(work, "primary-eni.tfstate.json");
    writeFileSync(state, (await ws.terraform(["show", "-json"])).stdout);
    await cloud.clearCalls();
    const r = await alisg(cloud, [
      "adopt",
      "--instance-id",
      prod[0].instanceId,
      "--exclude-state",
      state,
      "--format",
      "json",
    ]);
    expectExit(r, 0);
    expect(await callCounts()).toEqual({
      DescribeInstances: 1,
      DescribeNetworkInterfaces: 1,
      DescribeSecurityGroups: 1,
    });
    const doc = JSON.parse(r.stdout) as {
      memberships: { instance_id: string; security_group_id: string }[];
      left_out: object[];
    };
    expect(doc.memberships.map((m) => m.security_group_id).sort()).toEqual(
      prod[0].securityGroupIds.filter((g) => g !== held).sort(),
    );
    expect(doc.left_out).toEqual([
      {
        instance_id: prod[0].instanceId,
        network_interface_id: null,
        security_group_id: held,
        reason: `already managed by ${state}: alisg_network_interface_attachment.primary`,
      },
    ]);
  });

  test("ENIs in addition to instances (--kind set): one set per instance and per ENI, never an ENI resource for the instance's primary ENI; imports only", async () => {
    const ws = workspace();
    const file = join(ws.dir, "adopted.tf");
    const enis = [secondaries[0], secondaries[1], PRIMARY_ENI];
    const args = [
      "--instance-id",
      prod[0].instanceId,
      "--instance-id",
      prod[1].instanceId,
      ...enis.flatMap((e) => ["--network-interface-id", e.networkInterfaceId]),
      "--kind",
      "set",
      "--out",
      file,
    ];
    await adopt(args, 2, enis.length);
    const text = readFileSync(file, "utf8");
    expect(text.match(/^resource "alisg_instance_security_groups" /gm)).toHaveLength(2);
    expect(text.match(/^resource "alisg_network_interface_security_groups" /gm)).toHaveLength(2);
    expect(text).toContain(
      "# 2 alisg_instance_security_groups resources for 2 instances, 2 alisg_network_interface_security_groups resources for 2 ENIs, each with its import.",
    );
    expect(text).not.toContain('id = "eni-p000"');
    expectExit(await ws.terraform(["fmt", "-check", "-diff", "-no-color"]), 0);
    await ws.init();
    await importsOnly(terraformIn(ws), 4);
  });
});

describe("alisg adopt: selection, exclusion and bad input", () => {
  interface Doc {
    memberships: { instance_id: string; security_group_id: string; address: string }[];
    left_out: { instance_id: string; security_group_id: string | null; reason: string }[];
  }
  const pairs = (doc: Doc) => doc.memberships.map((m) => `${m.instance_id}:${m.security_group_id}`).sort();
  const expectedPairs = (keep: (i: (typeof prod)[number]) => boolean) =>
    prod
      .filter(keep)
      .flatMap((i) => i.securityGroupIds.map((g) => `${i.instanceId}:${g}`))
      .sort();

  test("tags and several groups, ANDed with the VPC: one query per group, each within its bound", async () => {
    const groups = ["sg-p01", "sg-p02"];
    const inGroup = (g: string) =>
      prod.filter((i) => i.tags[0].value === "prod" && i.securityGroupIds.includes(g));
    const r = await alisg(cloud, [
      "adopt",
      "--vpc-id",
      "vpc-prod",
      "--tag",
      "env=prod",
      ...groups.flatMap((g) => ["--security-group-id", g]),
      "--format",
      "json",
    ]);
    expectExit(r, 0);
    const keep = (i: (typeof prod)[number]) =>
      i.tags[0].value === "prod" && i.securityGroupIds.some((g) => groups.includes(g));
    expect(pairs(JSON.parse(r.stdout) as Doc)).toEqual(expectedPairs(keep));
    // ECS filters by one group a call: one paged query per group.
    const bound = groups.reduce((n, g) => n + Math.max(1, Math.ceil(inGroup(g).length / 100)), 0);
    expect((await callCounts()).DescribeInstances).toBe(bound);

    await cloud.clearCalls();
    // Progress on stderr once a run takes longer than ALISG_PROGRESS_AFTER_MS (default a second).
    const owners = await alisg(cloud, ["adopt", "--tag", "owner", "--format", "json"], {
      env: { ALISG_PROGRESS_AFTER_MS: "0" },
    });
    expectExit(owners, 0);
    expect(owners.stderr).toContain("alisg adopt: describing the selected instances and their groups\n");
    expect(pairs(JSON.parse(owners.stdout) as Doc)).toEqual(expectedPairs((i) => i.tags.length > 1));
    expect((await callCounts()).DescribeInstances).toBe(1);
  });

  test("--instance-id: 100 IDs a call; an unknown ID is a warning, not an error", async () => {
    const ids = prod.slice(0, 150).map((i) => i.instanceId);
    await cloud.clearCalls();
    const r = await alisg(cloud, [
      "adopt",
      ...[...ids, "i-nope"].flatMap((id) => ["--instance-id", id]),
      "--format",
      "json",
    ]);
    expectExit(r, 0);
    expect(pairs(JSON.parse(r.stdout) as Doc)).toEqual(expectedPairs((i) => ids.includes(i.instanceId)));
    expect((await callCounts()).DescribeInstances).toBe(2);
    expect(r.stderr).toContain(
      "alisg adopt: warning: --instance-id i-nope: no such instance, or it does not match the filters",
    );
  });

  test("--exclude-state: what an alicloud_instance manages is left out; for sets the whole instance", async () => {
    const [first, second] = prod;
    const state = join(work, "alicloud.tfstate");
    writeFileSync(
      state,
      JSON.stringify({
        version: 4,
        resources: [
          {
            mode: "managed",
            type: "alicloud_instance",
            name: "legacy",
            instances: [
              { attributes: { id: second.instanceId, security_groups: [second.securityGroupIds[0]] } },
            ],
          },
        ],
      }),
    );
    const both = ["--instance-id", first.instanceId, "--instance-id", second.instanceId];
    const excluding = async (extra: string[]) =>
      JSON.parse(
        (await alisg(cloud, ["adopt", ...both, "--exclude-state", state, "--format", "json", ...extra]))
          .stdout,
      ) as Doc;
    const attach = await excluding([]);
    expect(pairs(attach)).toEqual(
      expectedPairs((i) => i === first || i === second).filter(
        (p) => p !== `${second.instanceId}:${second.securityGroupIds[0]}`,
      ),
    );
    expect(attach.left_out).toEqual([
      {
        instance_id: second.instanceId,
        network_interface_id: null,
        security_group_id: second.securityGroupIds[0],
        reason: `already managed by ${state}: alicloud_instance.legacy`,
      },
    ]);
    const sets = await excluding(["--kind", "set"]);
    expect([...new Set(sets.memberships.map((m) => m.address))]).toEqual([
      `alisg_instance_security_groups.${first.instanceId}`,
    ]);
    expect(sets.left_out.map((l) => l.instance_id)).toEqual(
      second.securityGroupIds.map(() => second.instanceId),
    );
  });

  test("bad input: exit 1 with a clear message, nothing written, nothing lost; no secret in any output", async () => {
    const existing = join(work, "existing.tf");
    writeFileSync(existing, "# mine\n");
    const fresh = join(work, "fresh.tf");
    const cases: [string[], string][] = [
      [
        [],
        "say which instances to adopt: give --instance-id ID (repeatable), or filters --vpc-id ID, --tag KEY=VALUE, --security-group-id ID; or ENIs with --network-interface-id ID (repeatable)",
      ],
      [
        ["--network-interface-id", "eni 1"],
        "--network-interface-id eni 1 is not an ECS ID: it contains whitespace",
      ],
      [
        ["--network-interface-id", "eni-nope", "--out", fresh],
        "no ENI in cn-hangzhou matches the selection: nothing written",
      ],
      [["--tag", "=prod"], "--tag =prod: expected KEY=VALUE (or KEY for any value)"],
      [
        ["--vpc-id", "vpc-prod", "--out", existing],
        `--out ${existing}: the file exists; give --force to overwrite it`,
      ],
      [
        ["--vpc-id", "vpc-prod", "--exclude-state", join(work, "missing.json")],
        "missing.json: cannot read it (ENOENT)",
      ],
      [
        ["--vpc-id", "vpc-none", "--out", fresh],
        "no instance in cn-hangzhou matches the selection: nothing written",
      ],
      [
        ["--vpc-id", "vpc-prod", "--kind", "all"],
        "argument 'all' is invalid. Allowed choices are attachment, set.",
      ],
    ];
    for (const [args, message] of cases) {
      const r = await alisg(cloud, ["adopt", ...args]);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: "" });
      expect(r.stderr).toContain(message);
      expect(r.output).not.toContain(SECRET);
    }
    expect(readFileSync(existing, "utf8")).toBe("# mine\n");
    expect(existsSync(fresh)).toBe(false);

    // --force replaces it; the written code holds no secret either.
    const forced = await alisg(cloud, [
      "adopt",
      "--vpc-id",
      "vpc-prod",
      "--out",
      existing,
      "--force",
      "--with-provider",
    ]);
    expectExit(forced, 0);
    const text = readFileSync(existing, "utf8");
    expect(text).toContain('provider "alisg" {\n  region = "cn-hangzhou"\n}');
    // Fully qualified, as synthesized stacks write it: the same provider address in Terraform and OpenTofu.
    expect(text).toContain('      source  = "registry.terraform.io/alisg/alisg"');
    expect(text + forced.output).not.toContain(SECRET);
    expect(text).not.toContain(ACCESS_KEY);
  });
});

/**
 * A minimal app for one CDK: its main.ts calls the adopted module's function
 * in a stack; the CDK, `constructs` and this package are linked from this
 * repository (the package by its name, as an installed copy is found).
 */
function cdkApp(cdk: "cdktf" | "cdktn"): string {
  const dir = join(work, `app-${cdk}`);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  for (const dep of [cdk, "constructs"])
    symlinkSync(join(root, "node_modules", dep), join(dir, "node_modules", dep));
  symlinkSync(root, join(dir, "node_modules", "cdktf-alicloud-sg-attachment"));
  writeFileSync(
    join(dir, "main.ts"),
    `import { App, TerraformStack } from "${cdk}";
import { addAdoptedSecurityGroups } from "./adopted";

const app = new App({ outdir: "cdktf.out" });
addAdoptedSecurityGroups(new TerraformStack(app, "adopted"));
app.synth();
`,
  );
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "CommonJS",
        lib: ["ES2022"],
        types: [],
        strict: true,
        skipLibCheck: true,
        rootDir: ".",
        outDir: "dist",
      },
      files: ["main.ts", "adopted.ts"],
    }),
  );
  writeFileSync(join(dir, "cli.tfrc"), "");
  expect(existsSync(join(dir, "node_modules", "cdktf-alicloud-sg-attachment", "dist", "index.js"))).toBe(
    true,
  );
  return dir;
}
