#!/usr/bin/env node
// Start-up cost of the provider, as Terraform pays it several times per command:
// the median time from spawn to the handshake line of the bundled provider
// (through its launcher, with automatic mTLS on), next to a bare `node -e ''`
// on the same Node.js binary, for each Node.js available: the one running this
// script and the Node.js 22 and 24 the tests use (test/node-matrix). Every
// measurement is interleaved with the others, so all see the same machine load.
//
//   node scripts/bench-startup.mjs [--dir dist/provider] [--runs 20]
//
// "CPU": CPU time (user + system) of the provider when it wrote the handshake line, next to
// that of a bare node when its first line of user code ran; far less sensitive to the
// machine's load than wall time, which other jobs stretch.
// "warm": the V8 code cache written by an earlier start is there (every start
// but the first on a machine); "cold": an empty cache directory each time.
// "schema": spawn to the answer of GetProviderSchema, Terraform's first call,
// over mTLS (the bench's own gRPC client included): what the deferred work costs.
// Then a breakdown from the provider's own clock (ALISG_PLUGIN_TIMING=1:
// milliseconds since process start), warm. `--compare DIR` also runs another
// build's launcher (e.g. of an earlier commit), interleaved, for a before/after.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchNodes } from "./bench-nodes.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    dir: { type: "string", default: join(root, "dist/provider") },
    runs: { type: "string", default: "20" },
    compare: { type: "string" },
  },
});
const dir = resolve(values.dir);
const runs = Number(values.runs);
const launcher = join(dir, "terraform-provider-alisg");
if (!existsSync(launcher) || !existsSync(join(dir, "provider.cjs"))) {
  console.error(`bench-startup: no provider bundle in ${dir}: run \`npm run build\` first`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "alisg-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

// A client certificate like the one Terraform sends (go-plugin uses the same shape).
const certModule = join(work, "cert.js");
await build({
  stdin: {
    contents: 'export { generateServerCertificate, toPem } from "./src/provider/plugin/certificate";',
    resolveDir: root,
    loader: "ts",
  },
  bundle: true,
  platform: "node",
  target: "node20",
  outfile: certModule,
  logLevel: "error",
});
const { generateServerCertificate, toPem } = require(certModule);
const client = generateServerCertificate();
const clientCert = client.certPem;
const grpc = require("@grpc/grpc-js");
const identity = (b) => b;

/** Calls GetProviderSchema as Terraform does first (mTLS, the server certificate from the handshake). */
function schemaCall(handshake) {
  const fields = handshake.split("|");
  // The handshake's certificate is DER in base64 without padding.
  const serverPem = toPem("CERTIFICATE", Buffer.from(fields[5], "base64"));
  const c = new grpc.Client(
    `unix:${fields[3]}`,
    grpc.credentials.createSsl(
      Buffer.from(serverPem),
      Buffer.from(client.keyPem),
      Buffer.from(client.certPem),
    ),
    { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" },
  );
  return new Promise((res, rej) =>
    c.makeUnaryRequest(
      "/tfplugin6.Provider/GetProviderSchema",
      identity,
      identity,
      Buffer.alloc(0),
      (err) => {
        c.close();
        if (err) rej(err);
        else res();
      },
    ),
  );
}

const pluginEnv = {
  ...process.env,
  TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
  PLUGIN_PROTOCOL_VERSIONS: "5,6",
  PLUGIN_CLIENT_CERT: clientCert,
  ALISG_PLUGIN_TIMING: "1",
};

/**
 * ms from spawn to the first stdout line, or to exit (`untilLine` false), or to the answer
 * of GetProviderSchema (`schema`); then the provider is stopped.
 */
function time(command, args, { env = process.env, untilLine, schema = false, settle = 50 }) {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let elapsed;
    const stop = () => {
      elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
      // Let the provider finish starting (its timing line) and write its code cache, then stop
      // it (SIGTERM: it removes its socket).
      const waitForServing = () =>
        /timing: .*\n/.test(err) || Number(process.hrtime.bigint() - t0) > 5e9
          ? setTimeout(() => child.kill("SIGTERM"), settle)
          : setTimeout(waitForServing, 10);
      waitForServing();
    };
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      const first = !out.includes("\n");
      out += d;
      if (!untilLine || !first || !out.includes("\n")) return;
      if (!schema) return stop();
      schemaCall(out.split("\n")[0]).then(stop, (e) => {
        err += `GetProviderSchema: ${e.message}`;
        child.kill("SIGTERM");
      });
    });
    child.on("error", rej);
    child.on("exit", () => {
      if (!untilLine) elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
      if (elapsed === undefined) rej(new Error(`no handshake from ${command}: ${err}`));
      else res({ ms: elapsed, stderr: err });
    });
  });
}

