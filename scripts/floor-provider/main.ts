/**
 * Entry point of the bench's floor provider bundle (see definition.ts),
 * bundled by scripts/bench.mjs with `bundle-provider.mjs --entry`.
 */
import { serve, type Startup } from "../../src/provider/plugin/serve";

export function start(startup: Startup): void {
  serve(async () => (await import("./definition")).floorDefinition(), startup);
}
