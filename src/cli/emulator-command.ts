import type { Command } from "commander";

/** `alisg emulator [--host] [--port] [--seed]` (see DESIGN.md, "Emulator"). */
export function registerEmulatorCommand(program: Command): void {
  program.command("emulator").description("serve the local ECS emulator (not implemented yet)");
}
