import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OTHER_NODES } from "../support/node-matrix";
import { expectExit, seed, useCloud } from "./harness";
import { actions, alisg } from "./gitops-cli";

// `alisg drift` on working dirs and states written by real terraform, against the emulator.
jest.setTimeout(240_000);

const world = () =>
  seed(
    [
      { instanceId: "i-app1", securityGroupIds: ["sg-base"] },
      { instanceId: "i-app2", securityGroupIds: ["sg-base"] },
      { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] },
    ],
    ["sg-base", "sg-app", "sg-db", "sg-ops"],
  );

describe("alisg drift with real terraform", () => {
  const env = useCloud(world);
  let out: string;
  beforeEach(async () => {
    out = mkdtempSync(join(tmpdir(), "alisg-drift-"));
    env.ws.configure({
      alisg_attachment: {
        one: { instance_id: "i-app1", security_group_id: "sg-app" },
        two: { instance_id: "i-app2", security_group_id: "sg-app" },
      },
      alisg_instance_security_groups: {
        db: { instance_id: "i-db1", security_group_ids: ["sg-base", "sg-db"] },
      },
    });
    await env.ws.init();
    expectExit(await env.ws.apply(), 0);
    await env.cloud.clearCalls();
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const stateFile = () => join(env.ws.dir, "terraform.tfstate");

  test("reports out-of-band changes (exit 2), read-only; apply corrects them; then clean (exit 0)", async () => {
    await env.cloud.patchInstance("i-app1", { securityGroupIds: ["sg-base"] });
    await env.cloud.patchInstance("i-db1", { securityGroupIds: ["sg-base", "sg-db", "sg-ops"] });
    const before = readFileSync(stateFile());

    const r = await alisg(env.cloud, ["drift", "--dir", env.ws.dir]);
    expectExit(r, 2);
    expect(r.stdout.split("\n").slice(0, 3)).toEqual([
      "KIND     ADDRESS                            INSTANCE  GROUP",
      "missing  alisg_attachment.one               i-app1    sg-app",
      "extra    alisg_instance_security_groups.db  i-db1     sg-ops",
    ]);
    expect(r.stdout).toContain("alisg drift: 2 differences (1 missing, 1 extra) in 3 resources");
    // alisg itself on Node.js 22 and 24: the same dir, the same report, byte for byte.
    for (const node of OTHER_NODES) {
      const other = await alisg(env.cloud, ["drift", "--dir", env.ws.dir], { node });
      expect([node.major, other.code, other.stdout]).toEqual([node.major, r.code, r.stdout]);
    }
    // Read-only, provably: only Describe* calls, and the state's bytes are unchanged.
    expect(new Set(await actions(env.cloud))).toEqual(
      new Set(["DescribeInstances", "DescribeSecurityGroups"]),
    );
    expect(readFileSync(stateFile()).equals(before)).toBe(true);

    expectExit(await env.ws.apply(), 0);
    const clean = await alisg(env.cloud, ["drift", "--dir", env.ws.dir]);
    expectExit(clean, 0);
    expect(clean.stdout).toBe("alisg drift: no drift in 3 resources\n");
  });

  test("--state reads `terraform state pull` and `terraform show -json`; json output is versioned", async () => {
    await env.cloud.patchInstance("i-app2", { securityGroupIds: ["sg-base"] });
    const pulled = join(out, "pulled.tfstate");
    writeFileSync(pulled, (await env.ws.terraform(["state", "pull"])).stdout);
    const shown = join(out, "shown.json");
    writeFileSync(shown, (await env.ws.terraform(["show", "-json"])).stdout);
    for (const file of [pulled, shown]) {
      const r = await alisg(env.cloud, ["drift", "--state", file, "--format", "json"]);
      expectExit(r, 2);
      const doc = JSON.parse(r.stdout) as { format_version: string; drift: unknown[] };
      expect(doc.format_version).toBe("1.0");
      expect(doc.drift).toEqual([
        {
          kind: "missing",
          address: "alisg_attachment.two",
          source: file,
          instance_id: "i-app2",
          network_interface_id: null,
          security_group_id: "sg-app",
          message: "i-app2 is not in sg-app any more: the next apply joins it again",
        },
      ]);
    }
  });

  test("blocked drift, gone instances, the ignore list and the github format", async () => {
    // i-app1 left sg-app and is stopping; i-app2 was deleted.
    await env.cloud.replaceState(
      seed(
        [
          { instanceId: "i-app1", securityGroupIds: ["sg-base"], status: "Stopping" },
          { instanceId: "i-db1", securityGroupIds: ["sg-base", "sg-db"] },
        ],
        ["sg-base", "sg-app", "sg-db", "sg-ops"],
      ),
    );
    const summary = join(out, "summary.md");
    let r = await alisg(env.cloud, ["drift", "--dir", env.ws.dir, "--format", "github"], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expectExit(r, 2);
    expect(r.stdout).toMatch(
      /^::error title=alisg drift blocked::alisg_attachment\.one: i-app1 is not in sg-app, and the next apply cannot correct it: IncorrectInstanceStatus: /m,
    );
    expect(r.stdout).toMatch(
      /^::error title=alisg drift instance_gone::alisg_attachment\.two: i-app2 no longer exists/m,
    );
    expect(readFileSync(summary, "utf8")).toContain("| blocked | `alisg_attachment.one` | i-app1 | sg-app |");

    const ignore = join(out, "ignore.json");
    writeFileSync(
      ignore,
      JSON.stringify([{ instance_id: "i-app1", security_group_id: "sg-app" }, { instance_id: "i-app2" }]),
    );
    r = await alisg(env.cloud, ["drift", "--dir", env.ws.dir, "--ignore", ignore]);
    expectExit(r, 0);
    expect(r.stdout).toBe("alisg drift: no drift, 2 ignored in 3 resources\n");
  });

  test("a key whose RAM policy lacks a Describe action: exit 1, naming the action", async () => {
    const world = seed([{ instanceId: "i-app1", securityGroupIds: ["sg-base"] }], ["sg-base", "sg-app"]);
    await env.cloud.replaceState({
      ...world,
      accessKeys: [
        ...(world.accessKeys ?? []),
        { accessKeyId: "ro", accessKeySecret: "ro-secret", allowedActions: ["DescribeInstances"] },
      ],
    });
    const r = await alisg(env.cloud, ["drift", "--dir", env.ws.dir], {
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "ro", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "ro-secret" },
    });
    expectExit(r, 1);
    expect(r.stderr).toMatch(
      /^alisg drift: Forbidden\.RAM: .* may not call ecs:DescribeSecurityGroups\. .*need only ecs:DescribeInstances and ecs:DescribeSecurityGroups\.$/m,
    );
    expect(r.output).not.toContain("ro-secret");
  });

  test("a missing dir is named (exit 1); so is a call with nothing to read", async () => {
    let r = await alisg(env.cloud, ["drift", "--dir", join(out, "nowhere")]);
    expectExit(r, 1);
    expect(r.stderr).toContain(`alisg drift: --dir ${join(out, "nowhere")}: no such directory`);
    r = await alisg(env.cloud, ["drift"]);
    expectExit(r, 1);
    expect(r.stderr).toContain("give at least one --dir DIR or --state FILE");
  });

  test("at most ceil(instances / 100) DescribeInstances for 250 instances, with a progress line when slow", async () => {
    const instances = Array.from({ length: 250 }, (_, n) => ({
      instanceId: `i-n${n}`,
      securityGroupIds: ["sg-base"],
    }));
    await env.cloud.replaceState(seed(instances, ["sg-base", "sg-app"]));
    await env.cloud.clearCalls();
    const raw = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "bench",
      outputs: {},
      resources: [
        {
          mode: "managed",
          type: "alisg_attachment",
          name: "a",
          provider: 'provider["registry.terraform.io/alisg/alisg"]',
          instances: instances.map((i, n) => ({
            index_key: n,
            attributes: { instance_id: i.instanceId, security_group_id: "sg-app" },
          })),
        },
      ],
    };
    const file = join(out, "big.tfstate");
    writeFileSync(file, JSON.stringify(raw));
    const r = await alisg(env.cloud, ["drift", "--state", file, "--format", "json"], {
      env: { ALISG_PROGRESS_AFTER_MS: "0" },
    });
    expectExit(r, 2);
    expect((JSON.parse(r.stdout) as { summary: { total: number } }).summary.total).toBe(250);
    expect((await actions(env.cloud)).filter((a) => a === "DescribeInstances")).toHaveLength(3);
    expect(r.stderr).toContain("alisg drift: describing the instances and groups of 250 resources");
  });
});
