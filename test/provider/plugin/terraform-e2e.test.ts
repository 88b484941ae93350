import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installProvider, providerVersion } from "../../../src/provider/distribution";
import { buildToyProvider, isAlive, tempDir, waitFor } from "./helpers";

/**
 * The real Terraform CLI against the toy provider, installed offline in the
 * working directory's implied mirror (terraform.d/plugins) by the real installer.
 */
// Terraform is a requirement of the test run, not an option: without it the suite fails, loudly.
if (spawnSync("terraform", ["version"], { encoding: "utf8" }).status !== 0) {
  throw new Error("terraform is not on PATH: install Terraform (>= 1.5) to run this test");
}

describe("Terraform with a provider written in Node.js", () => {
  let build: ReturnType<typeof tempDir>;
  let work: ReturnType<typeof tempDir>;
  let providerLog: string;

  beforeAll(() => {
    build = tempDir("alisg-toy-build-");
    buildToyProvider(build.path);
    work = tempDir("alisg-toy-tf-");
    installProvider(join(work.path, "terraform.d", "plugins"), build.path);
    providerLog = join(work.path, "providers.log");
    writeFileSync(join(work.path, "cli.tfrc"), "# no registries, no credentials: this test runs offline\n");
  });
  afterAll(() => {
    work?.cleanup();
    build?.cleanup();
  });

  function terraform(...args: string[]): { status: number | null; out: string; err: string } {
    const r = spawnSync("terraform", [...args, "-no-color"], {
      cwd: work.path,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        ...process.env,
        TF_CLI_CONFIG_FILE: join(work.path, "cli.tfrc"),
        CHECKPOINT_DISABLE: "1",
        TF_IN_AUTOMATION: "1",
        TF_INPUT: "0",
        TF_LOG: "",
        TOY_PROVIDER_LOG: providerLog,
      },
    });
    return { status: r.status, out: r.stdout, err: r.stderr };
  }
  function ok(...args: string[]): string {
    const r = terraform(...args);
    if (r.status !== 0)
      throw new Error(`terraform ${args.join(" ")} failed (${r.status}):\n${r.err}\n${r.out}`);
    return r.out;
  }
  function config(...resources: string[]): void {
    const tf = `
terraform {
  required_providers {
    alisg = { source = "alisg/alisg", version = "${providerVersion()}" }
  }
}
provider "alisg" {
  label  = "e2e"
  secret = "s3cr3t-value"
}
${resources.join("\n")}
`;
    writeFileSync(join(work.path, "main.tf"), tf);
  }
  const toy = (label: string, body: string) => `resource "alisg_toy" "${label}" {\n${body}\n}`;

  it("installs from the implied local mirror and records the directory hash", () => {
    config(toy("a", `name = "first"`));
    const out = ok("init");
    expect(out).toMatch(/Installed alisg\/alisg v[\d.]+ \(unauthenticated\)/);
    const lock = readFileSync(join(work.path, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain('provider "registry.terraform.io/alisg/alisg"');
    expect(lock).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
  });

  it("plans and applies a create with a computed id", () => {
    config(toy("a", `name = "first"\n  tags = ["x", "y"]\n  size = 3`));
    const plan = ok("plan");
    expect(plan).toContain("# alisg_toy.a will be created");
    expect(plan).toContain("id   = (known after apply)");
    expect(plan).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    const apply = ok("apply", "-auto-approve");
    expect(apply).toContain("Creation complete after");
    expect(apply).toContain("[id=toy-first]");
    expect(ok("state", "show", "alisg_toy.a")).toMatch(/size\s+= 3/);
    expect(ok("plan", "-detailed-exitcode")).toContain("No changes.");
  });

  it("replaces the resource when a requires_replace attribute changes", () => {
    config(toy("a", `name = "second"\n  tags = ["x", "y"]\n  size = 3`));
    const plan = ok("plan");
    expect(plan).toContain("# alisg_toy.a must be replaced");
    expect(plan).toContain("# forces replacement");
    expect(ok("apply", "-auto-approve")).toContain("Resources: 1 added, 0 changed, 1 destroyed.");
  });

  it("imports an existing resource by id", () => {
    config(toy("a", `name = "second"\n  tags = ["x", "y"]\n  size = 3`), toy("b", `name = "imported"`));
    const out = ok("import", "alisg_toy.b", "toy-imported");
    expect(out).toContain("Import successful!");
    expect(ok("state", "show", "alisg_toy.b")).toMatch(/id\s+= "toy-imported"/);
    const bad = terraform("import", "alisg_toy.c", "nope");
    expect(bad.status).toBe(1);
  });

  it("shows validation diagnostics on their attribute", () => {
    config(toy("a", `name = "has space"`));
    const r = terraform("validate");
    expect(r.status).toBe(1);
    expect(r.err).toContain("Error: name must not contain spaces");
    // Pointed at the attribute, not just the block.
    expect(r.err).toMatch(/\d+:\s+name = "has space"/);
  });

  it("refuses a destroy at plan time, for destroy and for a block removed from the code", () => {
    const guarded = toy("a", `name = "second"\n  tags = ["x", "y"]\n  size = 3\n  refuse_destroy = true`);
    config(guarded, toy("b", `name = "imported"`));
    ok("apply", "-auto-approve");

    const destroy = terraform("destroy", "-auto-approve");
    expect(destroy.status).toBe(1);
    expect(destroy.err).toContain("Error: ToyRefusal: destroying toy second is refused");
    expect(destroy.err).toContain("Set refuse_destroy = false and apply before destroying it.");
    expect(destroy.out).not.toContain("Destroying...");

    config(toy("b", `name = "imported"`));
    const removed = terraform("plan");
    expect(removed.status).toBe(1);
    expect(removed.err).toContain("Error: ToyRefusal: destroying toy second is refused");
    expect(ok("state", "list")).toContain("alisg_toy.a");
  });

  it("destroys everything once allowed, keeping secrets out of the output", () => {
    config(
      toy("a", `name = "second"\n  tags = ["x", "y"]\n  size = 3\n  refuse_destroy = false`),
      toy("b", `name = "imported"`),
    );
    ok("apply", "-auto-approve");
    const out = ok("destroy", "-auto-approve");
    expect(out).toContain("Destroy complete! Resources: 2 destroyed.");
    expect(out).not.toContain("s3cr3t-value");
    expect(ok("state", "list").trim()).toBe("");
  });

  it("used automatic mTLS in every provider process, and none outlives Terraform", async () => {
    const processes = readFileSync(providerLog, "utf8")
      .trim()
      .split("\n")
      .map((l) => l.split(" "));
    expect(processes.length).toBeGreaterThan(10);
    expect(new Set(processes.map(([, mode]) => mode))).toEqual(new Set(["mtls"]));
    const pids = processes.map(([pid]) => Number(pid));
    expect(await waitFor(() => pids.every((pid) => !isAlive(pid)), 3000)).toBe(true);
  });
});
