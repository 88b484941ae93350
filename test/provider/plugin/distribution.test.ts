import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { registerInstallProviderCommand } from "../../../src/cli/install-provider-command";
import * as distribution from "../../../src/provider/distribution";
import {
  bundledProviderDir,
  installProvider,
  platformDir,
  providerExecutableName,
  providerVersion,
} from "../../../src/provider/distribution";
import { packageHashV1 } from "../../../src/constructs/lock-file";
import { packageVersion } from "../../../src/version";
import { buildToyProvider, ROOT, tempDir } from "./helpers";

describe("installing the provider", () => {
  let build: ReturnType<typeof tempDir>;
  beforeAll(() => {
    build = tempDir("alisg-dist-");
    buildToyProvider(build.path);
  });
  afterAll(() => build.cleanup());

  it("names platforms as Terraform does", () => {
    expect(platformDir("linux", "x64")).toBe("linux_amd64");
    expect(platformDir("darwin", "arm64")).toBe("darwin_arm64");
    expect(platformDir("win32", "ia32")).toBe("windows_386");
  });

  it("versions the provider with the package", () => {
    expect(providerVersion()).toBe(packageVersion());
    expect(providerExecutableName("1.2.3")).toBe("terraform-provider-alisg_v1.2.3");
  });

  it("finds the bundle under the package root from src/ and from dist/", () => {
    expect(bundledProviderDir()).toBe(join(ROOT, "dist", "provider"));
    expect(bundledProviderDir(join(ROOT, "dist", "provider"))).toBe(join(ROOT, "dist", "provider"));
  });

  it("writes the implied-mirror layout: an executable launcher and the JavaScript modules beside it", () => {
    const plugins = tempDir("alisg-plugins-");
    try {
      const dir = installProvider(plugins.path, build.path);
      const version = providerVersion();
      expect(dir).toBe(join(plugins.path, "registry.terraform.io/alisg/alisg", version, platformDir()));
      const modules = readdirSync(build.path).filter((f) => f.endsWith(".cjs"));
      expect(modules.sort()).toEqual(["provider-bundle.cjs", "provider.cjs"]);
      expect(readdirSync(dir).sort()).toEqual([...modules, `terraform-provider-alisg_v${version}`].sort());
      expect(statSync(join(dir, `terraform-provider-alisg_v${version}`)).mode & 0o777).toBe(0o755);
      // Installing again replaces the files in place and drops what the new bundle no longer has.
      writeFileSync(join(dir, "chunk-STALE.cjs"), "");
      expect(installProvider(plugins.path, build.path)).toBe(dir);
      expect(readdirSync(dir)).toHaveLength(modules.length + 1);
    } finally {
      plugins.cleanup();
    }
  });

  it("says how to fix a missing bundle", () => {
    expect(() => installProvider("/nonexistent", join(build.path, "nope"))).toThrow(/run `npm run build`/);
  });

  it("bundles deterministically: the same bytes wherever it is built, with a relative launcher", () => {
    const again = tempDir("alisg-dist-again-");
    try {
      buildToyProvider(again.path);
      const files = readdirSync(build.path).sort();
      expect(readdirSync(again.path).sort()).toEqual(files);
      for (const f of files) {
        expect(readFileSync(join(again.path, f)).equals(readFileSync(join(build.path, f)))).toBe(true);
        expect(readFileSync(join(build.path, f), "utf8")).not.toContain(ROOT);
      }
      const launcher = readFileSync(join(build.path, "terraform-provider-alisg"), "utf8");
      expect(launcher).toMatch(/^#!\/bin\/sh\n/);
      expect(launcher).toContain('exec "${ALISG_PROVIDER_NODE:-node}" "$(dirname "$0")/provider.cjs" "$@"');
    } finally {
      again.cleanup();
    }
  });
});

describe("alisg install-provider", () => {
  let build: ReturnType<typeof tempDir>;
  beforeAll(() => {
    build = tempDir("alisg-cli-build-");
    buildToyProvider(build.path);
  });
  afterAll(() => build.cleanup());
  afterEach(() => jest.restoreAllMocks());

  async function run(args: string[]): Promise<{ out: string; err: string; code: number }> {
    const program = new Command("alisg").exitOverride();
    registerInstallProviderCommand(program);
    let out = "";
    let err = "";
    jest.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
    jest.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
    const before = process.exitCode;
    try {
      await program.parseAsync(["node", "alisg", "install-provider", ...args]);
      return { out, err, code: Number(process.exitCode ?? 0) };
    } finally {
      process.exitCode = before;
    }
  }

  it("installs into --plugin-dir under Terraform's and OpenTofu's host, printing each directory it wrote", async () => {
    // The package's own dist/ may not be built while this runs: install the toy bundle instead.
    const real = distribution.installProvider;
    jest
      .spyOn(distribution, "installProvider")
      .mockImplementation((dir, _source, host) => real(dir, build.path, host));
    const plugins = tempDir("alisg-cli-");
    try {
      const r = await run(["--plugin-dir", plugins.path]);
      const dirOf = (host: string) =>
        join(plugins.path, host, "alisg/alisg", providerVersion(), platformDir());
      expect(r).toEqual({
        out: `${dirOf("registry.terraform.io")}\n${dirOf("registry.opentofu.org")}\n`,
        err: "",
        code: 0,
      });
      // The same files under both hosts: the same h1: hash in either engine's lock file.
      expect(packageHashV1(dirOf("registry.opentofu.org"))).toBe(
        packageHashV1(dirOf("registry.terraform.io")),
      );
    } finally {
      plugins.cleanup();
    }
  });

  it("defaults to ~/.terraform.d/plugins, which Terraform and OpenTofu both search", async () => {
    const spy = jest.spyOn(distribution, "installProvider").mockReturnValue("/somewhere");
    await run([]);
    const home = join(homedir(), ".terraform.d", "plugins");
    expect(spy.mock.calls.map(([dir, , host]) => [dir, host])).toEqual([
      [home, "registry.terraform.io"],
      [home, "registry.opentofu.org"],
    ]);
  });

  it("fails with exit code 1 and the reason", async () => {
    jest.spyOn(distribution, "installProvider").mockImplementation(() => {
      throw new Error("the provider bundle is missing (x): run `npm run build`");
    });
    const r = await run(["--plugin-dir", "/tmp/x"]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toBe("alisg install-provider: the provider bundle is missing (x): run `npm run build`\n");
  });
});
