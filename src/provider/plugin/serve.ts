import { randomBytes, X509Certificate } from "node:crypto";
import { unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateServerCertificate } from "./certificate";
import { startPluginServer, type ServerTls } from "./grpc-server";
import { handshakeLine, handshakeProblem, type ListenAddress } from "./handshake";
import { PROVIDER_RPCS, type ProviderRpc, type RpcHandler } from "./provider-rpcs";
import type { DefinitionSource } from "./provider-service";

/** How long a Shutdown may wait for Terraform to hang up before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 250;
/** How often to check that Terraform (the parent) is still alive. */
const PARENT_POLL_MS = 500;

/**
 * Runs this process as a Terraform provider plugin: checks the handshake
 * environment, serves tfplugin6 over gRPC on a unix socket (with automatic
 * mTLS when Terraform asks for it), and prints the handshake line.
 *
 * `source` is called on the first RPC that needs the provider, not before:
 * only what the handshake needs runs before it, because Terraform starts a
 * provider process several times per command.
 */
export async function serve(source: DefinitionSource): Promise<void> {
  const timing = process.env.ALISG_PLUGIN_TIMING ? [`loaded=${ms()}`] : undefined;
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

  try {
    await listenAndHandshake(source, parent, timing);
  } catch (err) {
    // Without a handshake Terraform would wait for one: say why and leave.
    logError("cannot start", err);
    process.exit(1);
  }
}

async function listenAndHandshake(source: DefinitionSource, parent: number, timing: string[] | undefined) {
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  let tls: ServerTls | undefined;
  let certDer: Buffer | undefined;
  if (clientCert) {
    // TLS would accept garbage here and fail every connection later: check it now.
    try {
      new X509Certificate(clientCert);
    } catch (err) {
      throw new Error(`PLUGIN_CLIENT_CERT is not a PEM certificate (${(err as Error).message})`);
    }
    const cert = generateServerCertificate();
    tls = { clientCaPem: clientCert, certPem: cert.certPem, keyPem: cert.keyPem };
    certDer = cert.der;
    timing?.push(`cert=${ms()}`);
  }

  const socketPath = join(tmpdir(), `plugin${randomBytes(8).toString("hex")}`);
  const listen: ListenAddress = { network: "unix", address: socketPath };
  process.on("exit", () => {
    try {
      unlinkSync(socketPath);
    } catch {
      // already gone
    }
  });

  const server = await startPluginServer(`unix:${socketPath}`, {
    provider: lazyProviderService(source),
    tls,
    onShutdown: () => {
      // Answer first (done by the caller), then leave as soon as Terraform hangs up.
      setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
      server.tryShutdown(() => process.exit(0));
    },
  });

  timing?.push(`listening=${ms()}`);
  process.stdout.write(handshakeLine(listen, certDer) + "\n");
  watchParent(parent);
  // ALISG_PLUGIN_TIMING=1: milliseconds since process start at each step (scripts/bench-startup.mjs).
  if (timing) process.stderr.write(`timing: ${timing.join(" ")} handshake=${ms()}\n`);
}

/**
 * The provider service, loaded on its first RPC: the msgpack codec and the
 * definition are not needed for the handshake.
 */
function lazyProviderService(source: DefinitionSource): Record<ProviderRpc, RpcHandler> {
  let service: Record<ProviderRpc, RpcHandler> | undefined;
  const load = () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { providerService } = require("./provider-service") as typeof import("./provider-service");
    return (service ??= providerService(source));
  };
  return Object.fromEntries(
    PROVIDER_RPCS.map((name) => [name, (req: Buffer) => load()[name](req)]),
  ) as Record<ProviderRpc, RpcHandler>;
}

/** Exit when re-parented: Terraform died without calling Shutdown. */
function watchParent(parent: number): void {
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, PARENT_POLL_MS);
}

const ms = () => performance.now().toFixed(1);

function logError(what: string, err: unknown): void {
  // stderr goes to Terraform's log (TF_LOG); only the message, as in diagnostics.
  process.stderr.write(`[ERROR] provider: ${what}: ${err instanceof Error ? err.message : String(err)}\n`);
}
