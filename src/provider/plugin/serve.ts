import type { TerraformListener } from "./listener";
import { startPluginServer, type ServerTls } from "./grpc-server";
import { PROVIDER_RPCS, type ProviderRpc, type RpcHandler } from "./provider-rpcs";
import type { DefinitionSource } from "./provider-service";

/** How long a Shutdown may wait for Terraform to hang up before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 250;

/** What plugin/launch.ts prepared before the handshake line went out. */
export interface Startup {
  /** The socket named in the handshake line, with the connections that already arrived. */
  readonly listener: TerraformListener;
  /** Automatic mTLS material; absent: plaintext. */
  readonly tls?: ServerTls;
  /** ALISG_PLUGIN_TIMING: the steps so far; `serve` adds its own and writes the line. */
  readonly timing?: string[];
}

/**
 * Serves tfplugin6 over gRPC on the connections of `startup.listener`, the
 * provider process's work after its handshake (plugin/launch.ts does what
 * comes before).
 *
 * `source` is called on the first RPC that needs the provider, not before:
 * Terraform starts a provider process several times per command, and some
 * of those starts only ask for the schema.
 */
export function serve(source: DefinitionSource, startup: Startup): void {
  const { listener, timing } = startup;
  const server = startPluginServer(listener, {
    provider: lazyProviderService(source),
    tls: startup.tls,
    onShutdown: () => {
      // Answer first (done by the caller), then leave as soon as Terraform hangs up.
      setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
      listener.close();
      server.tryShutdown(() => process.exit(0));
    },
  });
  // ALISG_PLUGIN_TIMING=1: milliseconds since process start at each step (scripts/bench-startup.mjs).
  if (timing) process.stderr.write(`timing: ${timing.join(" ")} serving=${performance.now().toFixed(1)}\n`);
}

/**
 * The provider service, loaded on its first RPC: the msgpack codec and the
 * definition are not needed to accept connections.
 */
function lazyProviderService(source: DefinitionSource): Record<ProviderRpc, RpcHandler> {
  let service: Record<ProviderRpc, RpcHandler> | undefined;
  const load = () => {
    // Required once: in the bundle each `require` of a module builds a fresh exports object.
    if (service) return service;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { providerService } = require("./provider-service") as typeof import("./provider-service");
    return (service = providerService(source));
  };
  return Object.fromEntries(
    PROVIDER_RPCS.map((name) => [name, (req: Buffer) => load()[name](req)]),
  ) as Record<ProviderRpc, RpcHandler>;
}
