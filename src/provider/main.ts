/**
 * Entry point of the provider process (bundled to dist/provider/provider.mjs).
 * The provider definition is imported on the first RPC, after the handshake:
 * the bundler puts it in a separate chunk that is not even parsed before.
 */
import { serve } from "./plugin/serve";

void serve(async () => (await import("./resources/provider")).createProviderDefinition());
