/**
 * Entry point of the provider process (bundled to dist/provider/provider.mjs).
 * The provider definition is imported on the first RPC, after the handshake:
 * the bundler puts it in a separate chunk that is not even parsed before.
 */
import { serve } from "./plugin/serve";

void serve(async () => {
  const { createProviderDefinition } = await import("./resources/provider");
  const { WalkHints } = await import("./guard/walk-hints");
  // ALISG_WALK_HINTS=0 turns off the instance IDs handed between a run's processes (guard/walk-hints.ts).
  const walkHints = process.env.ALISG_WALK_HINTS === "0" ? undefined : new WalkHints();
  const definition = createProviderDefinition(process.env, undefined, { walkHints });
  // ALISG_RPC_TRACE=FILE records every resource RPC (see plugin/rpc-trace.ts); used by the tests.
  const trace = process.env.ALISG_RPC_TRACE;
  return trace ? (await import("./plugin/rpc-trace")).tracedDefinition(definition, trace) : definition;
});
