import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cloud, runProcess, seed } from "./harness";

// Plain Terraform: `alisg install-provider` (default ~/.terraform.d/plugins), then a hand-written
// HCL configuration in an empty directory: init and plan work offline.
// Needs dist/ (npm test builds first).
jest.setTimeout(120_000);

const root = join(__dirname, "..", "..");

describe("alisg install-provider with plain terraform", () => {
  let cloud: Cloud;
  let home: string;

  beforeAll(async () => {
    cloud = await Cloud.start(
      seed([{ instanceId: "i-hand1", securityGroupIds: ["sg-base"] }], ["sg-base", "sg-app"]),
    );
    home = mkdtempSync(join(tmpdir(), "alisg-home-"));
  });
  afterAll(async () => {
    await cloud.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("installs into ~/.terraform.d/plugins, then init and plan a hand-written configuration offline", async () => {
    const env = {
      PATH: process.env.PATH ?? "",
      HOME: home,
      TF_CLI_CONFIG_FILE: join(home, "empty.tfrc"),
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      ALIBABA_CLOUD_ACCESS_KEY_ID: "e2e-key",
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "e2e-secret-Zq8Xv1",
    };
    writeFileSync(env.TF_CLI_CONFIG_FILE, "");
    const install = await runProcess(
      process.execPath,
      [join(root, "bin", "alisg.js"), "install-provider"],
      home,
      env,
    );
    expect(install.code).toBe(0);
    expect(install.stdout).toContain(
      join(home, ".terraform.d", "plugins", "registry.terraform.io", "alisg", "alisg"),
    );

    const work = join(home, "work");
    mkdirSync(work);
    writeFileSync(
      join(work, "main.tf"),
      `terraform {
  required_providers {
    alisg = { source = "alisg/alisg" }
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
    const init = await runProcess("terraform", ["init", "-no-color"], work, env);
    expect(init.output).toContain("Terraform has been successfully initialized");
    expect(init.code).toBe(0);
    const plan = await runProcess("terraform", ["plan", "-no-color", "-detailed-exitcode"], work, env);
    expect(plan.output).toContain("alisg_attachment.app will be created");
    expect(plan.code).toBe(2);
  });
});
