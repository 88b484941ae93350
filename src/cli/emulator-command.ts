import { type Command, InvalidArgumentError } from "commander";
import type { EmulatorState } from "../emulator/server";

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

/** How often the emulator checks that the process that started it is still alive. */
const PARENT_POLL_MS = 500;

/**
 * Serves until SIGINT/SIGTERM or until the parent process dies, then closes
 * and resolves. The parent check is what makes `npx alisg emulator &` followed
 * by `kill <npx pid>` free the port: npx does not pass the signal on, and the
 * orphaned emulator is re-parented (its ppid changes). A bad seed or a busy
 * port ends the process with exit 1.
 */
async function runEmulator(options: EmulatorCommandOptions): Promise<void> {
  let seed: EmulatorState | undefined;
  let emulator;
  try {
    // Loaded only for this command: the other commands start without the emulator's modules.
    const { loadSeedFile, startEmulator } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("../emulator/server") as typeof import("../emulator/server");
    seed = options.seed === undefined ? undefined : loadSeedFile(options.seed);
    emulator = await startEmulator({ host: options.host, port: options.port, seed });
  } catch (err) {
    process.stderr.write(`alisg emulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`alisg emulator listening on ${emulator.url}\n`);

  const parent = process.ppid;
  await new Promise<void>((resolve) => {
    const stop = (why: string) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      clearInterval(watch);
      process.stderr.write(`alisg emulator: ${why}, shutting down\n`);
      resolve();
    };
    const watch = setInterval(() => {
      if (process.ppid !== parent) stop(`parent process ${parent} exited`);
    }, PARENT_POLL_MS);
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emulator.close();
}
