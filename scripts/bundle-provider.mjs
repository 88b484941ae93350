#!/usr/bin/env node
// Bundles the Terraform provider into two CommonJS files plus a POSIX sh
// launcher beside them:
//
//   dist/provider/provider.cjs                 (tiny: runs the bundle through the V8 code cache)
//   dist/provider/provider-bundle.cjs          (the provider: handshake, gRPC, mTLS, resources)
//   dist/provider/terraform-provider-alisg     (exec node "<its own dir>/provider.cjs")
//
// One CommonJS bundle, so that V8 can cache its compiled code between starts
// (src/provider/plugin/code-cache.ts): the provider starts several times per
// Terraform command (docs/provider-plugin.md). What the handshake does not
// need (the provider definition, the cloud SDK) is wrapped by esbuild in
// functions that run on the first RPC, so it is only pre-parsed before.
// The output is deterministic (no absolute paths, no timestamps; the bundle's
// content hash is the cache key), so the `h1:` hash Terraform records in
// .terraform.lock.hcl is the same on every machine. Options (used by the tests to bundle a toy provider):
//   --entry FILE    entry point, exporting start(options) (default src/provider/main.ts)
//   --outdir DIR    output directory      (default dist/provider)
//   --name NAME     launcher file name    (default terraform-provider-alisg)
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    entry: { type: "string", default: join(root, "src/provider/main.ts") },
    outdir: { type: "string", default: join(root, "dist/provider") },
    name: { type: "string", default: "terraform-provider-alisg" },
  },
});
const outdir = resolve(values.outdir);
const ENTRY = "provider.cjs";
const BUNDLE = "provider-bundle.cjs";

// The launcher must `exec` node: go-plugin waits on and kills the PID it started.
// ALISG_PROVIDER_NODE picks another node binary without changing the files (and their hash).
const LAUNCHER = `#!/bin/sh
# Terraform provider launcher: runs the bundled ${ENTRY} beside this file.
exec "\${ALISG_PROVIDER_NODE:-node}" "$(dirname "$0")/${ENTRY}" "$@"
`;

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  // Smaller code parses faster when there is no code cache yet (see docs/provider-plugin.md).
  minify: true,
  legalComments: "none",
  sourcemap: false,
  // ASCII only (other characters escaped): the bundle is then read as latin1 into a one-byte
  // string, with no UTF-8 decoding, at every provider start (src/provider/plugin/code-cache.ts).
  charset: "ascii",
  absWorkingDir: root,
  logLevel: "warning",
  write: false,
};

const provider = await build({
  ...common,
  entryPoints: [resolve(values.entry)],
  outfile: join(outdir, BUNDLE),
  plugins: [
    {
      // grpc-js loads proto-loader (and protobufjs) only for channelz, which a
      // provider never enables: leave it out of the bundle.
      name: "no-proto-loader",
      setup(b) {
        b.onResolve({ filter: /^@grpc\/proto-loader$/ }, () => ({ path: "proto-loader", namespace: "stub" }));
        b.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
          contents: 'throw new Error("@grpc/proto-loader is not part of the provider bundle");',
          loader: "js",
        }));
      },
    },
  ],
});
const bundleCode = provider.outputFiles[0].contents;
if (bundleCode.some((byte) => byte > 0x7f))
  throw new Error("bundle-provider: the provider bundle must be ASCII");
const launch = await build({
  ...common,
  entryPoints: [join(root, "src/provider/plugin/launch.ts")],
  outfile: join(outdir, ENTRY),
  define: {
    ALISG_PROVIDER_BUNDLE: JSON.stringify(BUNDLE),
    // The code cache's key: V8 itself would accept a cache made for another text of the same length.
    ALISG_PROVIDER_BUNDLE_HASH: JSON.stringify(
      createHash("sha256").update(bundleCode).digest("hex").slice(0, 16),
    ),
  },
});

mkdirSync(outdir, { recursive: true });
// Stale modules of an earlier build would be installed (and hashed) too.
for (const f of readdirSync(outdir)) {
  if (f.endsWith(".mjs") || f.endsWith(".cjs") || f === values.name) rmSync(join(outdir, f));
}
const outputs = [...provider.outputFiles, ...launch.outputFiles];
for (const file of outputs) writeFileSync(file.path, file.contents);

// Guard the determinism promise: nothing machine-specific may end up in the bundle.
let bytes = 0;
for (const { path: file, text: code } of outputs) {
  bytes += code.length;
  for (const machineSpecific of [root, process.env.HOME].filter((p) => p && p.length > 1)) {
    if (code.includes(machineSpecific)) {
      throw new Error(`bundle-provider: ${file} contains the machine-specific path ${machineSpecific}`);
    }
  }
}

const launcher = join(outdir, values.name);
writeFileSync(launcher, LAUNCHER);
chmodSync(launcher, 0o755);
console.log(
  `bundle-provider: wrote ${launcher}, ${ENTRY} and ${BUNDLE} (${Math.round(bytes / 1024)} KiB) in ${outdir}`,
);
