import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSeedFile } from "../../src/emulator/server";
import { Cloud, runProcess, type RunResult } from "./harness";

// The real cdktf CLI (cdktf deploy / plan) on examples/basic against the emulator, offline.
// Needs dist/ and examples/basic/dist (npm test builds first).
jest.setTimeout(300_000);

const root = join(__dirname, "..", "..");

describe("cdktf CLI with the example app", () => {
  let cloud: Cloud;
  let dir: string;

  beforeAll(async () => {
    cloud = await Cloud.start(loadSeedFile(join(root, "examples", "demo-seed.json")));
    dir = mkdtempSync(join(tmpdir(), "alisg-cdktf-"));
    writeFileSync(
      join(dir, "cdktf.json"),
      JSON.stringify({
        language: "typescript",
        app: `node ${JSON.stringify(join(root, "examples", "basic", "dist", "main.js"))}`,
        output: "cdktf.out",
        sendCrashReports: "false",
        terraformProviders: [],
        terraformModules: [],
      }),
    );
    writeFileSync(join(dir, "cli.tfrc"), "");
  });
  afterAll(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function cdktf(args: string[], remove = ""): Promise<RunResult> {
    return runProcess(join(root, "node_modules", ".bin", "cdktf"), args, dir, {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      ALIBABA_CLOUD_ECS_ENDPOINT: cloud.url,
      ALISG_EXAMPLE_REMOVE: remove,
      TF_CLI_CONFIG_FILE: join(dir, "cli.tfrc"),
      CHECKPOINT_DISABLE: "1",
      DISABLE_VERSION_CHECK: "true",
      TF_IN_AUTOMATION: "1",
      FORCE_COLOR: "0",
      CI: "1",
    });
  }

  test("deploys, refuses an unsafe change at plan, then deploys a safe removal", async () => {
    const deploy = await cdktf(["deploy", "basic", "--auto-approve"]);
    expect(deploy.output).toContain("Apply complete! Resources: 4 added");
    expect(deploy.code).toBe(0);
    expect(await cloud.changes()).toEqual(["Join i-web1 sg-web"]);
    expect(await cloud.sortedGroupsOf("i-web1")).toEqual(["sg-base", "sg-web"]);

    await cloud.clearCalls();
    const unsafe = await cdktf(["plan", "basic"], "web1-base,web1-web");
    expect(unsafe.code).not.toBe(0);
    expect(unsafe.output).toContain(
      "InstanceLastSecurityGroup: removing sg-base and sg-web from i-web1 would leave it with no security group",
    );
    expect(await cloud.changes()).toEqual([]);

    const safe = await cdktf(["deploy", "basic", "--auto-approve"], "web1-web");
    expect(safe.output).toContain("1 destroyed");
    expect(safe.code).toBe(0);
    expect(await cloud.changes()).toEqual(["Leave i-web1 sg-web"]);
    expect(await cloud.sortedGroupsOf("i-web1")).toEqual(["sg-base"]);
  });
});
