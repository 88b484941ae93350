#!/usr/bin/env node
// Bundles the Terraform provider into a few JavaScript modules plus a POSIX
// sh launcher beside them:
//
//   dist/provider/provider.mjs                 (entry: handshake, gRPC, mTLS)
//   dist/provider/chunk-<hash>.mjs, ...        (loaded on the first RPC: the resources)
//   dist/provider/terraform-provider-alisg     (exec node "<its own dir>/provider.mjs")
//
// ES modules with code splitting, so that what the handshake does not need
// (the provider definition, the cloud SDK) is not even parsed before it: the
// provider starts several times per Terraform command (docs/provider-plugin.md).
// The output is deterministic (no absolute paths, no timestamps; chunk names
// are content hashes), so the `h1:` hash Terraform records in
// .terraform.lock.hcl is the same on every machine. Options (used by the tests to bundle a toy provider):
//   --entry FILE    entry point           (default src/provider/main.ts)
//   --outdir DIR    output directory      (default dist/provider)
//   --name NAME     launcher file name    (default terraform-provider-alisg)
import { build } from "esbuild";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
const ENTRY = "provider.mjs";

// The launcher must `exec` node: go-plugin waits on and kills the PID it started.
// ALISG_PROVIDER_NODE picks another node binary without changing the files (and their hash).
const LAUNCHER = `#!/bin/sh
# Terraform provider launcher: runs the bundled ${ENTRY} beside this file.
exec "\${ALISG_PROVIDER_NODE:-node}" "$(dirname "$0")/${ENTRY}" "$@"
`;

mkdirSync(outdir, { recursive: true });
// Stale chunks of an earlier build would be installed (and hashed) too.
for (const f of readdirSync(outdir)) {
  if (f.endsWith(".mjs") || f === values.name) rmSync(join(outdir, f));
}
const result = await build({
  entryPoints: { provider: resolve(values.entry) },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  chunkNames: "chunk-[hash]",
  platform: "node",
  target: "node20",
  format: "esm",
  // Bundled CommonJS dependencies (grpc-js) require node's built-in modules.
  banner: {
    js: 'import{createRequire as __alisgRequire}from"node:module";const require=__alisgRequire(import.meta.url);',
  },
  metafile: true,
  // Smaller code parses faster at every provider start-up (see docs/provider-plugin.md).
  minify: true,
  legalComments: "none",
  sourcemap: false,
  charset: "utf8",
  absWorkingDir: root,
  logLevel: "warning",
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

// Guard the determinism promise: nothing machine-specific may end up in the bundle.
let bytes = 0;
for (const file of Object.keys(result.metafile.outputs)) {
  const code = readFileSync(resolve(root, file), "utf8");
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
const modules = Object.keys(result.metafile.outputs).length;
console.log(
  `bundle-provider: wrote ${launcher} and ${modules} modules (${Math.round(bytes / 1024)} KiB) in ${outdir}`,
);
