import { Command } from "commander";
import { registerEmulatorCommand } from "./emulator-command";
import { registerInstallProviderCommand } from "./install-provider-command";
import { registerCheckPlanCommand } from "./check-plan-command";
import { registerDriftCommand } from "./drift-command";
import { registerAdoptCommand } from "./adopt-command";
import { packageVersion } from "../version";

/** Builds the `alisg` command line. Each sub-command lives in its own file. */
export function buildCli(): Command {
  const program = new Command("alisg")
    .description(
      "Guarded ECS security-group attachments: emulator, provider installer, plan gate, drift report, adoption",
    )
    .version(packageVersion());
  registerEmulatorCommand(program);
  registerInstallProviderCommand(program);
  registerCheckPlanCommand(program);
  registerDriftCommand(program);
  registerAdoptCommand(program);
  return program;
}

/** Runs `alisg` with `argv` (node, script, args...); a failure prints `alisg: <message>` and exits 1. */
export function run(argv: readonly string[]): void {
  buildCli()
    .parseAsync([...argv])
    .catch((err: unknown) => {
      process.stderr.write(`alisg: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
