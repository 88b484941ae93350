import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { bundledProviderDir, INSTALL_HOSTNAMES, installProvider } from "../provider/distribution";

/** The per-user implied local mirror; Terraform and OpenTofu both search it. */
export function defaultPluginDir(): string {
  return join(homedir(), ".terraform.d", "plugins");
}

/**
 * `alisg install-provider [--plugin-dir DIR]`: places the provider under each
 * host of {@link INSTALL_HOSTNAMES}, so that `source = "alisg/alisg"` resolves
 * offline in Terraform (registry.terraform.io) and in OpenTofu
 * (registry.opentofu.org), and the fully qualified
 * `registry.terraform.io/alisg/alisg` in both. Prints each directory written,
 * one a line.
 */
export function registerInstallProviderCommand(program: Command): void {
  program
    .command("install-provider")
    .description("place the alisg provider where `terraform init` and `tofu init` find it offline")
    .option("--plugin-dir <dir>", "plugin directory (an implied local mirror)", defaultPluginDir())
    .action((opts: { pluginDir: string }) => {
      try {
        const pluginDir = resolve(opts.pluginDir);
        const source = bundledProviderDir();
        for (const host of INSTALL_HOSTNAMES) {
          process.stdout.write(`${installProvider(pluginDir, source, host)}\n`);
        }
      } catch (err) {
        process.stderr.write(`alisg install-provider: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}
