import type { Command } from "commander";

/** `alisg install-provider [--plugin-dir DIR]` */
export function registerInstallProviderCommand(program: Command): void {
  program.command("install-provider").description("install the alisg Terraform provider (not implemented yet)");
}
