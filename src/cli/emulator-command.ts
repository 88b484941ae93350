import { type Command, InvalidArgumentError } from "commander";
import { loadSeedFile, startEmulator, type EmulatorState } from "../emulator/server";

interface EmulatorCommandOptions {
  host: string;
  port: number;
  seed?: string;
}

/** `alisg emulator [--host] [--port] [--seed]` (see DESIGN.md, "Emulator"). */
export function registerEmulatorCommand(program: Command): void {
  program
    .command("emulator")
    .description("serve the local ECS emulator (ECS RPC API 2014-05-26 plus the /_emulator admin API)")
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on (0 = any free port)", parsePort, 4599)
    .option("--seed <file>", "JSON seed file with the initial world (see docs/emulator.md)")
    .action(async (options: EmulatorCommandOptions) => {
      await runEmulator(options);
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError("expected a port number from 0 to 65535.");
  return port;
}

/** Serves until SIGINT/SIGTERM, then closes and resolves. A bad seed or a busy port ends the process with exit 1. */
async function runEmulator(options: EmulatorCommandOptions): Promise<void> {
  let seed: EmulatorState | undefined;
  let emulator;
  try {
    seed = options.seed === undefined ? undefined : loadSeedFile(options.seed);
    emulator = await startEmulator({ host: options.host, port: options.port, seed });
  } catch (err) {
    process.stderr.write(`alisg emulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`alisg emulator listening on ${emulator.url}\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      process.stderr.write(`alisg emulator: ${signal}, shutting down\n`);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emulator.close();
}
