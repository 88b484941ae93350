/**
 * The provider process's start, up to the handshake line (bundled alone to
 * dist/provider/provider.cjs, the file the launcher runs). It loads only what
 * the handshake needs: the environment check, a fresh certificate and the
 * listening socket. Then it runs the provider bundle beside it through the V8
 * code cache (code-cache.ts); the bundle's `start` serves gRPC on the socket
 * (serve.ts), and the cache is stored after that, off the critical path.
 * Terraform starts the provider several times per command
 * (docs/provider-plugin.md, "Start-up").
 */
import { writeSync } from "node:fs";
import { join } from "node:path";
import type { CachedBundle } from "./code-cache";
import type { ServerTls } from "./grpc-server";
import { handshakeLine, handshakeProblem } from "./handshake";
import type { Startup } from "./serve";

// The modules below are required where they are first needed, not at the top: a wrong
// cookie is answered without loading crypto, and ALISG_PLUGIN_TIMING charges each step
// with the Node.js modules it loads.
/* eslint-disable @typescript-eslint/no-require-imports */

/** Set by scripts/bundle-provider.mjs: the bundle's file name and its content hash. */
declare const ALISG_PROVIDER_BUNDLE: string;
declare const ALISG_PROVIDER_BUNDLE_HASH: string;

/** How often to check that Terraform (the parent) is still alive. */
const PARENT_POLL_MS = 500;

const ms = () => performance.now().toFixed(1);
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return ((user + system) / 1000).toFixed(1);
};
// ALISG_PLUGIN_TIMING=1: milliseconds since process start at each step (scripts/bench-startup.mjs).
const timing = process.env.ALISG_PLUGIN_TIMING ? [`launched=${ms()}`] : undefined;

async function launch(): Promise<void> {
  // Noted before the handshake: a parent that dies right after reading it must still be noticed.
  const parent = process.ppid;
  const problem = handshakeProblem(process.env);
  if (problem) {
    process.stderr.write(problem);
    process.exit(1);
  }
  // Terraform handles Ctrl-C itself and asks us to stop via StopProvider.
  process.on("SIGINT", () => undefined);
  // Leave through process.exit so the socket file is removed ("exit" handler).
  process.on("SIGTERM", () => process.exit(0));
  process.on("SIGHUP", () => process.exit(0));
  // A bug must not take the process down in the middle of Terraform's walk.
  process.on("uncaughtException", (err) => logError("uncaught exception", err));
  process.on("unhandledRejection", (err) => logError("unhandled rejection", err));

  let tls: (ServerTls & { readonly der: Buffer }) | undefined;
  let bundle: CachedBundle;
  try {
    tls = terraformTls(process.env.PLUGIN_CLIENT_CERT);
    timing?.push(`cert=${ms()}`);
    const { listenOnUnixSocket } = require("./listener") as typeof import("./listener");
    const listener = await listenOnUnixSocket();
    timing?.push(`listening=${ms()}`);
    writeLine(handshakeLine(listener.address, tls?.der));
    timing?.push(`handshake=${ms()}`, `handshake_cpu=${cpuMs()}`);
    watchParent(parent);

    const { runCachedBundle } = require("./code-cache") as typeof import("./code-cache");
    bundle = runCachedBundle(join(__dirname, ALISG_PROVIDER_BUNDLE), ALISG_PROVIDER_BUNDLE_HASH);
    timing?.push(`loaded=${ms()}`, `cache=${bundle.cacheHit ? "hit" : "miss"}`);
    const { start } = bundle.exports as { start: (startup: Startup) => void };
    start({ listener, tls, timing });
  } catch (err) {
    // Terraform would wait for a handshake, or for answers: say why and leave.
    logError("cannot start", err);
    process.exit(1);
  }
  setImmediate(bundle.saveCache);
}

/** Automatic mTLS when Terraform asks for it (PLUGIN_CLIENT_CERT): a fresh certificate per process. */
function terraformTls(clientCert: string | undefined): (ServerTls & { readonly der: Buffer }) | undefined {
  if (!clientCert) return undefined;
  const { X509Certificate } = require("node:crypto") as typeof import("node:crypto");
  const { generateServerCertificate } = require("./certificate") as typeof import("./certificate");
  // TLS would accept garbage here and fail every connection later: check it now.
  try {
    new X509Certificate(clientCert);
  } catch (err) {
    throw new Error(`PLUGIN_CLIENT_CERT is not a PEM certificate (${(err as Error).message})`);
  }
  const cert = generateServerCertificate();
  return { clientCaPem: clientCert, certPem: cert.certPem, keyPem: cert.keyPem, der: cert.der };
}

/**
 * The handshake line, written straight to fd 1: `process.stdout` would set up a
 * stream on the first use, and nothing else is ever written there.
 */
function writeLine(line: string): void {
  const bytes = Buffer.from(line + "\n");
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (err) {
    // A non-blocking pipe that is full (EAGAIN): let the stream wait for it.
    if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
    process.stdout.write(bytes.subarray(written));
  }
}

/** Exit when re-parented: Terraform died without calling Shutdown. */
function watchParent(parent: number): void {
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, PARENT_POLL_MS);
}

function logError(what: string, err: unknown): void {
  // stderr goes to Terraform's log (TF_LOG); only the message, as in diagnostics.
  process.stderr.write(`[ERROR] provider: ${what}: ${err instanceof Error ? err.message : String(err)}\n`);
}

void launch();
