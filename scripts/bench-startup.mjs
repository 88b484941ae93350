#!/usr/bin/env node
// Start-up cost of the provider, as Terraform pays it several times per command:
// the median time from spawn to the handshake line of the bundled provider
// (through its launcher, with automatic mTLS on), next to a bare `node -e ''`,
// measured side by side (alternating) so both see the same machine load.
//
//   node scripts/bench-startup.mjs [--dir dist/provider] [--runs 10]
//
// Then a breakdown from the provider's own clock (ALISG_PLUGIN_TIMING=1:
// milliseconds since process start) and a probe of grpc-js alone.
import { build } from "esbuild";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    dir: { type: "string", default: join(root, "dist/provider") },
    runs: { type: "string", default: "10" },
  },
});
const dir = resolve(values.dir);
const runs = Number(values.runs);
const launcher = join(dir, "terraform-provider-alisg");
const bundle = join(dir, "provider.mjs");
if (!existsSync(launcher) || !existsSync(bundle)) {
  console.error(`bench-startup: no provider bundle in ${dir}: run \`npm run build\` first`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "alisg-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

// Esbuild-compiled probes of our own TypeScript (the bench needs no build of src/).
async function probe(name, contents) {
  const outfile = join(work, `${name}.js`);
  await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    platform: "node",
    target: "node20",
    minify: true,
    outfile,
    logLevel: "error",
  });
  return outfile;
}

// A client certificate like the one Terraform sends (go-plugin uses the same shape).
const certModule = await probe(
  "cert",
  'export { generateServerCertificate } from "./src/provider/plugin/certificate";',
);
const { generateServerCertificate } = createRequire(import.meta.url)(certModule);
const clientCert = generateServerCertificate().certPem;

const env = {
  ...process.env,
  TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
  PLUGIN_PROTOCOL_VERSIONS: "5,6",
  PLUGIN_CLIENT_CERT: clientCert,
  ALISG_PLUGIN_TIMING: "1",
};

/** ms from spawn to the first stdout line (then the process is killed), or to exit. */
function time(command, args, { untilLine }) {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let elapsed;
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if (untilLine && elapsed === undefined && out.includes("\n")) {
        elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
        // Let the timing line reach stderr, then stop the provider (SIGTERM: it removes its socket).
        setTimeout(() => child.kill("SIGTERM"), 20);
      }
    });
    child.on("error", rej);
    child.on("exit", () => {
      if (!untilLine) elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
      if (elapsed === undefined) rej(new Error(`no handshake from ${command}: ${err}`));
      else res({ ms: elapsed, stderr: err });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (n) => n.toFixed(1).padStart(6);

// Warm the file cache once, then alternate.
await time(process.execPath, ["-e", ""], { untilLine: false });
await time(launcher, [], { untilLine: true });
const bare = [];
const viaLauncher = [];
const direct = [];
const phases = [];
for (let i = 0; i < runs; i++) {
  bare.push((await time(process.execPath, ["-e", ""], { untilLine: false })).ms);
  const r = await time(launcher, [], { untilLine: true });
  viaLauncher.push(r.ms);
  const m = /timing: (.*)/.exec(r.stderr);
  if (m)
    phases.push(
      Object.fromEntries(
        m[1]
          .split(" ")
          .map((kv) => kv.split("="))
          .map(([k, v]) => [k, Number(v)]),
      ),
    );
  direct.push((await time(process.execPath, [bundle], { untilLine: true })).ms);
}

// Node's own bootstrap (first line of user code) and grpc-js alone, bundled like the provider.
const empty = join(work, "empty.js");
writeFileSync(empty, "process.stdout.write(String(performance.now()));");
const grpcProbe = await probe(
  "grpc",
  'const t = performance.now(); require("@grpc/grpc-js"); process.stdout.write(String(performance.now() - t));',
);
const output = (args) =>
  new Promise((res) => {
    const c = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let o = "";
    c.stdout.on("data", (d) => (o += d));
    c.on("exit", () => res(Number(o)));
  });
const boot = [];
const grpcOnly = [];
for (let i = 0; i < runs; i++) {
  boot.push(await output([empty]));
  grpcOnly.push(await output([grpcProbe]));
}

const mBare = median(bare);
const mLauncher = median(viaLauncher);
console.log(`runs: ${runs} (medians, ms)`);
console.log(`  node -e ''                         ${f(mBare)}`);
console.log(
  `  provider via launcher, mTLS        ${f(mLauncher)}   ratio ${(mLauncher / mBare).toFixed(2)}x`,
);
console.log(`  provider via node provider.mjs     ${f(median(direct))}`);
if (phases.length) {
  const p = (k) => median(phases.map((x) => x[k]));
  const loaded = p("loaded");
  console.log("breakdown inside the provider (ms since process start):");
  console.log(`  node bootstrap (first user code)   ${f(median(boot))}`);
  console.log(`  bundle evaluated                   ${f(loaded)}   (+${(loaded - median(boot)).toFixed(1)})`);
  console.log(`    of which require grpc-js alone          ${f(median(grpcOnly))}`);
  console.log(`  key + certificate generated        ${f(p("cert"))}   (+${(p("cert") - loaded).toFixed(1)})`);
  console.log(
    `  gRPC server listening (TLS)        ${f(p("listening"))}   (+${(p("listening") - p("cert")).toFixed(1)})`,
  );
  console.log(
    `  handshake line written             ${f(p("handshake"))}   (+${(p("handshake") - p("listening")).toFixed(1)})`,
  );
}