/** `key=value` pairs of the provider's timing line. */
function phases(stderr) {
  const m = /timing: (.*)/.exec(stderr);
  return m ? Object.fromEntries(m[1].split(" ").map((kv) => kv.split("="))) : undefined;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (n) => n.toFixed(1);

const BARE_CPU = "const u = process.cpuUsage(); process.stderr.write(String((u.user + u.system) / 1000))";
const compare = values.compare && join(resolve(values.compare), "terraform-provider-alisg");
const measured = benchNodes().map((node) => ({
  ...node,
  warmCache: join(work, `warm-${node.version}`),
  bare: [],
  bareCpu: [],
  warm: [],
  cold: [],
  schema: [],
  compared: [],
  comparedSchema: [],
  timing: [],
}));
const provider = (node, cacheHome, { schema = false, command = launcher, settle } = {}) =>
  time(command, [], {
    env: { ...pluginEnv, ALISG_PROVIDER_NODE: node.bin, XDG_CACHE_HOME: cacheHome },
    untilLine: true,
    schema,
    settle,
  });

// Warm the file cache and write each Node.js's code cache once, then alternate.
for (const node of measured) {
  await time(node.bin, ["-e", ""], { untilLine: false });
  await provider(node, node.warmCache, { settle: 1000 });
  if (compare) await provider(node, node.warmCache, { command: compare });
}
for (let i = 0; i < runs; i++) {
  for (const node of measured) {
    node.bare.push((await time(node.bin, ["-e", ""], { untilLine: false })).ms);
    node.bareCpu.push(Number((await time(node.bin, ["-e", BARE_CPU], { untilLine: false })).stderr));
    const warm = await provider(node, node.warmCache);
    node.warm.push(warm.ms);
    const p = phases(warm.stderr);
    if (p?.cache !== "hit")
      throw new Error(`bench-startup: warm start on ${node.version} missed the code cache`);
    node.timing.push(p);
    node.cold.push((await provider(node, join(work, `cold-${node.version}-${i}`))).ms);
    node.schema.push((await provider(node, node.warmCache, { schema: true })).ms);
    if (compare) {
      node.compared.push((await provider(node, node.warmCache, { command: compare })).ms);
      node.comparedSchema.push((await provider(node, node.warmCache, { command: compare, schema: true })).ms);
    }
  }
}

console.log(`spawn to handshake line, mTLS on, median of ${runs} (ms), interleaved:\n`);
console.log(
  `| Node.js | \`node -e ''\` | provider, warm cache | **ratio** | cold cache | ratio | CPU: bare / provider | CPU ratio | spawn to schema answered |${compare ? " --compare build | ratio | its schema answered |" : ""}`,
);
console.log(`|---|---|---|---|---|---|---|---|---|${compare ? "---|---|---|" : ""}`);
for (const n of measured) {
  const [b, w, c] = [median(n.bare), median(n.warm), median(n.cold)];
  const [bc, pc] = [median(n.bareCpu), median(n.timing.map((t) => Number(t.handshake_cpu)))];
  const other = compare
    ? ` ${f(median(n.compared))} | ${(median(n.compared) / b).toFixed(2)}x | ${f(median(n.comparedSchema))} |`
    : "";
  console.log(
    `| ${n.version} | ${f(b)} | ${f(w)} | **${(w / b).toFixed(2)}x** | ${f(c)} | ${(c / b).toFixed(2)}x | ${f(bc)} / ${f(pc)} | ${(pc / bc).toFixed(2)}x | ${f(median(n.schema))} |${other}`,
  );
}

console.log("\nbreakdown inside the provider, warm cache (median ms since process start, and step cost):\n");
const steps = [
  ["launched", "node bootstrap, first line of provider.cjs"],
  ["cert", "ECDSA key + self-signed certificate"],
  ["listening", "unix socket listening"],
  ["handshake", "**handshake line written**"],
  ["loaded", "provider bundle run from the code cache"],
  ["serving", "gRPC (TLS) taking connections"],
];
console.log(`| step | ${measured.map((n) => n.version).join(" | ")} |`);
console.log(`|---|${measured.map(() => "---|").join("")}`);
for (const [i, [k, label]] of steps.entries()) {
  const cells = measured.map((n) => {
    const at = f(median(n.timing.map((t) => Number(t[k]))));
    if (i === 0) return at;
    return `${at} (+${f(median(n.timing.map((t) => Number(t[k]) - Number(t[steps[i - 1][0]]))))})`;
  });
  console.log(`| ${label} | ${cells.join(" | ")} |`);
}
