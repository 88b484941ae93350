// The Node.js binaries the benchmarks compare (scripts/bench.mjs, scripts/bench-startup.mjs):
// the one running the script, then Node.js 22 and 24 as the tests install them
// (test/setup/node-matrix.js), left out with a note when that fails.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** [{ version: "v20.20.2", bin: "/usr/bin/node" }, ...] */
export function benchNodes() {
  const list = [{ version: process.version, bin: process.execPath }];
  try {
    const { ensureNodeMatrix } = require(join(root, "test/setup/node-matrix.js"));
    for (const { version, bin } of Object.values(ensureNodeMatrix()))
      list.push({ version: `v${version}`, bin });
  } catch (err) {
    console.log(`(Node.js 22/24 not available: ${err.message.split("\n")[0]})`);
  }
  return list;
}
