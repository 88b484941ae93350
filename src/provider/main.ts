/**
 * Entry point of the provider process (bundled to dist/provider/provider.mjs).
 * The provider definition is imported on the first RPC, after the handshake:
 * the bundler puts it in a separate chunk that is not even parsed before.
 */
import { serve } from "./plugin/serve";

void serve(async () => {
  const definition = (await import("./resources/provider")).createProviderDefinition();
  // ALISG_RPC_TRACE=FILE records every resource RPC (see plugin/rpc-trace.ts); used by the tests.
  const trace = process.env.ALISG_RPC_TRACE;
  return trace ? (await import("./plugin/rpc-trace")).tracedDefinition(definition, trace) : definition;
});
