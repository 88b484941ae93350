/**
 * Synth places the bundled provider in each stack's output so `terraform init`
 * (run by `cdktf plan|deploy` in that directory) finds it offline.
 *
 * NEEDS THE PROVIDER BUNDLE (dist/provider, written by `npm run build`;
 * `npm test` builds first). The last test also runs the `terraform` binary.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { AlisgProvider, PLUGIN_DIR, SecurityGroupAttachment } from "../../src";
import { lockPlacedProvider } from "../../src/constructs/lock-file";
import {
  installProvider,
  platformDir,
  providerExecutableName,
  providerInstallDir,
} from "../../src/provider/distribution";
import { packageVersion } from "../../src/version";

function stackDir(outdir: string, stack: string): string {
  return join(outdir, "stacks", stack);
}

/** Every file under `dir` with its content, for comparing two installs. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "latin1")]));
}

describe("provider placement at synth", () => {
  test("a full synth places the bundled provider in the stack's implied local mirror", () => {
    const stack = new TerraformStack(Testing.app(), "web");
    new AlisgProvider(stack, "alisg", { region: "cn-hangzhou" });
    const outdir = Testing.fullSynth(stack);

    const placed = providerInstallDir(join(stackDir(outdir, "web"), PLUGIN_DIR));
    expect(placed).toContain(join("terraform.d", "plugins", "registry.terraform.io", "alisg", "alisg"));
    expect(existsSync(join(placed, providerExecutableName()))).toBe(true);
    // Exactly what `alisg install-provider` writes, byte for byte (hence the same lock-file hash).
    const referenceDir = mkdtempSync(join(tmpdir(), "alisg-reference-"));
    try {
      expect(contents(placed)).toEqual(contents(installProvider(referenceDir)));
    } finally {
      rmSync(referenceDir, { recursive: true, force: true });
    }
  });

  test("the stack's source, the placed directory and the lock entry name one fully qualified address, the same in OpenTofu", () => {
    const stack = new TerraformStack(Testing.app(), "web");
    new AlisgProvider(stack, "alisg", { region: "cn-hangzhou" });
    const dir = stackDir(Testing.fullSynth(stack), "web");
    const config = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as {
      terraform: { required_providers: { alisg: { source: string } } };
    };
    const source = config.terraform.required_providers.alisg.source;
    // A host in the source: OpenTofu does not put its own registry's host in front of it.
    expect(source).toBe("registry.terraform.io/alisg/alisg");
    const placed = join(dir, PLUGIN_DIR, ...source.split("/"), packageVersion(), platformDir());
    expect(placed).toBe(providerInstallDir(join(dir, PLUGIN_DIR)));
    expect(existsSync(join(placed, providerExecutableName()))).toBe(true);
    expect(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8")).toContain(`provider "${source}" {`);
  });

  test("every stack with the provider gets its own copy", () => {
    const app = Testing.app();
    for (const id of ["one", "two"]) new AlisgProvider(new TerraformStack(app, id), "alisg");
    app.synth();
    for (const id of ["one", "two"]) {
      expect(existsSync(providerInstallDir(join(stackDir(app.outdir, id), PLUGIN_DIR)))).toBe(true);
    }
  });

  test("placeProvider: false leaves the provider out", () => {
    const stack = new TerraformStack(Testing.app(), "web");
    new AlisgProvider(stack, "alisg", { placeProvider: false });
    expect(existsSync(join(stackDir(Testing.fullSynth(stack), "web"), "terraform.d"))).toBe(false);
  });

  test("records the provider in the stack's lock file, keeping other providers' entries", () => {
    const stack = new TerraformStack(Testing.app(), "web");
    new AlisgProvider(stack, "alisg");
    const dir = stackDir(Testing.fullSynth(stack), "web");
    const lock = readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain('provider "registry.terraform.io/alisg/alisg" {');
    expect(lock).toContain(`version     = "${packageVersion()}"`);
    expect(lock).toMatch(/"h1:[A-Za-z0-9+/]+=*",/);

    const other = 'provider "registry.terraform.io/aliyun/alicloud" {\n  version = "1.230.0"\n}\n';
    const stale = lock.replace(/"h1:[^"]+"/, '"h1:stale"');
    writeFileSync(join(dir, ".terraform.lock.hcl"), `${other}\n${stale}`);
    lockPlacedProvider(dir, providerInstallDir(join(dir, PLUGIN_DIR)), packageVersion());
    expect(readFileSync(join(dir, ".terraform.lock.hcl"), "utf8")).toBe(`${other}\n${lock}`);
  });

  test("terraform init installs it with no network, and computes the same hash as the lock file", () => {
    const init = (dir: string) => {
      const cliConfig = join(dir, "empty.tfrc"); // no provider_installation block: implied mirrors only
      writeFileSync(cliConfig, "");
      const run = spawnSync("terraform", ["init", "-no-color", "-input=false"], {
        cwd: dir,
        encoding: "utf8",
        env: {
          PATH: process.env.PATH ?? "",
          HOME: dir,
          TF_CLI_CONFIG_FILE: cliConfig,
          CHECKPOINT_DISABLE: "1",
        },
      });
      expect(run.stdout + run.stderr).toContain("Terraform has been successfully initialized");
      return readFileSync(join(dir, ".terraform.lock.hcl"), "utf8");
    };
    const synth = () => {
      const stack = new TerraformStack(Testing.app(), "web");
      new AlisgProvider(stack, "alisg", { region: "cn-hangzhou" });
      new SecurityGroupAttachment(stack, "web", { instanceId: "i-web1", securityGroupId: "sg-web" });
      return stackDir(Testing.fullSynth(stack), "web");
    };
    const hash = (lock: string) => /"(h1:[^"]+)"/.exec(lock)?.[1];

    // With the lock file synth wrote: init verifies the placed files against it.
    const withLock = synth();
    const written = readFileSync(join(withLock, ".terraform.lock.hcl"), "utf8");
    expect(hash(init(withLock))).toBe(hash(written));

    // Without it: terraform computes the hash itself, and gets the same one.
    const withoutLock = synth();
    rmSync(join(withoutLock, ".terraform.lock.hcl"));
    expect(hash(init(withoutLock))).toBe(hash(written));
  });
});
