import { spawn } from "node:child_process";
import { join } from "node:path";
import type { NodeRuntime } from "../support/node-matrix";
import { ACCESS_KEY, SECRET, type Cloud, type RunResult } from "./harness";

const BIN = join(__dirname, "..", "..", "bin", "alisg.js");

/**
 * Runs the built `alisg` CLI against the emulator, with only the environment given (plus PATH),
 * on `options.node` (default: the Node.js running the test).
 */
export function alisg(
  cloud: Cloud,
  args: string[],
  options: { stdin?: string; env?: Record<string, string>; cwd?: string; node?: NodeRuntime } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.node?.bin ?? process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: {
        PATH: process.env.PATH ?? "",
        ALIBABA_CLOUD_REGION_ID: "cn-hangzhou",
        ALIBABA_CLOUD_ECS_ENDPOINT: cloud.url,
        ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
        CHECKPOINT_DISABLE: "1",
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, output: stdout + stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

/** Every action the emulator received since the log was last cleared. */
export async function actions(cloud: Cloud): Promise<string[]> {
  return (await cloud.calls()).map((c) => c.action);
}
