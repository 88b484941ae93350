import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { generateServerCertificate, toPem } from "../../../src/provider/plugin/certificate";
import { readFields, stringField } from "../../../src/provider/plugin/protobuf-wire";
import {
  buildToyProvider,
  isAlive,
  pluginEnv,
  RawClient,
  startProvider,
  tempDir,
  waitFor,
  type RunningProvider,
} from "./helpers";

// The provider as Terraform runs it: the bundled toy, through the real launcher.
let dir: ReturnType<typeof tempDir>;
let launcher: string;
let bundle: string;
const running: RunningProvider[] = [];

beforeAll(() => {
  dir = tempDir("alisg-plugin-");
  ({ launcher, bundle } = buildToyProvider(dir.path));
});
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
    await p.exited;
    expect(existsSync(p.fields[3])).toBe(false); // its socket file is gone
  }
});
afterAll(() => dir.cleanup());

async function start(env: NodeJS.ProcessEnv): Promise<RunningProvider> {
  const p = await startProvider(launcher, [], env);
  running.push(p);
  return p;
}

const SCHEMA = "/tfplugin6.Provider/GetProviderSchema";
const SHUTDOWN = "/plugin.GRPCController/Shutdown";

describe("the provider process", () => {
  it("refuses to run without Terraform's magic cookie", () => {
    const r = spawnSync(launcher, [], {
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: "nope" },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/This binary is a plugin. These are not meant to be executed directly/);
  });

  it("exits with the reason when it cannot start, instead of leaving Terraform waiting", () => {
    const r = spawnSync(launcher, [], {
      env: pluginEnv({ PLUGIN_CLIENT_CERT: "not a certificate" }),
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/cannot start: PLUGIN_CLIENT_CERT is not a PEM certificate/);
  });

  it("serves plaintext with an empty certificate field when Terraform sends no client certificate", async () => {
    const p = await start(pluginEnv());
    expect(p.fields.slice(0, 3)).toEqual(["1", "6", "unix"]);
    expect(p.fields[4]).toBe("grpc");
    expect(p.fields[5]).toBe("");
    expect(p.fields).toHaveLength(6);
    const client = new RawClient(p.fields[3], grpc.credentials.createInsecure());
    const schema = readFields(await client.call(SCHEMA));
    expect(schema.has(2)).toBe(true);
    const health = await client.call(
      "/grpc.health.v1.Health/Check",
      Buffer.from([0x0a, 6, ...Buffer.from("plugin")]),
    );
    expect(health.toString("hex")).toBe("0801"); // SERVING
    client.close();
  });

  it("runs node itself under the PID Terraform started (the launcher execs)", async () => {
    const p = await start(pluginEnv());
    if (process.platform === "linux") expect(readlinkSync(`/proc/${p.child.pid}/exe`)).toBe(process.execPath);
  });

  it("keeps its compiled code in the user's cache directory, and starts as well without it or with a damaged one", async () => {
    const cacheHome = tempDir("alisg-xdg-");
    const cacheDir = join(cacheHome.path, "alisg", "provider-code-cache");
    const cacheFile = () => readdirSync(cacheDir).map((f) => join(cacheDir, f));
    try {
      const env = pluginEnv({ XDG_CACHE_HOME: cacheHome.path, ALISG_PLUGIN_TIMING: "1" });
      /** Starts the provider, asks for the schema, and says whether the code cache was used. */
      const startOnce = async () => {
        const p = await start(env);
        const client = new RawClient(p.fields[3], grpc.credentials.createInsecure());
        expect(readFields(await client.call(SCHEMA)).has(2)).toBe(true);
        client.close();
        expect(await waitFor(() => /timing: .*\n/.test(p.stderr()), 10_000)).toBe(true);
        return /cache=(\w+)/.exec(p.stderr())?.[1];
      };
      expect(await startOnce()).toBe("miss");
      expect(await waitFor(() => existsSync(cacheDir) && cacheFile().length === 1, 10_000)).toBe(true);
      expect(await startOnce()).toBe("hit");

      const [file] = cacheFile();
      const bytes = readFileSync(file);
      bytes[bytes.length - 1] ^= 0xff;
      writeFileSync(file, bytes);
      expect(await startOnce()).toBe("miss");
    } finally {
      cacheHome.cleanup();
    }
  });

  describe("with automatic mTLS", () => {
    const clientCert = generateServerCertificate(); // go-plugin's client certificate has the same shape
    let p: RunningProvider;
    let serverPem: string;

    beforeEach(async () => {
      p = await start(pluginEnv({ PLUGIN_CLIENT_CERT: clientCert.certPem }));
      serverPem = toPem("CERTIFICATE", Buffer.from(p.fields[5], "base64"));
    });

    it("prints its own certificate, DER in base64 without padding", () => {
      expect(p.fields[5]).toMatch(/^[A-Za-z0-9+/]+$/);
      const x509 = new X509Certificate(Buffer.from(p.fields[5], "base64"));
      expect(x509.subject).toBe("CN=localhost");
      expect(x509.subjectAltName).toBe("DNS:localhost");
      expect(x509.ca).toBe(true);
      expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    });

    it("answers a client presenting Terraform's certificate", async () => {
      const creds = grpc.credentials.createSsl(
        Buffer.from(serverPem),
        Buffer.from(clientCert.keyPem),
        Buffer.from(clientCert.certPem),
      );
      const client = new RawClient(p.fields[3], creds);
      const metadata = readFields(await client.call("/tfplugin6.Provider/GetMetadata"));
      expect(stringField(metadata, 4)).toContain("alisg_toy");
      client.close();
    });

    it("rejects a client without a certificate, or with another one", async () => {
      const anonymous = new RawClient(p.fields[3], grpc.credentials.createSsl(Buffer.from(serverPem)));
      await expect(anonymous.call(SCHEMA)).rejects.toThrow();
      anonymous.close();
      const stranger = generateServerCertificate();
      const other = new RawClient(
        p.fields[3],
        grpc.credentials.createSsl(
          Buffer.from(serverPem),
          Buffer.from(stranger.keyPem),
          Buffer.from(stranger.certPem),
        ),
      );
      await expect(other.call(SCHEMA)).rejects.toThrow();
      other.close();
      const plaintext = new RawClient(p.fields[3], grpc.credentials.createInsecure());
      await expect(plaintext.call(SCHEMA)).rejects.toThrow();
      plaintext.close();
    });
  });

  it("exits after Shutdown and removes its socket", async () => {
    const p = await start(pluginEnv());
    const client = new RawClient(p.fields[3], grpc.credentials.createInsecure());
    await client.call(SCHEMA);
    await client.call(SHUTDOWN);
    client.close();
    // Nothing else ends the process: it exits on Shutdown (how fast is the bench's business).
    expect(await p.exited).toBe(0);
    expect(existsSync(p.fields[3])).toBe(false);
  });

  it("ignores SIGINT (Terraform handles Ctrl-C)", async () => {
    const p = await start(pluginEnv());
    p.child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    const client = new RawClient(p.fields[3], grpc.credentials.createInsecure());
    await expect(client.call(SCHEMA)).resolves.toBeInstanceOf(Buffer);
    client.close();
    expect(p.child.exitCode).toBeNull();
  });

  it("exits when Terraform dies without calling Shutdown", async () => {
    // An intermediate parent starts the provider, prints its pid and dies.
    const script = `
      const { spawn } = require("node:child_process");
      const c = spawn(process.execPath, [${JSON.stringify(bundle)}], { stdio: ["ignore", "pipe", "ignore"] });
      c.stdout.once("data", () => { console.log(c.pid); process.exit(0); });`;
    const parent = spawn(process.execPath, ["-e", script], {
      env: pluginEnv(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    parent.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise((r) => parent.on("exit", r));
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    const gone = await waitFor(() => !isAlive(pid), 5000);
    if (!gone) process.kill(pid, "SIGKILL");
    expect(gone).toBe(true);
  });
});
