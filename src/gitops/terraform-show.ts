import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import { GitopsInputError } from "./input-error";

/**
 * The state of a Terraform working dir (a plain dir or a cdktf stack dir,
 * `cdktf.out/stacks/<stack>`) as `terraform show -json` prints it. That
 * command reads the state as stored: no refresh, no lock, nothing written.
 * The dir must have been initialised (`terraform init` / `cdktf deploy`).
 *
 * `terraform` is the engine's binary: `terraform` or `tofu` (OpenTofu takes
 * the same command, flags and `TF_*` variables, and decrypts an encrypted
 * state with the configuration in the dir and its environment).
 */
export function showState(
  dir: string,
  terraform = "terraform",
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const engine = basename(terraform);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    return Promise.reject(new GitopsInputError(`--dir ${dir}: no such directory`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(terraform, ["show", "-json", "-no-color"], {
      cwd: dir,
      env: { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) =>
      reject(
        new GitopsInputError(
          `--dir ${dir}: could not run ${terraform} (${e.message}): is it on PATH? (--terraform PATH names another binary, e.g. tofu)`,
        ),
      ),
    );
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else
        reject(
          new GitopsInputError(
            `--dir ${dir}: \`${engine} show -json\` failed (exit ${code}): ${err.trim().split("\n").slice(0, 6).join(" ")}`,
          ),
        );
    });
  });
}
