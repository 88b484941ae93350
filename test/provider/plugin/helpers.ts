import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../../../src/provider/plugin/handshake";

export const ROOT = resolve(__dirname, "../../..");

/** A temporary directory removed by `cleanup()`. */
export function tempDir(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Bundles the toy provider with the real bundling script into `outDir`. */
export function buildToyProvider(outDir: string): { bundle: string; launcher: string } {
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, "scripts/bundle-provider.mjs"),
      "--entry",
      join(__dirname, "fixtures/toy-main.ts"),
      "--outdir",
      outDir,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`bundling the toy provider failed:\n${r.stderr}${r.stdout}`);
  return { bundle: join(outDir, "provider.cjs"), launcher: join(outDir, "terraform-provider-alisg") };
}

export function pluginEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: "5,6",
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
    PLUGIN_CLIENT_CERT: undefined,
    ...extra,
  };
}

export interface RunningProvider {
  readonly child: ChildProcess;
  /** The handshake line's fields. */
  readonly fields: string[];
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts a provider executable and waits for its handshake line. */
export function startProvider(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<RunningProvider> {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => res(code)));
  return new Promise((res, rej) => {
    let out = "";
    const timer = setTimeout(() => rej(new Error(`no handshake within 10 s; stderr: ${err}`)), 10_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        res({ child, fields: out.slice(0, nl).split("|"), stderr: () => err, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`provider exited (${code}) before its handshake; stderr: ${err}`));
    });
  });
}

const identity = (b: Buffer) => b;

/** A raw gRPC client: bytes in, bytes out, for any method path. */
export class RawClient {
  private readonly client: grpc.Client;
  constructor(address: string, credentials: grpc.ChannelCredentials) {
    this.client = new grpc.Client(`unix:${address}`, credentials, {
      "grpc.ssl_target_name_override": "localhost",
      "grpc.default_authority": "localhost",
    });
  }
  call(path: string, request: Buffer = Buffer.alloc(0)): Promise<Buffer> {
    return new Promise((res, rej) =>
      this.client.makeUnaryRequest(path, identity, identity, request, (err, value) =>
        err ? rej(err) : res(value as Buffer),
      ),
    );
  }
  close(): void {
    this.client.close();
  }
}

/** Whether a process still runs. A zombie (exited, not yet reaped by its new parent) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return process.platform !== "linux";
  }
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
