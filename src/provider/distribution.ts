/**
 * Where the bundled provider lives and how it is placed for Terraform and
 * OpenTofu (an implied local mirror: <dir>/<host>/alisg/alisg/<version>/<os>_<arch>/).
 * Used by `alisg install-provider` and by the cdktf constructs at synth time.
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { packageVersion } from "../version";

export const PROVIDER_HOSTNAME = "registry.terraform.io";
export const PROVIDER_NAMESPACE = "alisg";
export const PROVIDER_TYPE = "alisg";
export const PROVIDER_SOURCE = `${PROVIDER_NAMESPACE}/${PROVIDER_TYPE}`;
/**
 * The fully qualified source, `registry.terraform.io/alisg/alisg`: one provider
 * address in Terraform and in OpenTofu alike (the short `alisg/alisg` is
 * `registry.opentofu.org/alisg/alisg` to OpenTofu). Synthesized stacks use it.
 */
export const PROVIDER_ADDRESS = `${PROVIDER_HOSTNAME}/${PROVIDER_SOURCE}`;
/** The host OpenTofu gives a source written without one. */
export const OPENTOFU_HOSTNAME = "registry.opentofu.org";
/**
 * The hosts `alisg install-provider` places the provider under: the short
 * source `alisg/alisg` means the first to Terraform and the second to OpenTofu.
 */
export const INSTALL_HOSTNAMES: readonly string[] = [PROVIDER_HOSTNAME, OPENTOFU_HOSTNAME];

/**
 * What `npm run build` writes into dist/provider (see scripts/bundle-provider.mjs):
 * the launcher, the start module and the provider bundle (`*.cjs`). tsc's own output
 * shares the directory and is not part of the provider.
 */
export const ENTRY_MODULE = "provider.cjs";
export const LAUNCHER_FILE = `terraform-provider-${PROVIDER_TYPE}`;
const isBundleModule = (name: string) => name.endsWith(".cjs");

const PACKAGE_NAME = "cdktf-alicloud-sg-attachment";

/** The provider version: the package version. */
export function providerVersion(): string {
  return packageVersion();
}

/** Terraform's platform name for this machine, e.g. `linux_amd64`, `darwin_arm64`. */
export function platformDir(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === "win32" ? "windows" : platform;
  const cpu = ({ x64: "amd64", ia32: "386" } as Record<string, string>)[arch] ?? arch;
  return `${os}_${cpu}`;
}

/**
 * The directory holding the built provider bundle: `<package root>/dist/provider`.
 * Found by walking up to this package's package.json, so it works from dist/
 * (compiled), from src/ (ts-jest) and from node_modules/ (installed).
 */
export function bundledProviderDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === PACKAGE_NAME
    ) {
      return join(dir, "dist", "provider");
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package above ${from}`);
  }
}

/** `<pluginDir>/<hostname>/alisg/alisg/<version>/<os>_<arch>`; the host is part of the provider's address. */
export function providerInstallDir(
  pluginDir: string,
  version: string = providerVersion(),
  hostname: string = PROVIDER_HOSTNAME,
): string {
  return join(pluginDir, hostname, PROVIDER_NAMESPACE, PROVIDER_TYPE, version, platformDir());
}

/** The executable's name inside the install directory, as Terraform expects it. */
export function providerExecutableName(version: string = providerVersion()): string {
  return `terraform-provider-${PROVIDER_TYPE}_v${version}`;
}

/**
 * Copies the bundled provider (launcher + JavaScript modules) into `pluginDir`
 * in the implied-mirror layout and returns the directory it wrote. The files
 * are the same on every machine, so the `h1:` hash in .terraform.lock.hcl is
 * too; files of an earlier install that are not part of this one are removed
 * (they would change the hash). Each file is written beside its final name and
 * renamed into place, so a concurrent install or a running Terraform never
 * sees half a file.
 *
 * @param sourceDir where the bundle is; @default bundledProviderDir()
 * @param hostname the host directory, i.e. the provider address it serves; @default registry.terraform.io
 */
export function installProvider(
  pluginDir: string,
  sourceDir: string = bundledProviderDir(),
  hostname: string = PROVIDER_HOSTNAME,
): string {
  for (const file of [LAUNCHER_FILE, ENTRY_MODULE].map((f) => join(sourceDir, f))) {
    if (!existsSync(file)) {
      throw new Error(
        `the provider bundle is missing (${file}): run \`npm run build\` in the ${PACKAGE_NAME} package`,
      );
    }
  }
  const files = new Map<string, { from: string; mode: number }>([
    [providerExecutableName(), { from: join(sourceDir, LAUNCHER_FILE), mode: 0o755 }],
  ]);
  for (const name of readdirSync(sourceDir).filter(isBundleModule)) {
    files.set(name, { from: join(sourceDir, name), mode: 0o644 });
  }

  const target = providerInstallDir(pluginDir, providerVersion(), hostname);
  mkdirSync(target, { recursive: true });
  // Copies are staged beside the target, never in it: Terraform hashes every file of the target,
  // so a copy left by an interrupted install must not land there. Each file then arrives whole (rename).
  const staging = mkdtempSync(`${target}.staging-`);
  try {
    for (const [name, { from, mode }] of files) {
      const tmp = join(staging, name);
      copyFileSync(from, tmp);
      chmodSync(tmp, mode);
      renameSync(tmp, join(target, name));
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  for (const name of readdirSync(target)) {
    if (!files.has(name)) rmSync(join(target, name), { recursive: true, force: true });
  }
  return target;
}
