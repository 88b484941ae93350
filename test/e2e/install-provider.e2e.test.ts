import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageHashV1 } from "../../src/constructs/lock-file";
import { providerInstallDir, providerVersion } from "../../src/provider/distribution";
import { Cloud, runProcess, seed } from "./harness";

// Plain Terraform: `alisg install-provider` (default ~/.terraform.d/plugins), then hand-written
// HCL configurations in empty directories: init and plan work offline, for each way of writing the source.
// Needs dist/ (npm test builds first).
jest.setTimeout(120_000);

const root = join(__dirname, "..", "..");
const world = () => seed([{ instanceId: "i-hand1", securityGroupIds: ["sg-base"] }], ["sg-base", "sg-app"]);

describe("alisg install-provider with plain terraform", () => {
  let cloud: Cloud;
  let home: string;

  let env: Record<string, string>;

  beforeAll(async () => {
    cloud = await Cloud.start(world());
    home = mkdtempSync(join(tmpdir(), "alisg-home-"));
    env = {
      PATH: process.env.PATH ?? "",
      HOME: home,
      TF_CLI_CONFIG_FILE: join(home, "empty.tfrc"),
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "e2e-key",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "e2e-secret-Zq8Xv1",
    };
  });
  afterAll(async () => {
    await cloud.close();
    rmSync(home, { recursive: true, force: true });
  });

  /** A hand-written configuration in a directory of its own, requiring the provider by `source`. */
  function configuration(source: string): string {
    const work = mkdtempSync(join(home, "work-"));
    writeFileSync(
      join(work, "main.tf"),
      `terraform {
  required_providers {
    alisg = { source = "${source}" }
  }
}

provider "alisg" {
  region   = "cn-hangzhou"
  endpoint = "${cloud.url}"
}

resource "alisg_attachment" "app" {
  instance_id       = "i-hand1"
  security_group_id = "sg-app"
}
`,
    );
    return work;
  }

  test("installs into ~/.terraform.d/plugins, then init and plan a hand-written configuration offline", async () => {
    writeFileSync(env.TF_CLI_CONFIG_FILE, "");
    const install = await runProcess(
      process.execPath,
      [join(root, "bin", "alisg.js"), "install-provider"],
      home,
      env,
    );
    expect(install.code).toBe(0);
    const plugins = join(home, ".terraform.d", "plugins");
    expect(install.stdout.split("\n").filter(Boolean)).toEqual([
      providerInstallDir(plugins, providerVersion(), "registry.terraform.io"),
      providerInstallDir(plugins, providerVersion(), "registry.opentofu.org"),
    ]);

    const work = configuration("alisg/alisg");
    const init = await runProcess("terraform", ["init", "-no-color"], work, env);
    expect(init.output).toContain("Terraform has been successfully initialized");
    expect(init.code).toBe(0);
    const plan = await runProcess("terraform", ["plan", "-no-color", "-detailed-exitcode"], work, env);
    expect(plan.output).toContain("alisg_attachment.app will be created");
    expect(plan.code).toBe(2);
  });

  test("a directory applied with `alisg/alisg` plans no change once the source is written fully qualified", async () => {
    await cloud.reset(world());
    const work = configuration("alisg/alisg");
    const tf = (args: string[]) => runProcess("terraform", [...args, "-no-color"], work, env);
    expect((await tf(["init"])).code).toBe(0);
    expect((await tf(["apply", "-auto-approve"])).code).toBe(0);
    const main = readFileSync(join(work, "main.tf"), "utf8");
    writeFileSync(
      join(work, "main.tf"),
      main.replace('"alisg/alisg"', '"registry.terraform.io/alisg/alisg"'),
    );
    expect((await tf(["init"])).code).toBe(0);
    const plan = await tf(["plan", "-detailed-exitcode"]);
    expect(plan.output).toContain("No changes.");
    expect(plan.code).toBe(0);
  });

  // No tofu binary installs on these machines. What OpenTofu makes of `alisg/alisg` is the address
  // registry.opentofu.org/alisg/alisg, looked up in the same implied mirrors with the same layout; Terraform
  // resolves that address from the installed tree offline too, so the tree is complete for it.
  test.each(["registry.terraform.io/alisg/alisg", "registry.opentofu.org/alisg/alisg"])(
    "the installed tree resolves %s offline, locked with the same h1: hash",
    async (source) => {
      const work = configuration(source);
      const init = await runProcess("terraform", ["init", "-no-color"], work, env);
      expect(init.output).toContain("Terraform has been successfully initialized");
      expect(init.code).toBe(0);
      const lock = readFileSync(join(work, ".terraform.lock.hcl"), "utf8");
      expect(lock).toContain(`provider "${source}" {`);
      const installed = providerInstallDir(
        join(home, ".terraform.d", "plugins"),
        providerVersion(),
        source.split("/")[0],
      );
      expect(lock).toContain(`"${packageHashV1(installed)}"`);
      const plan = await runProcess("terraform", ["plan", "-no-color", "-detailed-exitcode"], work, env);
      expect(plan.output).toContain("alisg_attachment.app will be created");
      expect(plan.code).toBe(2);
    },
  );
});
