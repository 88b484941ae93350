import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { installProvider } from "../provider/distribution";

/** Terraform's per-user implied local mirror. */
export function defaultPluginDir(): string {
  return join(homedir(), ".terraform.d", "plugins");
}

/** `alisg install-provider [--plugin-dir DIR]` */
export function registerInstallProviderCommand(program: Command): void {
  program
    .command("install-provider")
    .description("place the alisg Terraform provider where `terraform init` finds it offline")
    .option("--plugin-dir <dir>", "plugin directory (an implied local mirror)", defaultPluginDir())
    .action((opts: { pluginDir: string }) => {
      try {
        process.stdout.write(`${installProvider(resolve(opts.pluginDir))}\n`);
      } catch (err) {
        process.stderr.write(`alisg install-provider: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}
