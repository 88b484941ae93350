/**
 * The provider bundle's entry (dist/provider/provider-bundle.cjs, run by
 * plugin/launch.ts). The provider definition is imported on the first RPC,
 * after the handshake: the bundler wraps it so that it is not run before.
 */
import { serve, type Startup } from "./plugin/serve";

export function start(startup: Startup): void {
  serve(async () => {
    const { createProviderDefinition } = await import("./resources/provider");
    const { WalkHints } = await import("./guard/walk-hints");
    // ALISG_WALK_HINTS=0 turns off the instance IDs handed between a run's processes (guard/walk-hints.ts).
    const walkHints = process.env.ALISG_WALK_HINTS === "0" ? undefined : new WalkHints();
    const definition = createProviderDefinition(process.env, undefined, { walkHints });
    // ALISG_RPC_TRACE=FILE records every resource RPC (see plugin/rpc-trace.ts); used by the tests.
    const trace = process.env.ALISG_RPC_TRACE;
    return trace ? (await import("./plugin/rpc-trace")).tracedDefinition(definition, trace) : definition;
  }, startup);
}
