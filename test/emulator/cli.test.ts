import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sdkClient } from "./sdk";

// `alisg emulator` as users run it: the built CLI (npm test builds dist/ first).
const ROOT = join(__dirname, "../..");
const BIN = join(ROOT, "bin", "alisg.js");
if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) {
  throw new Error("dist/cli/main.js is missing: run `npm run build` first (npm test does)");
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  firstLine: Promise<string>;
  exit: Promise<Exit>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
  let stdout = "";
  let stderr = "";
  let resolveLine: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => (resolveLine = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes("\n")) resolveLine(stdout.split("\n")[0]);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) => {
    child.on("exit", (code, signal) => {
      resolveLine(stdout.split("\n")[0]);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, firstLine, exit };
}

describe("alisg emulator (built CLI; run `npm run build` first)", () => {
  const dir = mkdtempSync(join(tmpdir(), "alisg-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(["SIGTERM", "SIGINT"] as const)(
    "serves the demo seed on a free port and stops cleanly on %s",
    async (signal) => {
      const proc = run([
        "emulator",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--seed",
        "examples/demo-seed.json",
      ]);
      try {
        const line = await proc.firstLine;
        const match = /^alisg emulator listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
        expect(match).not.toBeNull();
        expect(Number(match?.[2])).toBeGreaterThan(0);
        const url = match?.[1] ?? "";
        const body = await sdkClient(url)("DescribeInstanceAttribute", { InstanceId: "i-locked1" });
        expect(body.OperationLocks).toEqual({ LockReason: [{ LockReason: "security" }] });
        proc.child.kill(signal);
        const exit = await proc.exit;
        expect(exit.code).toBe(0);
      } finally {
        proc.child.kill("SIGKILL");
      }
    },
  );

  test("a malformed seed is a clear error on stderr and exit 1", async () => {
    const file = join(dir, "bad-seed.json");
    writeFileSync(
      file,
      JSON.stringify({
        instances: [{ instanceId: "i-a" }, { instanceId: "i-b" }, { instanceId: "i-c", status: "Runing" }],
      }),
    );
    const exit = await run(["emulator", "--port", "0", "--seed", file]).exit;
    expect(exit.code).toBe(1);
    expect(exit.stdout).toBe("");
    expect(exit.stderr).toContain(
      'instances[2].status: "Runing" is not one of Pending, Running, Starting, Stopping, Stopped',
    );
  });

  test("a seed file that does not exist is exit 1", async () => {
    const exit = await run(["emulator", "--port", "0", "--seed", join(dir, "nope.json")]).exit;
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("cannot read seed file");
  });

  test("a bad --port is refused", async () => {
    const exit = await run(["emulator", "--port", "http"]).exit;
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain("port");
  });

  test("exits, freeing its port, when the process that started it dies (npx ... & then kill)", async () => {
    // A parent that starts the emulator and is then killed without passing the signal on, as npx is.
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const c = require("node:child_process").spawn(process.execPath, ${JSON.stringify([BIN, "emulator", "--port", "0"])}, { stdio: ["ignore", "pipe", "inherit"] });
         c.stdout.on("data", (d) => process.stdout.write(d.toString().replace(/\\n/, " pid=" + c.pid + "\\n")));
         setInterval(() => undefined, 1000);`,
      ],
      { cwd: ROOT },
    );
    try {
      const line = await new Promise<string>((resolve) => {
        let out = "";
        parent.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
      });
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+) pid=(\d+)/.exec(line);
      expect(match).not.toBeNull();
      const [, url, pid] = match!;
      await sdkClient(url)("DescribeInstances", { RegionId: "cn-hangzhou" });
      parent.kill("SIGKILL");
      const deadline = Date.now() + 5000;
      let alive = true;
      while (alive && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        try {
          process.kill(Number(pid), 0);
        } catch {
          alive = false;
        }
      }
      expect(alive).toBe(false);
      await expect(fetch(`${url}/_emulator/calls`)).rejects.toThrow();
    } finally {
      parent.kill("SIGKILL");
    }
  });
});
